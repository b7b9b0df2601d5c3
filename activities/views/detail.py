"""The activity page: what it is, and what the person may do in it now."""

from django.shortcuts import render
from django.utils import timezone

from accounts.access import role_required
from accounts.params import whole_number
from accounts.roles import Role

from .. import selectors, selectors_checkin, selectors_moments
from ..access import get_activity_page_for, is_leader
from ..forms import (
    DesignateForm,
    EvidenceForm,
    HomeworkForm,
    ObservationHeaderForm,
    PostForm,
    QuestionForm,
    VideoForm,
)
from ..forms_moments import VideoCommentForm
from ..models import Activity, VideoComment
from ..window import (
    activity_last_day,
    cycle_last_day,
    offline_held_refusal,
    window_refusal,
)
from .common import VIEWER_ROLES, draft_take

K = Activity.Kind


@role_required(*VIEWER_ROLES)
def activity_detail(request, activity_id):
    activity = get_activity_page_for(request.user, activity_id)
    user = request.user
    leader = is_leader(user, activity.group)
    member = activity.my_member
    participation = activity.my_participation if member else None
    # A member's own extension (延期) moves their dates on this page and in every check.
    # (None for offline activities: the leader's evidence completes them, never extended.)
    online = activity.kind != Activity.Kind.OFFLINE
    extended = activity.my_extension if member and online else None
    refusal = window_refusal(activity=activity, teacher=user, extended=extended)
    ctx = {
        "activity": activity,
        "is_leader": leader,
        "is_member": member,
        "participation": participation,
        # One rule for what the page offers and what the services accept.
        "is_open": refusal is None,
        "refusal": refusal,
        "cycle_ends_on": cycle_last_day(activity=activity, teacher=user, extended=extended),
        "last_day": activity_last_day(activity=activity, teacher=user, extended=extended),
        "extended_until": extended,
        "entered": bool(participation and participation.entered_at),
        "may_extend": leader or _school_admin_here(request, activity),
    }
    ctx.update(
        KIND_CONTEXT[activity.kind](
            activity,
            user,
            member=member,
            leader=leader,
            open_for_me=refusal is None,
            draft=draft_take(request, activity.pk) if member else None,
        )
    )
    ctx["start_at"] = _start_at(request)
    return render(request, "activities/detail.html", ctx)


def _school_admin_here(request, activity) -> bool:
    """The school admin of the activity's school: they may extend members' time."""
    grant = request.access.grant(Role.SCHOOL_ADMIN)
    return grant is not None and grant.school_id == activity.group.school_id


def _discussion(activity, user, *, member, leader, open_for_me, draft) -> dict:
    return {
        "posts": selectors.discussion_posts(activity=activity, user=user),
        "post_form": PostForm(initial={"body": draft if isinstance(draft, str) else ""}),
        "can_like": member and open_for_me,
    }


def _homework(activity, user, *, member, leader, draft, **_) -> dict:
    ctx = {}
    if member:
        submission = selectors.submission_of(activity=activity, user=user)
        ctx["submission"] = submission
        # What they typed and was refused (views.common.draft_keep) before what was accepted.
        if not isinstance(draft, str):
            draft = submission.text if submission else ""
        ctx["homework_form"] = HomeworkForm(initial={"text": draft})
    if leader:
        ctx["submissions"] = selectors.homework_submissions(activity=activity)
    return ctx


def _observation(activity, user, *, member, leader, draft, **_) -> dict:
    questions = selectors.observation_questions(activity=activity)
    if isinstance(draft, dict):  # the answers of a form refused (views.common.draft_keep)
        for q in questions:
            q.draft = draft.get(f"q{q.pk}", "")
    # The header comes with the questions; read alone only for a form without any.
    header = questions[0].form if questions else getattr(activity, "observation_form", None)
    ctx = {"questions": questions, "form_header": header}
    if member:
        ctx["my_response"] = selectors.observation_response_of(activity=activity, user=user)
    answered = ctx.get("my_response") is not None
    ctx.update(moments_context(activity, user, member=member, leader=leader, answered=answered))
    if leader:
        header_fields = ("lesson_title", "teacher_name", "subject_grade", "taught_on")
        ctx["video_form"] = VideoForm(initial={"video_url": activity.video_url})
        ctx["header_form"] = ObservationHeaderForm(
            initial={f: getattr(header, f, "") for f in header_fields}
        )
        ctx["question_form"] = QuestionForm()
        ctx["response_count"] = selectors.observation_response_count(activity=activity)
    return ctx


def moments_context(activity, user, *, member, leader, answered) -> dict:
    """Comments pinned to moments of the video: the leader reads all, a member
    their own and, once their form is in, everyone's; others none."""
    if not (member or leader):
        return {}
    return {
        "moments": selectors_moments.video_comments_for(
            activity=activity, user=user, leader=leader, answered=answered
        ),
        "comment_form": VideoCommentForm() if member else None,
    }


def _start_at(request) -> int | None:
    """?t=750 opens the page with the video at that moment (a hotspot link)."""
    value = request.GET.get("t", "")
    second = whole_number(value)
    return second if second is not None and second <= VideoComment.MAX_SECOND else None


def _offline(activity, user, *, member, leader, **_) -> dict:
    ctx = {
        "evidence": selectors.evidence_of(activity=activity),
        "participants": selectors.activity_participants_read(activity=activity),
    }
    if leader:
        candidates = selectors.members_to_designate(activity=activity)
        ctx["designate_form"] = DesignateForm(members=candidates) if candidates else None
        would = selectors.evidence_would_credit(activity=activity)
        ctx["evidence_form"] = EvidenceForm(
            would_credit=would,
            hours=activity.hours_value,
            leader_included=would and activity.my_participation,
        )
        ctx["leader_refusal"] = window_refusal(activity=activity, teacher=user, by_leader=True)
        ctx["evidence_too_early"] = offline_held_refusal(activity=activity)
        ctx["checkin_sheet"] = selectors_checkin.checkin_sheet_of(activity=activity)
        ctx["checkin_today"] = timezone.localdate() == activity.held_on
    if member:
        ctx["my_checkin"] = selectors_checkin.checkin_of(activity=activity, user=user)
    return ctx


# What each kind of activity adds to its page.
KIND_CONTEXT = {
    K.DISCUSSION: _discussion,
    K.HOMEWORK: _homework,
    K.OBSERVATION: _observation,
    K.OFFLINE: _offline,
}
