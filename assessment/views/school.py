"""The school admin's pages: 研修考核 (seed 001 §十一) and the typical cases."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.access import get_school_for, get_staff_member, role_required
from accounts.exports import xlsx_response
from accounts.roles import Role
from hours.selectors import group_names_by_user

from ..access import get_case_for_school
from ..exports import review_xlsx
from ..forms import RateForm, ReasonForm
from ..models import TeacherReview
from ..selectors import (
    COMPLETION_FILTERS,
    REVIEW_HEADER,
    cases_of_school,
    groups_without_case,
    progress_of,
    review_cells,
    review_counts_kept,
    review_teachers,
    teacher_materials,
    teacher_progress,
)
from ..selectors.acceptance import CASES, results_held_now
from ..services import case_rate, review_fail, review_pass, review_pass_complete
from ..services.stats import school_stats_read
from .common import back_to, current_cycle, form_errors, group_filter, refuse, safe_next

PAGE_SIZE = 50


def _filters(request, school_id: int) -> dict:
    groups, group = group_filter(request, school_id)
    completion = request.GET.get("completion", "")
    result = request.GET.get("result", "")
    sort = request.GET.get("sort", "")
    return {
        "groups": groups,
        "group": group,
        "search": request.GET.get("q", "").strip(),
        "completion": completion if completion in COMPLETION_FILTERS else "",
        "result": result if result in TeacherReview.Result.values else "",
        "sort": sort if sort in ("hours", "-hours") else "",
    }


@role_required(Role.SCHOOL_ADMIN)
def review(request):
    """研修考核: one row per teacher; search, filters, sort by hours, export."""
    school = get_school_for(request.grant, request.grant.school_id)
    cycle = current_cycle(request)
    f = _filters(request, school.pk)
    context = {"school": school, "cycle": cycle, **f, "results": TeacherReview.Result.choices}
    if cycle is None:
        return render(request, "assessment/review.html", context)
    rows = review_teachers(
        school_id=school.pk,
        cycle=cycle,
        search=f["search"],
        group_id=f["group"] and f["group"].pk,
        completion=f["completion"],
        result=f["result"],
        sort=f["sort"],
    )
    if request.GET.get("export") == "xlsx":
        names = group_names_by_user(school_id=school.pk)
        return xlsx_response(review_xlsx(rows, names), f"{school.name}-研修考核.xlsx")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    names = group_names_by_user(school_id=school.pk, user_ids=[m.user_id for m in page])
    start = page.start_index()
    lines = []
    for n, m in enumerate(page, start=start):
        progress = progress_of(m)
        cells = review_cells(m, progress, names.get(m.user_id, ""))
        lines.append((n, m, progress, list(zip(REVIEW_HEADER, cells, strict=True))))
    context.update(
        page=page,
        lines=lines,
        # The count line from the school's kept figures, as its home reads it
        # (counted from every teacher's materials, it was a third of this page).
        counts=review_counts_kept(school_stats_read(school_id=school.pk, cycle=cycle)),
        query=request.GET.urlencode(),
        # Each row links back here: read once, not per row.
        here=request.get_full_path(),
        here_q=quote(request.get_full_path(), safe="/"),  # as |urlencode
        held=results_held_now(school_id=school.pk, cycle=cycle),
    )
    return render(request, "assessment/review.html", context)


def _teacher_place(request, membership_id: int):
    membership = get_staff_member(request.grant, membership_id)
    if not membership.is_teacher:
        raise Http404
    return membership


@role_required(Role.SCHOOL_ADMIN)
def review_teacher(request, membership_id: int):
    """A teacher's materials, as an htmx panel in the review page or a page."""
    membership = _teacher_place(request, membership_id)
    cycle = current_cycle(request)
    if cycle is None:
        return redirect("assessment:review")
    context = {
        "membership": membership,
        "cycle": cycle,
        "m": teacher_materials(teacher=membership.user, cycle=cycle),
        "progress": teacher_progress(teacher=membership.user, cycle=cycle),
        "groups": group_names_by_user(
            school_id=membership.school_id, user_ids=[membership.user_id]
        ).get(membership.user_id, ""),
        "fail_form": ReasonForm(label="不通过原因"),
        "next": safe_next(request),
        "held": results_held_now(school_id=membership.school_id, cycle=cycle),
    }
    template = "assessment/_review_panel.html" if request.htmx else "assessment/review_teacher.html"
    return render(request, template, context)


@require_POST
@role_required(Role.SCHOOL_ADMIN)
def review_pass_post(request, membership_id: int):
    membership = _teacher_place(request, membership_id)
    cycle = current_cycle(request)
    if cycle is not None:
        try:
            review_pass(membership=membership, cycle=cycle, by=request.user)
        except ValidationError as exc:
            refuse(request, exc)
        else:
            messages.success(request, f"{membership.user.real_name}：考核通过。")
    return back_to(request, "assessment:review")


@require_POST
@role_required(Role.SCHOOL_ADMIN)
def review_fail_post(request, membership_id: int):
    membership = _teacher_place(request, membership_id)
    cycle = current_cycle(request)
    form = ReasonForm(request.POST)
    if cycle is None:
        return back_to(request, "assessment:review")
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return back_to(request, "assessment:review")
    try:
        review_fail(
            membership=membership, cycle=cycle, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, f"{membership.user.real_name}：考核不通过，已通知本人。")
    return back_to(request, "assessment:review")


@require_POST
@role_required(Role.SCHOOL_ADMIN)
def review_pass_all(request):
    school = get_school_for(request.grant, request.grant.school_id)
    cycle = current_cycle(request)
    if cycle is None:
        return back_to(request, "assessment:review")
    try:
        passed = review_pass_complete(school=school, cycle=cycle, by=request.user)
    except ValidationError as exc:  # the acceptance holds the results
        refuse(request, exc)
    else:
        if passed:
            messages.success(request, f"已通过 {passed} 位材料齐全的教师。")
        else:
            messages.info(request, "没有材料齐全、等待考核的教师。")
    return back_to(request, "assessment:review")


@role_required(Role.SCHOOL_ADMIN, Role.INFO_TEAM)
def school_cases(request):
    """典型案例 of the school's groups, the rating, and the groups with none."""
    school = get_school_for(request.grant, request.grant.school_id)
    cycle = current_cycle(request)
    context = {"school": school, "cycle": cycle}
    if cycle is not None:
        context.update(
            cases=list(cases_of_school(school_id=school.pk, cycle=cycle)),
            missing=list(groups_without_case(school_id=school.pk, cycle=cycle)),
            held=results_held_now(school_id=school.pk, cycle=cycle, what=CASES),
            ratings=RateForm.base_fields["rating"].choices,
        )
        context["can_rate"] = request.grant.role == Role.SCHOOL_ADMIN and not context["held"]
    return render(request, "assessment/school_cases.html", context)


@require_POST
@role_required(Role.SCHOOL_ADMIN)
def case_rate_post(request, case_id: int):
    case = get_case_for_school(request.grant, case_id)
    form = RateForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("assessment:school_cases")
    try:
        case = case_rate(case=case, by=request.user, rating=form.cleaned_data["rating"])
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, f"《{case.title}》：{case.get_rating_display()}。")
    return redirect("assessment:school_cases")
