"""方案与实施一致性: the school's page (school admin, info team; the acceptance
checklist links here as "activities:consistency") and each group's (leader)."""

from django.contrib import messages
from django.shortcuts import redirect, render

from accounts.access import role_required
from accounts.selectors import cycle_current

from ..access import get_group_for_leader
from ..consistency import group_consistency, school_consistency
from .common import LEADER_ROLES, SCHOOL_ROLES


def _no_cycle(request):
    messages.warning(request, "省工程办尚未设置研修周期，暂无可核对的内容。")
    return redirect("home")


@role_required(*SCHOOL_ROLES)
def school_page(request):
    cycle = cycle_current()
    if cycle is None:
        return _no_cycle(request)
    report = school_consistency(school_id=request.grant.school_id, cycle=cycle)
    return render(request, "activities/consistency.html", {"report": report, "cycle": cycle})


@role_required(*LEADER_ROLES)
def group_page(request, group_id):
    group = get_group_for_leader(request.user, group_id, write=False)
    cycle = cycle_current()
    if cycle is None:
        return _no_cycle(request)
    report = group_consistency(group=group, cycle=cycle)
    return render(
        request,
        "activities/group_consistency.html",
        {"report": report, "group": group, "cycle": cycle},
    )
