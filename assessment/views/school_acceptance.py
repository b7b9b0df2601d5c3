"""The school's 整校推进验收 page (seed 001 校本推进安排 row 4: 学校管理员上传到平台,
并自评打分): the checklist with what is missing, uploads per item, the
platform's own records, the 95% gate, the self-score, submitting. The school
admin acts; the info team reads (and guides)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.access import get_school_for, role_required
from accounts.roles import Role

from ..access import get_own_proof_file, get_proof_item_for_school
from ..checklist import PROOF_ITEMS
from ..forms_acceptance import ProofUploadForm, SelfScoresForm
from ..selectors.acceptance import (
    DECIDED,
    acceptance_editable,
    acceptance_of,
    school_acceptance,
)
from ..services.acceptance import (
    DECIDED_MESSAGE,
    FROZEN,
    acceptance_submit,
    proof_file_delete,
    proof_files_add,
    self_scores_save,
)
from .common import current_cycle, form_errors, refuse

PAGE = "assessment:acceptance"


def _render(request, school, cycle, *, score_form=None, status=200):
    page = school_acceptance(school=school, cycle=cycle)
    can_edit = request.grant.role == Role.SCHOOL_ADMIN and page.editable
    score_form = score_form or SelfScoresForm(
        items=page.rubric.items, initial_scores=page.self_scores
    )
    context = {
        "school": school,
        "cycle": cycle,
        "page": page,
        "can_edit": can_edit,
        "upload_form": ProofUploadForm() if can_edit else None,
        "score_lines": score_form.grouped(page.rubric, page.self_scores),
        "default_items": PROOF_ITEMS,
    }
    return render(request, "assessment/acceptance_school.html", context, status=status)


@role_required(Role.SCHOOL_ADMIN, Role.INFO_TEAM)
def acceptance_page(request):
    school = get_school_for(request.grant, request.grant.school_id)
    cycle = current_cycle(request)
    if cycle is None:
        return render(request, "assessment/acceptance_school.html", {"school": school})
    return _render(request, school, cycle)


def _school_editing(request):
    """The school and cycle of a write; 403 with the reason once the materials
    are before the experts or decided (nothing of the request is stored)."""
    school = get_school_for(request.grant, request.grant.school_id)
    cycle = current_cycle(request)
    if cycle is None:
        raise PermissionDenied("当前没有研修周期。")
    acceptance = acceptance_of(school=school, cycle=cycle)
    if not acceptance_editable(acceptance):
        raise PermissionDenied(DECIDED_MESSAGE if acceptance.status in DECIDED else FROZEN)
    return school, cycle


@require_POST
@role_required(Role.SCHOOL_ADMIN)
def proof_upload(request, item_id: int):
    school, cycle = _school_editing(request)
    item = get_proof_item_for_school(request.grant, item_id, cycle)
    form = ProofUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(PAGE)
    try:
        made = proof_files_add(
            school=school,
            cycle=cycle,
            item=item,
            uploads=form.cleaned_data["files"],
            by=request.user,
            token=form.cleaned_data["request_token"],
        )
    except ValidationError as exc:
        refuse(request, exc)
    else:
        names = "、".join(f"“{f.original_name}”" for f in made)
        messages.success(request, f"第 {item.number} 项已上传 {names}。")
    return redirect(f"{_page_url()}#item-{item.number}")


@require_POST
@role_required(Role.SCHOOL_ADMIN)
def proof_delete(request, file_id: int):
    _school_editing(request)
    proof = get_own_proof_file(request.grant, file_id)
    try:
        proof_file_delete(file=proof, by=request.user)
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, f"已删除“{proof.original_name}”。")
    return redirect(PAGE)


@require_POST
@role_required(Role.SCHOOL_ADMIN)
def self_score_save(request):
    school, cycle = _school_editing(request)
    page = school_acceptance(school=school, cycle=cycle)
    form = SelfScoresForm(request.POST, items=page.rubric.items)
    if not form.is_valid():
        # The typed scores come back with their errors: nothing is lost.
        messages.error(request, "自评未保存：" + form_errors(form))
        return _render(request, school, cycle, score_form=form, status=400)
    try:
        n = self_scores_save(school=school, cycle=cycle, scores=form.scores(), by=request.user)
    except ValidationError as exc:
        refuse(request, exc)
        return _render(request, school, cycle, score_form=form, status=400)
    messages.success(request, f"自评已保存（{n}/{len(page.rubric.items)} 项已打分）。")
    return redirect(f"{_page_url()}#self-score")


@require_POST
@role_required(Role.SCHOOL_ADMIN)
def acceptance_submit_post(request):
    school = get_school_for(request.grant, request.grant.school_id)
    cycle = current_cycle(request)
    if cycle is None:
        return redirect(PAGE)
    try:
        acceptance_submit(school=school, cycle=cycle, by=request.user)
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, "已提交验收，材料已锁定，等待专家评分。")
    return redirect(PAGE)


def _page_url() -> str:
    return reverse(PAGE)
