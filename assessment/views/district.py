"""The district admin's acceptance review (seed 001 校本推进安排 rows 5–7: 为各学校
安排考核专家, 确认考核结果): every school of the district with its status and
experts; assigning experts to one school or many at once; per school the
materials, each expert's scores beside the self-score and the average;
returning a school with a reason; confirming 通过 or 不通过. A school of another
district answers 404 (accounts.access.get_school_for)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.access import get_school_for, role_required, schools_visible_to
from accounts.roles import Role
from accounts.selectors import cycle_param
from hours.selectors import registration_batch

from ..access import get_assignment_for_district
from ..forms_acceptance import AssignForm, AssignManyForm, DistrictReasonForm
from ..selectors.acceptance import (
    DISTRICT_FILTERS,
    acceptance_of,
    acceptance_review,
    average_of,
    district_acceptances,
    district_counts,
    district_experts,
    experts_by_acceptance,
    experts_recused,
    scheme_of_region,
)
from ..selectors.evaluation import evaluation_gate
from ..selectors.rules import GATE_PERCENT
from ..services.acceptance import (
    acceptance_fail,
    acceptance_pass,
    acceptance_return,
    expert_unassign,
    experts_assign,
)
from .common import current_cycle, form_errors, refuse

PAGE_SIZE = 50
LIST = "assessment:district_acceptances"


def _back(request, name: str, *args):
    """Redirect to a district page, on the cycle the form was posted for."""
    url = reverse(name, args=args)
    cycle = cycle_param(request)
    return redirect(f"{url}?cycle={cycle}" if cycle else url)


@role_required(Role.DISTRICT_ADMIN)
def district_acceptances_page(request):
    """验收评审: the district's schools, filtered and searched, with their
    experts and averages; tick schools to assign experts to many at once."""
    cycle = current_cycle(request)
    status = request.GET.get("status", "")
    search = request.GET.get("q", "").strip()
    context = {"cycle": cycle, "status": status, "search": search}
    if cycle is None:
        return render(request, "assessment/district_acceptances.html", context)
    schools = schools_visible_to(request.grant)
    rows = district_acceptances(schools=schools, cycle=cycle, status=status, search=search)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    experts = experts_by_acceptance([s.acceptance_id for s in page])
    counts = district_counts(schools=schools, cycle=cycle)
    context.update(
        scheme=scheme_of_region(region_id=request.grant.region_id, cycle=cycle),
        page=page,
        rows=[
            (s, experts.get(s.acceptance_id, []), average_of(experts.get(s.acceptance_id, [])))
            for s in page
        ],
        filters=[(value, label, counts[value]) for value, label in DISTRICT_FILTERS],
        assign_form=AssignForm(experts=district_experts(region_id=request.grant.region_id)),
    )
    return render(request, "assessment/district_acceptances.html", context)


@require_POST
@role_required(Role.DISTRICT_ADMIN)
def experts_assign_many(request):
    cycle = current_cycle(request)
    form = AssignManyForm(
        request.POST,
        schools=schools_visible_to(request.grant),
        experts=district_experts(region_id=request.grant.region_id),
    )
    if cycle is None:
        return _back(request, LIST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return _back(request, LIST)
    _assign(request, cycle, list(form.cleaned_data["schools"]), form.cleaned_data["experts"])
    return _back(request, LIST)


def _assign(request, cycle, schools, experts) -> None:
    try:
        n = experts_assign(
            schools=schools,
            experts=list(experts),
            cycle=cycle,
            region_id=request.grant.region_id,
            by=request.user,
        )
    except ValidationError as exc:
        refuse(request, exc)
        return
    names = "、".join(e.display_name for e in experts)
    if n:
        messages.success(request, f"已为 {len(schools)} 所学校分配专家 {names}（新增 {n} 项）。")
    else:
        messages.info(request, "所选专家已分配给这些学校，没有新增。")


@role_required(Role.DISTRICT_ADMIN)
def district_acceptance(request, school_id: int):
    school = get_school_for(request.grant, school_id)
    cycle = current_cycle(request)
    context = {"school": school, "cycle": cycle}
    if cycle is not None:
        acceptance = acceptance_of(school=school, cycle=cycle)
        review = acceptance_review(acceptance) if acceptance else None
        experts = list(district_experts(region_id=request.grant.region_id))
        recused = experts_recused(school_id=school.pk, experts=experts)
        context.update(
            scheme=scheme_of_region(region_id=school.region_id, cycle=cycle),
            acceptance=acceptance,
            review=review,
            candidates=[(e, e.pk in recused) for e in experts],
            reason_form=DistrictReasonForm(),
            batch=registration_batch(school_id=school.pk, cycle=cycle),
            # As of now (the confirm checks it again): teachers change after submitting.
            gate=evaluation_gate(school=school, cycle=cycle),
            gate_percent=GATE_PERCENT,
        )
    return render(request, "assessment/district_acceptance.html", context)


def _acceptance_or_back(request, school_id: int):
    school = get_school_for(request.grant, school_id)
    cycle = current_cycle(request)
    acceptance = acceptance_of(school=school, cycle=cycle) if cycle else None
    if acceptance is None:
        messages.error(request, f"{school.name}尚未开始整校推进验收。")
    return school, cycle, acceptance


@require_POST
@role_required(Role.DISTRICT_ADMIN)
def expert_assign(request, school_id: int):
    school = get_school_for(request.grant, school_id)
    cycle = current_cycle(request)
    form = AssignForm(request.POST, experts=district_experts(region_id=request.grant.region_id))
    if cycle is not None:
        if form.is_valid():
            _assign(request, cycle, [school], form.cleaned_data["experts"])
        else:
            messages.error(request, form_errors(form))
    return _back(request, "assessment:district_acceptance", school.pk)


@require_POST
@role_required(Role.DISTRICT_ADMIN)
def expert_unassign_post(request, assignment_id: int):
    assignment = get_assignment_for_district(request.grant, assignment_id)
    try:
        expert_unassign(assignment=assignment, by=request.user)
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, f"已取消 {assignment.expert.display_name} 的分配。")
    return _back(request, "assessment:district_acceptance", assignment.acceptance.school_id)


def _decide(request, school_id: int, action, done: str, *, with_reason: bool):
    school, cycle, acceptance = _acceptance_or_back(request, school_id)
    if acceptance is not None:
        kwargs = {"acceptance": acceptance, "by": request.user}
        form = DistrictReasonForm(request.POST)
        if with_reason and not form.is_valid():
            messages.error(request, form_errors(form))
            return _back(request, "assessment:district_acceptance", school.pk)
        if with_reason:
            kwargs["reason"] = form.cleaned_data["reason"]
        try:
            action(**kwargs)
        except ValidationError as exc:
            refuse(request, exc)
        else:
            messages.success(request, f"{school.name}：{done}")
    return _back(request, "assessment:district_acceptance", school.pk)


@require_POST
@role_required(Role.DISTRICT_ADMIN)
def acceptance_return_post(request, school_id: int):
    return _decide(
        request, school_id, acceptance_return, "已退回，学校会看到退回原因。", with_reason=True
    )


@require_POST
@role_required(Role.DISTRICT_ADMIN)
def acceptance_pass_post(request, school_id: int):
    return _decide(
        request,
        school_id,
        acceptance_pass,
        "已确认通过，全校教师的学时正在登记。",
        with_reason=False,
    )


@require_POST
@role_required(Role.DISTRICT_ADMIN)
def acceptance_fail_post(request, school_id: int):
    return _decide(
        request, school_id, acceptance_fail, "已确认不通过，学校会看到原因。", with_reason=True
    )
