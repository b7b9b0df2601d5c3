from django import template

from ..selectors import groups_of_user_read

register = template.Library()


@register.inclusion_tag("groups/_home_groups.html", takes_context=True)
def my_groups_card(context):
    """The teacher's groups on their home page (one query)."""
    grant = context.get("grant")
    user = context["request"].user
    groups = groups_of_user_read(user=user, school_id=grant.school_id) if grant else []
    return {"groups": groups, "user": user}
