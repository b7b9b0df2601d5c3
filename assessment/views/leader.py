"""The group leader's pages: members' evaluation evidence to check (查看 / 退回)
and the group's typical cases."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.roles import Role
from groups.selectors import groups_led_by
from hours.selectors import group_names_by_user

from ..access import get_case_for_leader, get_evaluation_for_leader
from ..files import CASE_DESIGN
from ..forms import CaseForm, ReasonForm
from ..selectors import (
    LEADER_FILTERS,
    cases_of_groups,
    evaluation_slots,
    leader_evaluations,
    materials_open,
)
from ..selectors.acceptance import CASES, results_held_now
from ..services import case_create, case_delete, evaluation_return, evaluation_view
from .common import current_cycle, form_errors, refuse


@role_required(Role.LEADER)
def evaluations(request):
    cycle = current_cycle(request)
    show = request.GET.get("show", "todo")
    show = show if show in LEADER_FILTERS or show == "all" else "todo"
    context = {"cycle": cycle, "show": show, "filters": LEADER_FILTERS}
    if cycle is not None:
        school_id = request.grant.school_id
        rows = leader_evaluations(user=request.user, school_id=school_id, cycle=cycle, show=show)
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
        names = group_names_by_user(school_id=school_id, user_ids=[e.teacher_id for e in page])
        context.update(page=page, rows=[(e, names.get(e.teacher_id, "")) for e in page])
    return render(request, "assessment/leader_evaluations.html", context)


@role_required(Role.LEADER)
def evaluation_check(request, evaluation_id: int):
    evaluation = get_evaluation_for_leader(request.user, evaluation_id)
    slots, default = evaluation_slots(evaluation, evaluation.point)
    return render(
        request,
        "assessment/leader_evaluation.html",
        {
            "evaluation": evaluation,
            # 已查看 changes no result; 退回 would reopen a held one.
            "held": results_held_now(school_id=evaluation.school_id, cycle=evaluation.cycle_id),
            "slots": slots,
            "default_requirement": default,
            "return_form": ReasonForm(label="退回原因"),
        },
    )


@require_POST
@role_required(Role.LEADER)
def evaluation_view_post(request, evaluation_id: int):
    evaluation = get_evaluation_for_leader(request.user, evaluation_id)
    try:
        evaluation_view(evaluation=evaluation, by=request.user)
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, f"已查看 {evaluation.teacher.display_name} 的测评材料。")
    return redirect("assessment:leader_evaluations")


@require_POST
@role_required(Role.LEADER)
def evaluation_return_post(request, evaluation_id: int):
    evaluation = get_evaluation_for_leader(request.user, evaluation_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("assessment:leader_evaluation", evaluation.pk)
    try:
        evaluation_return(
            evaluation=evaluation, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        refuse(request, exc)
        return redirect("assessment:leader_evaluation", evaluation.pk)
    messages.success(request, f"已退回 {evaluation.teacher.display_name} 的测评材料。")
    return redirect("assessment:leader_evaluations")


@role_required(Role.LEADER)
def cases(request):
    """The groups the leader leads, each with its cases; an upload form."""
    cycle = current_cycle(request)
    groups = groups_led_by(user=request.user, school_id=request.grant.school_id)
    form = CaseForm(request.POST or None, request.FILES or None, groups=groups)
    if cycle is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = case_create(
                group=data["group"],
                cycle=cycle,
                by=request.user,
                title=data["title"],
                design=data["design"],
                recording=data["recording"],
                recording_upload=data.get("recording_file"),
                recording_url=data.get("recording_url", ""),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"典型案例《{case.title}》已上传。")
            return redirect("assessment:cases")
    listed = list(groups)
    by_group = cases_of_groups(groups=listed, cycle=cycle) if cycle else {}
    return render(
        request,
        "assessment/leader_cases.html",
        {
            "cycle": cycle,
            "form": form,
            "sections": [(g, by_group.get(g.pk, [])) for g in listed],
            "is_open": cycle is not None and materials_open(teacher=request.user, cycle=cycle),
            "held": cycle
            and results_held_now(school_id=request.grant.school_id, cycle=cycle, what=CASES),
            "rules": CASE_DESIGN.help_text,
        },
    )


@require_POST
@role_required(Role.LEADER)
def case_delete_post(request, case_id: int):
    case = get_case_for_leader(request.user, case_id)
    try:
        case_delete(case=case, by=request.user)
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, f"典型案例《{case.title}》已删除。")
    return redirect("assessment:cases")
