from django import template
from django.urls import reverse
from django.utils.html import format_html

from accounts.dates import countdown as _countdown
from accounts.navigation import nav_menu
from accounts.selectors import cycle_param, cycles_started

register = template.Library()


@register.simple_tag(takes_context=True)
def role_navigation(context):
    """The active role's menu: [(label, url, is_current, pages)], where `pages`
    is None for a page and [(label, url, is_current)] for a group (a dropdown,
    current when one of its pages is)."""
    request = context["request"]
    grant = context.get("active_grant")
    if grant is None:
        return []

    def page(label: str, name: str) -> tuple[str, str, bool]:
        url = reverse(name)
        return label, url, request.path.startswith(url)

    items = []
    for label, target in nav_menu(grant.role):
        if isinstance(target, list):
            pages = [page(*p) for p in target]
            items.append((label, "", any(current for _, _, current in pages), pages))
        else:
            items.append((*page(label, target), None))
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


# ---- the cycle a page works on (accounts.selectors.cycle_chosen) ----------------


@register.simple_tag(takes_context=True)
def cycle_query(context, prefix: str = "?") -> str:
    """ "?cycle=N" (or "&cycle=N") when the page was opened for a named cycle, so
    its links stay on that cycle; "" on the current one."""
    chosen = cycle_param(context["request"])
    return f"{prefix}cycle={chosen}" if chosen else ""


@register.simple_tag(takes_context=True)
def cycle_field(context):
    """The hidden field that keeps a form (and the page after it) on the named cycle."""
    chosen = cycle_param(context["request"])
    if not chosen:
        return ""
    return format_html('<input type="hidden" name="cycle" value="{}">', chosen)


@register.inclusion_tag("_cycle_switch.html")
def cycle_switch(cycle):
    """研修周期 chooser, shown once a second cycle has started (the previous
    cycle's acceptance and review follow its end while the next one runs)."""

    cycles = cycles_started()
    return {"cycle": cycle, "cycles": cycles if len(cycles) > 1 else []}
