"""The expert's pages (seed 001 校本推进安排 row 6: 考核专家登录平台进行打分): the
schools assigned to them, and one scoring page per school with every material
in the page, the rubric with the school's self-score, a draft and a submit.
A school not assigned to the expert answers 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.roles import Role
from accounts.selectors import cycle_chosen

from ..access import get_assignment_for_expert
from ..forms_acceptance import ExpertScoresForm
from ..selectors.acceptance import (
    assignment_can_score,
    expert_assignments,
    expert_review,
    recusal_refusal,
)
from ..services.acceptance import expert_scores_save, expert_scores_submit
from .common import form_errors, refuse

PAGE_SIZE = 50


@role_required(Role.EXPERT)
def expert_schools(request):
    """评审学校: the expert's schools, those waiting for their scores first."""
    cycle = cycle_chosen(request)
    assignments = expert_assignments(
        expert=request.user, region_id=request.grant.region_id, cycle=cycle
    )
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assessment/expert_schools.html", {"cycle": cycle, "page": page})


def _render(request, assignment, *, form=None, status=200):
    review = expert_review(assignment)
    form = form or ExpertScoresForm(items=review.rubric.items, initial_scores=review.scores)
    return render(
        request,
        "assessment/expert_score.html",
        {
            "review": review,
            "acceptance": assignment.acceptance,
            "score_lines": form.grouped(review.rubric, review.self_scores, review.scores),
            # 回避: a place in the school begun after the assignment (scoring is refused).
            "recusal": recusal_refusal([assignment.expert_id], [assignment.acceptance.school_id]),
        },
        status=status,
    )


@role_required(Role.EXPERT)
def expert_score(request, acceptance_id: int):
    assignment = get_assignment_for_expert(request.grant, request.user, acceptance_id)
    return _render(request, assignment)


def _scoring(request, assignment):
    """The typed scores; 403 once the expert may no longer score (submitted,
    or the school is not before them)."""
    if not assignment_can_score(assignment):
        raise PermissionDenied(
            "你已提交对该校的评分。"
            if assignment.submitted_at
            else f"该校验收状态为“{assignment.acceptance.get_status_display()}”，现在不能评分。"
        )
    review = expert_review(assignment)
    return ExpertScoresForm(request.POST, items=review.rubric.items)


def _already_submitted(request, assignment):
    """A second 提交评分 (a double tap, twenty at once) answers like the first:
    back to the page, saying the scores went in once."""
    messages.info(request, f"你已提交对{assignment.acceptance.school.name}的评分，无需重复提交。")
    return redirect("assessment:expert_score", assignment.acceptance_id)


@require_POST
@role_required(Role.EXPERT)
def expert_score_save(request, acceptance_id: int):
    assignment = get_assignment_for_expert(request.grant, request.user, acceptance_id)
    form = _scoring(request, assignment)
    if not form.is_valid():
        messages.error(request, "评分未保存：" + form_errors(form))
        return _render(request, assignment, form=form, status=400)
    try:
        expert_scores_save(assignment=assignment, scores=form.scores())
    except ValidationError as exc:
        refuse(request, exc)
        return _render(request, assignment, form=form, status=400)
    messages.success(request, "草稿已保存，可稍后继续评分。")
    return redirect("assessment:expert_score", acceptance_id)


@require_POST
@role_required(Role.EXPERT)
def expert_score_submit(request, acceptance_id: int):
    assignment = get_assignment_for_expert(request.grant, request.user, acceptance_id)
    if assignment.submitted_at is not None:
        return _already_submitted(request, assignment)
    form = _scoring(request, assignment)
    if not form.is_valid():
        messages.error(request, "评分未提交：" + form_errors(form))
        return _render(request, assignment, form=form, status=400)
    try:
        submitted = expert_scores_submit(assignment=assignment, scores=form.scores())
    except ValidationError as exc:
        refuse(request, exc)
        return _render(request, assignment, form=form, status=400)
    if not submitted:
        return _already_submitted(request, assignment)
    messages.success(request, f"已提交对{assignment.acceptance.school.name}的评分。")
    return redirect("assessment:expert_score", acceptance_id)
