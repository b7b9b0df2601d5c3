"""The district's dashboard (看板) and its read-only view of one school, for
the district admin (the schools of their region) and the operator (every
school). A school outside the person's region answers 404
(accounts.access.get_school_for)."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.access import get_school_for, role_required, schools_visible_to
from accounts.models import School
from accounts.roles import Role
from accounts.selectors import cycle_current, districts_of
from groups.selectors import groups_of_school
from hours.charts import hours_histogram_chart, hours_progress_chart
from hours.selectors import group_names_by_user

from ..charts import stages_chart
from ..selectors import progress_of, review_teachers
from ..selectors.acceptance import (
    acceptance_stage,
    acceptances_by_school,
    average_of,
    experts_by_acceptance,
    platform_evidence,
)
from ..selectors.district import (
    PAGE_SIZE,
    SORT_OPTIONS,
    SORTS,
    STAGE_LABELS,
    STAGES,
    district_lines,
    district_schools,
    hours_of,
    stage_of,
)
from ..services.stats import school_stats_ensure, stage_summary_complete
from .district_exports import exports_context

DISTRICT = (Role.DISTRICT_ADMIN, Role.OPERATOR)
TEACHERS_PAGE = 25  # a phone screen or two of cards


def _choice(request, name: str, allowed) -> str:
    value = request.GET.get(name, "")
    return value if value in allowed else ""


@role_required(*DISTRICT)
def district_dashboard(request):
    """Every school of the region with its stage and figures; the schools by
    stage, the district's counted hours and each listed school's progress as
    pictures, the same figures in text; filters, search, sort, pages."""
    cycle = cycle_current()
    visible = schools_visible_to(request.grant)
    districts = list(districts_of(visible))
    region_id = next((d.pk for d in districts if str(d.pk) == request.GET.get("district")), None)
    search = request.GET.get("q", "").strip()
    stage = _choice(request, "stage", STAGE_LABELS)
    sort = request.GET.get("sort", "")
    sort = sort if sort.lstrip("-") in SORTS else ""
    context = {
        "cycle": cycle,
        "districts": districts,
        "region_id": region_id,
        "search": search,
        "stage": stage,
        "sort": sort,
        "sort_options": SORT_OPTIONS,
        "stages": STAGES,
        "filters": urlencode({k: v for k, v in request.GET.items() if k in ("district", "q")}),
        **exports_context(request, region_id=region_id),
    }
    if cycle is None:
        return render(request, "assessment/district_dashboard.html", context)
    scope = visible.filter(region_id=region_id) if region_id else visible
    rows = district_schools(
        schools=visible, cycle=cycle, stage=stage, region_id=region_id, search=search, sort=sort
    )
    summary, queued = stage_summary_complete(
        schools=scope, cycle=cycle, shown=lambda: _page(request, rows)
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    lines = district_lines(
        page, acceptances=acceptances_by_school(school_ids=[s.pk for s in page], cycle=cycle)
    )
    progress = [(line.school.name, line.hours) for line in lines]
    context.update(
        page=page,
        lines=lines,
        summary=summary,
        queued=queued,
        stages_chart=stages_chart(summary),
        histogram=hours_histogram_chart(summary.hours),
        stage_label=STAGE_LABELS.get(stage, ""),
        progress=progress,
        progress_chart=hours_progress_chart(progress),
    )
    return render(request, "assessment/district_dashboard.html", context)


@role_required(*DISTRICT)
def district_school(request, school_id: int):
    """One school, read-only: its stage and figures, its groups, its teachers
    (ID numbers masked, searched, in pages), its materials and its acceptance."""
    school = get_school_for(request.grant, school_id)
    cycle = cycle_current()
    context = {"school": school, "cycle": cycle, "can_open_materials": _district_admin(request)}
    if cycle is None:
        return render(request, "assessment/district_school.html", context)
    school_stats_ensure(schools=_one(school), cycle=cycle)
    row = district_schools(schools=_one(school), cycle=cycle).get()
    search = request.GET.get("q", "").strip()
    teachers = Paginator(
        review_teachers(school_id=school.pk, cycle=cycle, search=search), TEACHERS_PAGE
    ).get_page(request.GET.get("page"))
    names = group_names_by_user(school_id=school.pk, user_ids=[m.user_id for m in teachers])
    acceptance = acceptances_by_school(school_ids=[school.pk], cycle=cycle).get(school.pk)
    experts = experts_by_acceptance([acceptance.pk]) if acceptance else {}
    lines = experts.get(acceptance.pk, []) if acceptance else []
    context.update(
        row=row,
        stage=stage_of(row),
        stage_label=STAGE_LABELS[stage_of(row)],
        hours=hours_of(row),
        groups=groups_of_school(school_id=school.pk),
        search=search,
        page=teachers,
        teachers=[(m, progress_of(m), names.get(m.user_id, "")) for m in teachers],
        evidence=platform_evidence(school=school, cycle=cycle),
        acceptance=acceptance,
        acceptance_label=acceptance_stage(acceptance),
        experts=lines,
        average=average_of(lines),
    )
    return render(request, "assessment/district_school.html", context)


def _page(request, rows) -> list[int]:
    """The ids of the schools the page will show."""
    return [s.pk for s in Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))]


def _one(school):
    """The school as a queryset (the dashboard's selectors take querysets)."""
    return School.objects.filter(pk=school.pk).select_related("region")


def _district_admin(request) -> bool:
    """The acceptance's pages and the platform's records are the district
    admin's (assessment.views.acceptance_files.READERS), not the operator's."""
    return request.grant.role == Role.DISTRICT_ADMIN
