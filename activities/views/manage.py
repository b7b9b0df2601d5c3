"""The leader's actions inside one activity: the lesson video and 听课评课表,
participants and evidence of a 线下活动, homework downloads."""

from urllib.parse import quote

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.exports import sandbox, xlsx_response

from .. import selectors, selectors_moments
from ..access import get_activity_for_leader, get_evidence_for_leader
from ..exports import observation_xlsx
from ..files import homework_zip_file
from ..forms import DesignateForm, EvidenceForm, ObservationHeaderForm, QuestionForm, VideoForm
from ..models import ObservationQuestion
from ..services import (
    ActivityError,
    CreditUnconfirmed,
    evidence_add,
    evidence_withdraw,
    observation_form_update,
    observation_question_add,
    observation_question_delete,
    observation_video_set,
    participant_undesignate,
    participants_designate,
)
from .common import LEADER_ROLES, designation_confirm, form_errors, run_service


def _back(activity, anchor="manage"):
    return redirect(f"{activity.get_absolute_url()}#{anchor}")


@require_POST
@role_required(*LEADER_ROLES)
def video_set(request, activity_id):
    activity = get_activity_for_leader(request.user, activity_id)
    form = VideoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return _back(activity)
    run_service(
        request,
        lambda: observation_video_set(
            activity=activity,
            by=request.user,
            upload=form.cleaned_data["video"],
            url=form.cleaned_data["video_url"],
        ),
        success="课堂视频已保存。",
    )
    return _back(activity)


@require_POST
@role_required(*LEADER_ROLES)
def observation_header(request, activity_id):
    activity = get_activity_for_leader(request.user, activity_id)
    form = ObservationHeaderForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return _back(activity)
    run_service(
        request,
        lambda: observation_form_update(activity=activity, by=request.user, **form.cleaned_data),
        success="听课评课表信息已保存。",
    )
    return _back(activity)


@require_POST
@role_required(*LEADER_ROLES)
def question_add(request, activity_id):
    activity = get_activity_for_leader(request.user, activity_id)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return _back(activity)
    data = form.cleaned_data
    run_service(
        request,
        lambda: observation_question_add(
            activity=activity,
            by=request.user,
            kind=data["kind"],
            prompt=data["prompt"],
            max_score=data["max_score"] or 10,
            choices=data["choices"].splitlines(),
        ),
        success="题目已添加。",
    )
    return _back(activity)


@require_POST
@role_required(*LEADER_ROLES)
def question_delete(request, activity_id, question_id):
    activity = get_activity_for_leader(request.user, activity_id)
    question = get_object_or_404(
        ObservationQuestion.objects.select_related("form__activity"),
        pk=question_id,
        form__activity=activity,
    )
    run_service(
        request,
        lambda: observation_question_delete(question=question, by=request.user),
        success="题目已删除。",
    )
    return _back(activity)


@role_required(*LEADER_ROLES)
def observation_results(request, activity_id):
    activity = get_activity_for_leader(request.user, activity_id, write=False)
    summary = selectors.observation_summary(activity=activity)
    questions = summary.questions
    return render(
        request,
        "activities/observation_results.html",
        {
            "activity": activity,
            "s": summary,
            # each answer beside its question, for the card layout on a phone
            "responses": [(r, list(zip(questions, a, strict=True))) for r, a in summary.rows],
            "charts": _results_charts(summary),
            # the moments of the video most commented on
            "hotspots": selectors_moments.video_comment_hotspots(activity=activity),
        },
    )


@role_required(*LEADER_ROLES)
def observation_export(request, activity_id):
    """Every 听课评课表 of the activity and every moment comment, as .xlsx."""
    activity = get_activity_for_leader(request.user, activity_id, write=False)
    content = observation_xlsx(
        summary=selectors.observation_summary(activity=activity),
        comments=selectors_moments.video_comments_all(activity=activity),
    )
    return xlsx_response(content, f"{activity.title}-听课评课.xlsx")


def _results_charts(summary) -> dict:
    """Chart specs (static/js/charts.js) for the results page: per scored
    question the average with its lowest–highest whisker; per single-choice
    question how often each choice was made."""
    number = {q.pk: n for n, q in enumerate(summary.questions, start=1)}
    scores = summary.score_questions
    charts = {"choices": []}
    if scores:
        charts["scores"] = {
            "kind": "bar",
            "horizontal": True,
            "unit": "分",
            "max": max(q.max_score for q, *_ in scores),
            "categories": [f"{number[q.pk]}. {q.prompt}" for q, *_ in scores],
            "series": [{"name": "平均分", "data": [avg for _, avg, _, _ in scores]}],
            "range": {
                "name": "最低–最高",
                "low": [low for _, _, low, _ in scores],
                "high": [high for _, _, _, high in scores],
            },
        }
    for q, counts in summary.choice_questions:
        if any(counts.values()):
            charts["choices"].append(
                (
                    q,
                    f"chart-choice-{q.pk}",
                    {
                        "kind": "bar",
                        "horizontal": True,
                        "unit": "人",
                        "categories": list(counts),
                        "series": [{"name": "人数", "data": list(counts.values())}],
                    },
                )
            )
    return charts


@require_POST
@role_required(*LEADER_ROLES)
def designate(request, activity_id):
    activity = get_activity_for_leader(request.user, activity_id)
    form = DesignateForm(request.POST, members=selectors.members_to_designate(activity=activity))
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return _back(activity)
    users = form.cleaned_data["users"]
    try:
        added = participants_designate(
            activity=activity,
            by=request.user,
            users=users,
            confirmed=form.cleaned_data["confirm_credit"],
        )
    except CreditUnconfirmed as ask:
        return designation_confirm(request, activity=activity, users=users, ask=ask)
    except ActivityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已指定 {added} 名组员参与。")
    return _back(activity)


@require_POST
@role_required(*LEADER_ROLES)
def undesignate(request, activity_id, user_id):
    activity = get_activity_for_leader(request.user, activity_id)
    participation = get_object_or_404(
        selectors.activity_participants(activity=activity), user_id=user_id
    )
    name = participation.user.display_name
    try:
        reversed_ = participant_undesignate(
            activity=activity, by=request.user, user=participation.user
        )
    except ActivityError as error:
        messages.error(request, str(error))
    else:
        if reversed_:
            messages.warning(
                request, f"已取消指定{name}，其完成记录和 {activity.hours_value} 学时已撤销。"
            )
        else:
            messages.success(request, f"已取消指定{name}。")
    return _back(activity)


@require_POST
@role_required(*LEADER_ROLES)
def evidence_new(request, activity_id):
    activity = get_activity_for_leader(request.user, activity_id)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return _back(activity)
    run_service(
        request,
        lambda: evidence_add(
            activity=activity,
            by=request.user,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            confirmed=form.cleaned_data["confirm_credit"],
            token=form.cleaned_data["request_token"],
        ),
        success="佐证材料已上传，指定的参与组员已记为完成并计入学时。",
    )
    return _back(activity)


@require_POST
@role_required(*LEADER_ROLES)
def evidence_withdraw_view(request, evidence_id):
    evidence = get_evidence_for_leader(request.user, evidence_id)
    try:
        undone = evidence_withdraw(evidence=evidence, by=request.user)
    except ActivityError as error:
        messages.error(request, str(error))
        return _back(evidence.activity)
    if undone:
        messages.warning(request, f"佐证材料已全部撤回，{undone} 名组员的完成记录和学时已撤销。")
    else:
        messages.success(request, "佐证材料已撤回。")
    return _back(evidence.activity)


@role_required(*LEADER_ROLES)
def homework_zip(request, activity_id):
    """All submissions as one .zip: a folder per member with text and files."""
    activity = get_activity_for_leader(request.user, activity_id, write=False)
    spool = homework_zip_file(selectors.homework_submissions(activity=activity))
    response = FileResponse(spool, content_type="application/zip")
    name = quote(f"{activity.title}-研修作业.zip")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return sandbox(response)
