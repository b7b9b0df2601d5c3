from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.selectors import cycle_chosen
from groups.access import group_filtered
from groups.selectors import groups_to_choose


def refuse(request, exc: ValidationError) -> None:
    """Show a service's refusal as the page's error message."""
    messages.error(request, "；".join(exc.messages))


def form_errors(form) -> str:
    return "；".join(e for errors in form.errors.values() for e in errors)


def safe_next(request) -> str:
    """`next` from the form or the query string, if it is a path on this site."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def back_to(request, default: str, *args):
    """Redirect to the page the form came from (`next`, on this site only)."""
    return redirect(safe_next(request) or reverse(default, args=args))


def current_cycle(request):
    """The cycle the page works on (the running one, or an earlier one named by
    ?cycle=: accounts.selectors.cycle_chosen), or None with a message saying
    why nothing can be done."""
    cycle = cycle_chosen(request)
    if cycle is None:
        messages.warning(request, "省工程办尚未设置研修周期。")
    return cycle


def group_filter(request, school_id: int, *, data=None):
    """The school's groups for a filter (one query) and the one chosen in
    ?group= (or in `data`, a form repeating the page's filters), taken from
    that list; a group of another school answers 404."""
    groups = groups_to_choose(school_id=school_id)
    return groups, group_filtered(groups, (request.GET if data is None else data).get("group", ""))
