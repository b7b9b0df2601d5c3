"""A member's actions: 参与活动, 进入研修, 发表观点, 点赞, 提交作业, 提交听课评课表."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.selectors import cycle_current, cycles_started

from .. import selectors
from ..access import get_activity_for_member, get_post_for_member
from ..forms import HomeworkForm, PostForm
from ..services import (
    ActivityError,
    homework_submit,
    like_set,
    observation_submit,
    participation_enter,
    participation_join,
    post_create,
)
from .common import MEMBER_ROLES, draft_keep, form_errors, run_service


@role_required(*MEMBER_ROLES)
def mine(request):
    """The current cycle's activities, or (?cycle=, the 研修周期 switch) an
    earlier cycle's: the started cycles are read once, for the switch and
    for the choice, which follows accounts.selectors.cycle_chosen (a started
    cycle, else the current one)."""
    cycles = cycles_started()
    wanted = request.GET.get("cycle", "")
    cycle = next((c for c in cycles if str(c.pk) == wanted), None)
    if cycle is None:
        cycle = cycles[0] if cycles else cycle_current()
    board = selectors.teacher_board(user=request.user, cycle=cycle)
    return render(
        request,
        "activities/mine.html",
        {"board": board, "cycle": cycle, "cycles": cycles if len(cycles) > 1 else []},
    )


@require_POST
@role_required(*MEMBER_ROLES)
def join(request, activity_id):
    activity = get_activity_for_member(request.user, activity_id)
    run_service(
        request,
        lambda: participation_join(activity=activity, user=request.user),
        success="已参与活动，点击“进入研修”开始。",
    )
    return redirect("activities:detail", activity.pk)


@require_POST
@role_required(*MEMBER_ROLES)
def enter(request, activity_id):
    activity = get_activity_for_member(request.user, activity_id)
    participation = selectors.participation_of(activity=activity, user=request.user)
    if participation is None:
        messages.error(request, "请先点击“参与活动”。")
        return redirect("activities:detail", activity.pk)
    participation_enter(participation=participation)
    return redirect(f"{activity.get_absolute_url()}#work")


@require_POST
@role_required(*MEMBER_ROLES)
def post_new(request, activity_id):
    activity = get_activity_for_member(request.user, activity_id)
    form = PostForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        draft_keep(request, activity, request.POST.get("body", ""))
        return redirect("activities:detail", activity.pk)
    done = run_service(
        request,
        lambda: post_create(
            activity=activity,
            user=request.user,
            body=form.cleaned_data["body"],
            token=form.cleaned_data["request_token"],
        ),
        success="观点已发表。",
    )
    if not done:
        draft_keep(request, activity, form.cleaned_data["body"])
    return redirect(f"{activity.get_absolute_url()}#posts")


@require_POST
@role_required(*MEMBER_ROLES)
def like(request, post_id):
    post = get_post_for_member(request.user, post_id)
    # The button says which it asks for (like=1 / like=0): a tap sent twice
    # leaves the state as asked.
    wanted = request.POST.get("like") != "0"
    try:
        liked, count = like_set(post=post, user=request.user, liked=wanted)
    except ActivityError as error:
        if request.htmx:
            return render(
                request, "activities/_like_button.html", {"post": post, "error": str(error)}
            )
        messages.error(request, str(error))
        return redirect("activities:detail", post.activity_id)
    post.liked, post.like_count = liked, count
    if request.htmx:
        return render(request, "activities/_like_button.html", {"post": post})
    return redirect(f"{post.activity.get_absolute_url()}#post-{post.pk}")


@require_POST
@role_required(*MEMBER_ROLES)
def homework_new(request, activity_id):
    activity = get_activity_for_member(request.user, activity_id)
    form = HomeworkForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        draft_keep(request, activity, request.POST.get("text", ""))
        return redirect("activities:detail", activity.pk)
    done = run_service(
        request,
        lambda: homework_submit(
            activity=activity,
            user=request.user,
            text=form.cleaned_data["text"],
            files=form.cleaned_data["files"],
        ),
        success="作业已提交。活动开放期内可以重新提交替换。",
    )
    if not done:
        draft_keep(request, activity, form.cleaned_data["text"])
    return redirect(f"{activity.get_absolute_url()}#work")


@require_POST
@role_required(*MEMBER_ROLES)
def observation_new(request, activity_id):
    activity = get_activity_for_member(request.user, activity_id)
    done = run_service(
        request,
        lambda: observation_submit(activity=activity, user=request.user, raw_answers=request.POST),
        success="听课评课表已提交。",
    )
    if not done:
        answers = {k: v for k, v in request.POST.items() if k.startswith("q")}
        draft_keep(request, activity, answers)
    return redirect(f"{activity.get_absolute_url()}#work")
