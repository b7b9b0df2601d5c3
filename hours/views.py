"""Hours pages: 我的学时 (teacher), 组员学时 (leader), 教师学时 (school admin)."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from accounts.access import get_school_for, role_required
from accounts.roles import Role
from accounts.selectors import cycle_current
from accounts.views import xlsx_response
from groups.models import ResearchGroup

from .exports import school_hours_xlsx
from .selectors import (
    group_members_hours,
    group_names_by_user,
    hours_breakdown,
    hours_entries,
    hours_registration,
    hours_totals,
    led_groups,
    registration_batch,
    school_hours,
    totals_of,
)


@role_required(Role.TEACHER)
def my_hours(request):
    cycle = cycle_current()
    context = {"cycle": cycle}
    if cycle:
        entries = list(hours_entries(teacher=request.user, cycle=cycle))
        context.update(
            totals=hours_totals(teacher=request.user, cycle=cycle),
            entries=entries,
            breakdown=hours_breakdown(entries),
            registration=hours_registration(teacher=request.user, cycle=cycle),
        )
    return render(request, "hours/my_hours.html", context)


@role_required(Role.LEADER)
def group_hours(request):
    cycle = cycle_current()
    groups = list(led_groups(user=request.user, school_id=request.grant.school_id))
    members: dict[int, list] = {g.pk: [] for g in groups}
    if cycle and groups:
        for m in group_members_hours(groups=groups, cycle=cycle):
            members[m.group_id].append((m, totals_of(m)))
    sections = [(g, members[g.pk]) for g in groups]
    return render(request, "hours/group_hours.html", {"cycle": cycle, "sections": sections})


@role_required(Role.SCHOOL_ADMIN, Role.INFO_TEAM)
def school_hours_list(request):
    school = get_school_for(request.grant, request.grant.school_id)
    cycle = cycle_current()
    groups = ResearchGroup.objects.filter(school=school, archived_at__isnull=True).order_by("name")
    search = request.GET.get("q", "").strip()
    group_id = request.GET.get("group", "")
    group = get_object_or_404(groups, pk=group_id) if group_id.isdigit() else None
    below = request.GET.get("below") == "1"
    context = {
        "school": school,
        "cycle": cycle,
        "groups": groups,
        "search": search,
        "group": group,
        "below": below,
    }
    if cycle is None:
        return render(request, "hours/school_hours.html", context)
    rows = school_hours(
        school_id=school.id, cycle=cycle, search=search, group_id=group and group.pk, below=below
    )
    if request.GET.get("export") == "xlsx":
        names = group_names_by_user(school_id=school.id)
        return xlsx_response(school_hours_xlsx(rows, names), f"{school.name}-教师学时.xlsx")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    names = group_names_by_user(school_id=school.id, user_ids=[m.user_id for m in page])
    context.update(
        page=page,
        rows=[(m, totals_of(m), names.get(m.user_id, "")) for m in page],
        total=page.paginator.count,
        batch=registration_batch(school_id=school.id, cycle=cycle),
    )
    return render(request, "hours/school_hours.html", context)
