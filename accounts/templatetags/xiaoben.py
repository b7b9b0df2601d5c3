from django import template
from django.urls import reverse

from accounts.dates import countdown as _countdown
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


@register.filter
def countdown(last_day) -> str:
    """{{ activity.closes_on|countdown }} → "还剩 3 天" / "今天截止" / "已截止"
    (accounts.dates.countdown decides; this only wraps it)."""
    if not last_day:
        return ""
    return _countdown(last_day=last_day).words


@register.inclusion_tag("_countdown.html")
def countdown_badge(last_day, label: str = ""):
    """A badge with the words and the last day, coloured by how close it is:
    {% countdown_badge activity.closes_on "截止" %}."""
    return {"c": _countdown(last_day=last_day) if last_day else None, "label": label}
