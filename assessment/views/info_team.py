"""The info team's pages: the evaluation register (测评结果登记表), recording
合格/不合格, and the school's pass rate against the 95% gate."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.access import get_school_for, role_required
from accounts.exports import xlsx_response
from accounts.roles import Role
from hours.selectors import group_names_by_user

from ..access import get_evaluation_for_school
from ..exports import register_xlsx
from ..forms import AssessForm
from ..models import AbilityEvaluation
from ..selectors import (
    GATE_PERCENT,
    REGISTER_STATUSES,
    RegisterLine,
    evaluation_gate,
    evaluation_slots,
    evaluations_for,
    register_choices,
)
from ..selectors.acceptance import results_held_now
from ..services import evaluation_assess
from .common import current_cycle, form_errors, group_filter, refuse

PAGE_SIZE = 50


@role_required(Role.INFO_TEAM, Role.SCHOOL_ADMIN)
def register(request):
    school = get_school_for(request.grant, request.grant.school_id)
    cycle = current_cycle(request)
    groups, group = group_filter(request, school.pk)
    status = request.GET.get("status", "")
    status = status if status in AbilityEvaluation.Status.values else ""
    search = request.GET.get("q", "").strip()
    context = {
        "school": school,
        "cycle": cycle,
        "groups": groups,
        "group": group,
        "status": status,
        "search": search,
        "statuses": REGISTER_STATUSES,
        "gate_percent": GATE_PERCENT,
        "can_assess": request.grant.role == Role.INFO_TEAM,
    }
    if cycle is None:
        return render(request, "assessment/register.html", context)
    choices = register_choices(
        school_id=school.pk, cycle=cycle, search=search, group_id=group and group.pk, status=status
    )
    if request.GET.get("export") == "xlsx":
        content = register_xlsx(
            choices,
            evaluations_for(school_id=school.pk, cycle=cycle),
            group_names_by_user(school_id=school.pk),
        )
        return xlsx_response(content, f"{school.name}-应用能力点测评结果登记表.xlsx")
    page = Paginator(choices, PAGE_SIZE).get_page(request.GET.get("page"))
    teacher_ids = {c.teacher_id for c in page}
    evaluations = evaluations_for(school_id=school.pk, cycle=cycle, teacher_ids=teacher_ids)
    names = group_names_by_user(school_id=school.pk, user_ids=teacher_ids)
    lines = [
        (
            n,
            RegisterLine(
                c, evaluations.get((c.teacher_id, c.point_id)), names.get(c.teacher_id, "")
            ),
        )
        for n, c in enumerate(page, start=page.start_index())
    ]
    context.update(
        page=page,
        lines=lines,
        gate=evaluation_gate(school=school, cycle=cycle),
        query=request.GET.urlencode(),
    )
    return render(request, "assessment/register.html", context)


@role_required(Role.INFO_TEAM, Role.SCHOOL_ADMIN)
def evaluation_detail(request, evaluation_id: int):
    evaluation = get_evaluation_for_school(request.grant, evaluation_id)
    slots, default = evaluation_slots(evaluation, evaluation.point)
    initial = {}
    if evaluation.status in (AbilityEvaluation.Status.PASSED, AbilityEvaluation.Status.FAILED):
        initial = {"result": evaluation.status, "remarks": evaluation.remarks}
    held = results_held_now(school_id=evaluation.school_id, cycle=evaluation.cycle_id)
    return render(
        request,
        "assessment/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "slots": slots,
            "default_requirement": default,
            "form": AssessForm(initial=initial),
            "can_assess": request.grant.role == Role.INFO_TEAM
            and evaluation.status != AbilityEvaluation.Status.DRAFT
            and evaluation.status != AbilityEvaluation.Status.RETURNED
            and evaluation.teacher_id != request.user.pk
            and not held,
            "held": held,
        },
    )


@require_POST
@role_required(Role.INFO_TEAM)
def evaluation_assess_post(request, evaluation_id: int):
    evaluation = get_evaluation_for_school(request.grant, evaluation_id)
    form = AssessForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("assessment:evaluation_detail", evaluation.pk)
    try:
        evaluation = evaluation_assess(
            evaluation=evaluation,
            by=request.user,
            result=form.cleaned_data["result"],
            remarks=form.cleaned_data["remarks"],
        )
    except ValidationError as exc:
        refuse(request, exc)
        return redirect("assessment:evaluation_detail", evaluation.pk)
    result = evaluation.get_status_display()
    messages.success(
        request, f"{evaluation.teacher.real_name} · {evaluation.point.code}：{result}。"
    )
    return redirect("assessment:register")
