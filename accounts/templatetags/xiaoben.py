from django import template
from django.urls import reverse

from config.navigation import nav_for

register = template.Library()


@register.simple_tag(takes_context=True)
def role_navigation(context):
    """[(label, url, is_current)] for the active role's menu."""
    request = context["request"]
    grant = context.get("active_grant")
    if grant is None:
        return []
    items = []
    for label, name in nav_for(grant.role):
        url = reverse(name)
        items.append((label, url, request.path.startswith(url)))
    return items
