"""Hours pages: 我的学时 (teacher), 组员学时 (leader), 教师学时 (school admin),
学时登记进度 (district admin)."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.access import role_required, schools_visible_to
from accounts.exports import xlsx_response
from accounts.figures import school_figures_kept
from accounts.roles import Role
from accounts.selectors import cycle_current
from groups.access import group_filtered
from groups.selectors import groups_led_by, groups_to_choose

from .acceptance import acceptance_label
from .charts import hours_histogram_chart
from .exports import group_hours_xlsx, school_hours_xlsx
from .models import RegistrationBatch
from .selectors import (
    HOURS_SORTS,
    REGISTRATION_STATUSES,
    HoursStats,
    group_members_hours,
    group_names_by_user,
    hours_breakdown,
    hours_claims_of,
    hours_elsewhere,
    hours_entries,
    hours_registration,
    hours_statement,
    hours_stats,
    hours_stats_by_group,
    hours_totals,
    registration_batch,
    registration_batches,
    registration_counts,
    school_hours,
    school_teacher_counts,
    schools_registration,
    totals_of,
)


@role_required(Role.TEACHER)
def my_hours(request):
    """The teacher's hours in their current school. Credits from a school they
    were removed from (调岗) were all reversed then; they are that school's
    record, so they appear here only as one line saying so, never as entries."""
    cycle = cycle_current()
    school_id = request.grant.school_id
    context = {"cycle": cycle}
    if cycle:
        # Every school's rows at once: this school's are listed, the others' make one line.
        everywhere = hours_entries(teacher=request.user, cycle=cycle)
        entries = [e for e in everywhere if e.school_id == school_id]
        context.update(
            totals=hours_totals(teacher=request.user, cycle=cycle),
            lines=hours_statement(entries),
            breakdown=hours_breakdown(entries),
            registration=hours_registration(teacher=request.user, cycle=cycle),
            elsewhere=hours_elsewhere(everywhere, school_id=school_id),
            claims=hours_claims_of(teacher=request.user, cycle=cycle),
        )
    return render(request, "hours/my_hours.html", context)


@role_required(Role.LEADER)
def group_hours(request):
    cycle = cycle_current()
    groups = list(groups_led_by(user=request.user, school_id=request.grant.school_id))
    # Not a group this leader leads: as if it did not exist.
    group = group_filtered(groups, request.GET.get("group", ""))
    shown = [group] if group else groups
    below = request.GET.get("below") == "1"
    sort = _sort(request)
    context = {
        "cycle": cycle,
        "groups": groups,
        "group": group,
        "below": below,
        "sort": sort,
        "query": _filters(request, "group", "below"),
    }
    if cycle is None or not groups:
        return render(request, "hours/group_hours.html", {**context, "sections": []})
    rows = group_members_hours(groups=shown, cycle=cycle, below=below, sort=sort)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(group_hours_xlsx(rows), "组员学时.xlsx")
    members: dict[int, list] = {g.pk: [] for g in shown}
    for m in rows:
        members[m.group_id].append((m, totals_of(m)))
    stats = hours_stats_by_group(rows=rows)
    context["sections"] = [
        (g, members[g.pk], stats.get(g.pk), hours_histogram_chart(stats.get(g.pk)), f"hist-{g.pk}")
        for g in shown
    ]
    return render(request, "hours/group_hours.html", context)


@role_required(Role.SCHOOL_ADMIN, Role.INFO_TEAM)
def school_hours_list(request):
    # The school is the grant's own (its id and name came with the roles query).
    school_id, school_name = request.grant.school_id, request.grant.place
    cycle = cycle_current()
    groups = groups_to_choose(school_id=school_id)
    search = request.GET.get("q", "").strip()
    group = group_filtered(groups, request.GET.get("group", ""))
    below = request.GET.get("below") == "1"
    sort = _sort(request)
    context = {
        "cycle": cycle,
        "groups": groups,
        "search": search,
        "group": group,
        "below": below,
        "sort": sort,
        "query": _filters(request, "q", "group", "below"),
    }
    if cycle is None:
        return render(request, "hours/school_hours.html", context)
    export = request.GET.get("export") == "xlsx"
    rows = school_hours(
        school_id=school_id,
        cycle=cycle,
        search=search,
        group_id=group and group.pk,
        below=below,
        sort=sort,
        listed=not export,
    )
    if export:
        names = group_names_by_user(school_id=school_id)
        return xlsx_response(school_hours_xlsx(rows, names), f"{school_name}-教师学时.xlsx")
    paginator = Paginator(rows, 50)
    # Unfiltered, the list is every active teacher of the school: the school's
    # kept figures (accounts.figures) count them and give their hours picture,
    # one row read instead of two passes over the teachers.
    kept = None
    if not (search or group or below):
        kept = school_figures_kept(school_id=school_id, cycle=cycle)
    if kept is not None:
        paginator.count = kept.teachers
        stats = HoursStats.of_buckets(kept.hours_buckets, kept.hours_counted)
    else:
        stats = hours_stats(rows=rows)
    page = paginator.get_page(request.GET.get("page"))
    names = group_names_by_user(school_id=school_id, user_ids=[m.user_id for m in page])
    context.update(
        page=page,
        rows=[(m, totals_of(m), names.get(m.user_id, "")) for m in page],
        total=page.paginator.count,
        batch=registration_batch(school_id=school_id, cycle=cycle),
        stats=stats,
        histogram=hours_histogram_chart(stats),
    )
    return render(request, "hours/school_hours.html", context)


def _filters(request, *names: str) -> str:
    """The list's filters as a query string, for sort links and the export."""
    return urlencode({n: request.GET[n] for n in names if request.GET.get(n)})


def _sort(request) -> str:
    sort = request.GET.get("sort", "")
    return sort if sort in HOURS_SORTS else ""


@role_required(Role.SCHOOL_ADMIN, Role.INFO_TEAM)
def school_registration_status(request):
    """The school's 学时登记 status alone, polled by htmx while a batch runs."""
    cycle = cycle_current()
    batch = cycle and registration_batch(school_id=request.grant.school_id, cycle=cycle)
    return render(request, "hours/_school_batch.html", {"cycle": cycle, "batch": batch})


@role_required(Role.DISTRICT_ADMIN, Role.OPERATOR)
def district_registration(request):
    """Read-only: 学时登记 of every school of the region, with progress. Nothing
    here starts a registration: that follows a passed whole-school acceptance,
    and until then a school reads 待验收 with where its acceptance stands."""
    cycle = cycle_current()
    search = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    context = {"cycle": cycle, "search": search, "status": status}
    if cycle is not None:
        schools = schools_visible_to(request.grant)
        counts = registration_counts(schools=schools, cycle=cycle)
        page = Paginator(
            schools_registration(schools=schools, cycle=cycle, status=status, search=search), 50
        ).get_page(request.GET.get("page"))
        ids = [s.pk for s in page]
        batches = registration_batches(school_ids=ids, cycle=cycle)
        teachers = school_teacher_counts(school_ids=ids, cycle=cycle)
        for school in page:
            school.teacher_count = teachers.get(school.pk, 0)
        rows = [(s, batches.get(s.pk), acceptance_label(s.acceptance_status)) for s in page]
        context.update(
            page=page,
            rows=rows,
            running=any(s.registration in RUNNING for s in page),
            statuses=[(value, label, counts[value]) for value, label in REGISTRATION_STATUSES],
        )
    template = "hours/_district_table.html" if request.htmx else "hours/district_registration.html"
    return render(request, template, context)


# The statuses of a registration under way, which the district's table polls.
RUNNING = (RegistrationBatch.Status.PENDING, RegistrationBatch.Status.RUNNING)
