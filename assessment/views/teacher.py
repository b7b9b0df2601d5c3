"""The teacher's pages: 我的研修 (the four steps, plan, points, summaries,
evaluation), the plan template, and their uploads."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.access import get_school_for, role_required
from accounts.exports import sandbox
from accounts.models import SchoolMembership
from accounts.roles import Role
from activities.selectors_extensions import materials_extension_until
from groups.selectors import groups_led_by

from ..files import EVALUATION_EVIDENCE, PLAN_TITLE, SUMMARY
from ..forms import EvidenceForm, PlanUploadForm, PointChoiceForm, SummaryUploadForm
from ..models import AbilityEvaluation, PointChoice, TeacherReview
from ..plan_docx import plan_template_docx
from ..selectors import (
    MIN_POINTS,
    allowed_points_for,
    evaluation_slots,
    materials_closed_message_for,
    materials_last_day,
    materials_open,
    teacher_materials,
    teacher_progress,
)
from ..selectors.acceptance import results_held_now
from ..services import (
    DropNeedsConfirmation,
    evaluation_submit,
    evidence_save,
    plan_upload,
    point_choices_save,
    summary_upload,
)
from ..services.evaluation import TEACHER_EDITABLE
from .common import current_cycle, form_errors, refuse

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _school(request):
    return get_school_for(request.grant, request.grant.school_id)


def _closed(request, cycle, is_open: bool) -> str:
    """The closed notice, naming the teacher's own last day; read only when closed."""
    return "" if is_open else materials_closed_message_for(teacher=request.user, cycle=cycle)


@role_required(Role.TEACHER)
def mine(request):
    """我的研修: the path, then each material in the order of the steps."""
    school = _school(request)
    cycle = current_cycle(request)
    if cycle is None:
        return render(request, "assessment/mine.html", {"cycle": None})
    materials = teacher_materials(teacher=request.user, cycle=cycle)
    progress = teacher_progress(teacher=request.user, cycle=cycle)
    # The teacher's own last day (a school's extension moves it): shown with
    # its countdown, and the one rule (materials_open) reads the same grant.
    extended = materials_extension_until(teacher=request.user, cycle=cycle)
    is_open = materials_open(teacher=request.user, cycle=cycle, extended=extended)
    review = materials.review
    locked = review is not None and review.result == TeacherReview.Result.PASSED
    return render(
        request,
        "assessment/mine.html",
        {
            "school": school,
            "cycle": cycle,
            "m": materials,
            "progress": progress,
            "is_open": is_open,
            "can_edit": is_open and not locked,
            "locked": locked,
            "closed_message": _closed(request, cycle, is_open),
            "last_day": materials_last_day(teacher=request.user, cycle=cycle, extended=extended),
            "extended_until": extended,
            "plan_form": PlanUploadForm(),
            "summary_form": SummaryUploadForm(),
            "summary_rules": SUMMARY.help_text,
            "min_points": MIN_POINTS,
        },
    )


@role_required(Role.TEACHER)
def plan_template(request):
    """附件 3 as .docx, prefilled with the teacher's name, school, subject,
    stage and chosen points."""
    school = _school(request)
    place = SchoolMembership.objects.active().get(user=request.user, school=school)
    cycle = current_cycle(request)
    points = []
    if cycle is not None:
        points = [
            c.point
            for c in PointChoice.objects.filter(teacher=request.user, cycle=cycle)
            .select_related("point")
            .order_by("point__sort_key", "point__code")
        ]
    leads = groups_led_by(user=request.user, school_id=school.pk).exists()
    content = plan_template_docx(
        name=request.user.real_name,
        school=school.name,
        subject=place.subject,
        stage=place.stage,
        duty="教研组长" if leads else "教师",
        points=points,
    )
    response = HttpResponse(content, content_type=DOCX)
    filename = f"{request.user.real_name}+{PLAN_TITLE}（模板）.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return sandbox(response)


@require_POST
@role_required(Role.TEACHER)
def plan_upload_view(request):
    school = _school(request)
    cycle = current_cycle(request)
    form = PlanUploadForm(request.POST, request.FILES)
    if cycle is None:
        return redirect("assessment:mine")
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("assessment:mine")
    try:
        plan = plan_upload(
            teacher=request.user, school=school, cycle=cycle, upload=form.cleaned_data["file"]
        )
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(
            request, f"提升计划已保存（{plan.original_name}）。研修周期结束前可以重新上传替换。"
        )
    return redirect(f"{_mine_url()}#plan")


def _mine_url():
    return reverse("assessment:mine")


@role_required(Role.TEACHER)
def points_edit(request):
    """Choose at least 3 points; dropping one that has a summary asks first."""
    school = _school(request)
    cycle = current_cycle(request)
    if cycle is None:
        return redirect("assessment:mine")
    materials = teacher_materials(teacher=request.user, cycle=cycle)
    options = allowed_points_for(school=school, cycle=cycle, chosen=materials.chosen_ids)
    form = PointChoiceForm(
        request.POST or None, points=options.points, initial={"points": materials.chosen_ids}
    )
    ask = None
    if request.method == "POST" and form.is_valid():
        try:
            change = point_choices_save(
                teacher=request.user,
                school=school,
                cycle=cycle,
                points=form.cleaned_data["points"],
                confirm_drop=form.cleaned_data["confirm"],
            )
        except DropNeedsConfirmation as needed:
            ask = needed
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            note = (
                f"，已删除 {change.removed_summaries} 份提升总结"
                if change.removed_summaries
                else ""
            )
            messages.success(request, f"能力点已保存{note}。请为每个能力点上传提升总结。")
            return redirect(f"{_mine_url()}#summaries")
    is_open = materials_open(teacher=request.user, cycle=cycle)
    return render(
        request,
        "assessment/points.html",
        {
            "cycle": cycle,
            "held": results_held_now(school_id=school.pk, cycle=cycle),
            "form": form,
            "options": options,
            "ask": ask,
            "summaries": materials.summaries,
            "is_open": is_open,
            "closed_message": _closed(request, cycle, is_open),
            "min_points": MIN_POINTS,
        },
    )


@require_POST
@role_required(Role.TEACHER)
def summary_upload_view(request, point_id: int):
    school = _school(request)
    cycle = current_cycle(request)
    if cycle is None:
        return redirect("assessment:mine")
    choice = get_object_or_404(
        PointChoice.objects.select_related("point"),
        teacher=request.user,
        cycle=cycle,
        point_id=point_id,
    )
    form = SummaryUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(f"{_mine_url()}#summaries")
    try:
        summary_upload(
            teacher=request.user,
            school=school,
            cycle=cycle,
            point=choice.point,
            upload=form.cleaned_data["file"],
        )
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, f"{choice.point.code} 的提升总结已保存。")
    return redirect(f"{_mine_url()}#summaries")


def _my_choice(request, cycle, point_id: int) -> PointChoice:
    """One of the teacher's own chosen points; 404 for any other."""
    return get_object_or_404(
        PointChoice.objects.select_related("point"),
        teacher=request.user,
        cycle=cycle,
        point_id=point_id,
    )


@role_required(Role.TEACHER)
def evaluation_page(request, point_id: int):
    """应用能力点测评 of one chosen point: the evidence slots to fill, then 提交."""
    _school(request)
    cycle = current_cycle(request)
    if cycle is None:
        return redirect("assessment:mine")
    choice = _my_choice(request, cycle, point_id)
    evaluation = (
        AbilityEvaluation.objects.filter(teacher=request.user, cycle=cycle, point=choice.point)
        .select_related("viewed_by", "assessed_by")
        .prefetch_related("items")
        .first()
    )
    slots, default = evaluation_slots(evaluation, choice.point)
    is_open = materials_open(teacher=request.user, cycle=cycle)
    status = evaluation.status if evaluation else AbilityEvaluation.Status.DRAFT
    held = results_held_now(school_id=request.grant.school_id, cycle=cycle)
    return render(
        request,
        "assessment/evaluation.html",
        {
            "cycle": cycle,
            "point": choice.point,
            "evaluation": evaluation,
            "slots": slots,
            "default_requirement": default,
            "is_open": is_open,
            "closed_message": _closed(request, cycle, is_open),
            "can_edit": is_open and status in TEACHER_EDITABLE and not held,
            "held": held,
            "complete": all(item for *_, item in slots),
            "rules": EVALUATION_EVIDENCE.help_text,
            "form": EvidenceForm(),
        },
    )


@require_POST
@role_required(Role.TEACHER)
def evidence_upload(request, point_id: int):
    school = _school(request)
    cycle = current_cycle(request)
    if cycle is None:
        return redirect("assessment:mine")
    choice = _my_choice(request, cycle, point_id)
    form = EvidenceForm(request.POST, request.FILES)
    back = redirect("assessment:evaluation", choice.point_id)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return back
    data = form.cleaned_data
    try:
        evidence_save(
            teacher=request.user,
            school=school,
            cycle=cycle,
            point=choice.point,
            kind=data["kind"],
            position=data["position"],
            upload=data.get("file"),
            link=data.get("link", ""),
        )
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, f"已保存：{data['kind']}。")
    return back


@require_POST
@role_required(Role.TEACHER)
def evaluation_submit_view(request, point_id: int):
    school = _school(request)
    cycle = current_cycle(request)
    if cycle is None:
        return redirect("assessment:mine")
    choice = _my_choice(request, cycle, point_id)
    try:
        evaluation_submit(teacher=request.user, school=school, cycle=cycle, point=choice.point)
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, "测评材料已提交，等待教研组长查看。")
    return redirect("assessment:evaluation", choice.point_id)
