"""The leader's pages: topics, activities (保存 → 发布), coverage."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.selectors import cycle_current
from groups.selectors import one_activity_per_day

from .. import selectors
from ..access import (
    get_activity_for_leader,
    get_group_for_leader,
    get_topic_for_leader,
    groups_led_by,
)
from ..forms import ActivityForm, TopicForm
from ..models import Activity
from ..services import (
    DATE_LOCKED,
    ActivityError,
    activity_close,
    activity_create,
    activity_delete,
    activity_publish,
    activity_update,
    topic_create,
    topic_delete,
    topic_publish,
    topic_update,
)
from .common import LEADER_ROLES, SCHOOL_ROLES, run_service


@role_required(*LEADER_ROLES)
def leading(request):
    groups = list(groups_led_by(request.user).select_related("school"))
    if len(groups) == 1:
        return redirect("activities:group", groups[0].pk)
    return render(request, "activities/leading.html", {"groups": groups})


@role_required(*LEADER_ROLES)
def group_page(request, group_id):
    group = get_group_for_leader(request.user, group_id, write=False)
    return render(
        request,
        "activities/group.html",
        {
            "group": group,
            "topics": selectors.group_topics(group=group),
            "activities": selectors.group_activities(group=group),
        },
    )


@role_required(*LEADER_ROLES)
def topic_new(request, group_id):
    """保存为草稿: the topic is kept as a draft, to publish later."""
    return _topic_new(request, group_id, publish=False)


@require_POST
@role_required(*LEADER_ROLES)
def topic_new_publish(request, group_id):
    """保存并发布: the same form, published at once, so 添加活动 is there next."""
    return _topic_new(request, group_id, publish=True)


def _topic_new(request, group_id, *, publish: bool):
    group = get_group_for_leader(request.user, group_id)
    points = selectors.school_key_points(school_id=group.school_id, cycle=cycle_current())
    form = TopicForm(request.POST or None, points=points)
    if request.method == "POST" and form.is_valid():
        try:
            topic = topic_create(group=group, by=request.user, **form.cleaned_data)
        except ActivityError as error:
            form.add_error(None, str(error))
        else:
            if publish:
                topic_publish(topic=topic, by=request.user)
                messages.success(
                    request, f"研修专题《{topic.title}》已发布，现在可以在其下添加活动。"
                )
            else:
                messages.success(
                    request, f"研修专题《{topic.title}》已保存为草稿，发布后才能在其下添加活动。"
                )
            return redirect("activities:group", group.pk)
    return render(
        request, "activities/topic_form.html", {"form": form, "group": group, "points": points}
    )


@role_required(*LEADER_ROLES)
def topic_edit(request, topic_id):
    topic = get_topic_for_leader(request.user, topic_id)
    points = selectors.school_key_points(school_id=topic.group.school_id, cycle=topic.cycle)
    initial = {
        "title": topic.title,
        "description": topic.description,
        "key_points": topic.key_points.all(),
    }
    form = TopicForm(request.POST or None, initial=initial, points=points, once=False)
    if request.method == "POST" and form.is_valid():
        try:
            data = {k: v for k, v in form.cleaned_data.items() if k != "request_token"}
            topic_update(topic=topic, by=request.user, **data)
        except ActivityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "研修专题已保存。")
            return redirect("activities:group", topic.group_id)
    return render(
        request,
        "activities/topic_form.html",
        {"form": form, "group": topic.group, "topic": topic, "points": points},
    )


@require_POST
@role_required(*LEADER_ROLES)
def topic_publish_view(request, topic_id):
    topic = get_topic_for_leader(request.user, topic_id)
    run_service(
        request,
        lambda: topic_publish(topic=topic, by=request.user),
        success=f"研修专题《{topic.title}》已发布。",
    )
    return redirect("activities:group", topic.group_id)


@require_POST
@role_required(*LEADER_ROLES)
def topic_delete_view(request, topic_id):
    topic = get_topic_for_leader(request.user, topic_id)
    run_service(
        request,
        lambda: topic_delete(topic=topic, by=request.user),
        success=f"研修专题《{topic.title}》已删除。",
    )
    return redirect("activities:group", topic.group_id)


@role_required(*LEADER_ROLES)
def activity_new(request, topic_id):
    topic = get_topic_for_leader(request.user, topic_id)
    form = ActivityForm(request.POST or None, initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        try:
            activity = activity_create(topic=topic, by=request.user, **form.cleaned_data)
        except ActivityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"活动《{activity.title}》已保存为草稿。")
            return redirect("activities:detail", activity.pk)
    return render(
        request,
        "activities/activity_form.html",
        {
            "form": form,
            "topic": topic,
            "one_a_day": one_activity_per_day(school_id=topic.group.school_id),
        },
    )


@role_required(*LEADER_ROLES)
def activity_edit(request, activity_id):
    activity = get_activity_for_leader(request.user, activity_id)
    fields = ("title", "description", "held_on", "opens_on", "closes_on")
    initial = {f: getattr(activity, f) for f in fields}
    initial.update(hours_value=activity.hours_value, task_kind=activity.task_kind)
    # Said before submit, not after: once someone completed it, hours stay.
    hours_locked = activity.kind == Activity.Kind.OFFLINE and selectors.activity_has_completions(
        activity=activity
    )
    date_locked = (
        DATE_LOCKED.format(day=f"{activity.held_on:%Y-%m-%d}")
        if selectors.activity_date_locked(activity=activity)
        else ""
    )
    form = ActivityForm(
        request.POST or None,
        initial=initial,
        kind=activity.kind,
        hours_locked=hours_locked,
        date_locked=date_locked,
        once=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            data = {k: v for k, v in form.cleaned_data.items() if k != "request_token"}
            activity_update(activity=activity, by=request.user, **data)
        except ActivityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "活动已保存。")
            return redirect("activities:detail", activity.pk)
    return render(
        request,
        "activities/activity_form.html",
        {
            "form": form,
            "topic": activity.topic,
            "activity": activity,
            "hours_locked": hours_locked,
            "date_locked": date_locked,
            "one_a_day": one_activity_per_day(school_id=activity.group.school_id),
        },
    )


@require_POST
@role_required(*LEADER_ROLES)
def activity_publish_view(request, activity_id):
    activity = get_activity_for_leader(request.user, activity_id)
    run_service(
        request,
        lambda: activity_publish(activity=activity, by=request.user),
        success=f"活动《{activity.title}》已发布，已通知本组组员。",
    )
    return redirect("activities:detail", activity.pk)


@require_POST
@role_required(*LEADER_ROLES)
def activity_delete_view(request, activity_id):
    activity = get_activity_for_leader(request.user, activity_id)
    if run_service(
        request,
        lambda: activity_delete(activity=activity, by=request.user),
        success=f"草稿活动《{activity.title}》已删除。",
    ):
        return redirect("activities:group", activity.group_id)
    return redirect("activities:detail", activity.pk)


@require_POST
@role_required(*LEADER_ROLES)
def activity_close_view(request, activity_id):
    activity = get_activity_for_leader(request.user, activity_id)
    run_service(
        request, lambda: activity_close(activity=activity, by=request.user), success="活动已结束。"
    )
    return redirect("activities:detail", activity.pk)


@role_required(*LEADER_ROLES)
def group_coverage(request, group_id):
    group = get_group_for_leader(request.user, group_id, write=False)
    cycle = cycle_current()
    boards = selectors.coverage_for_groups(groups=[group], school_id=group.school_id, cycle=cycle)
    return render(
        request,
        "activities/coverage.html",
        {"boards": boards, "group": group, "cycle": cycle, "kinds": _kinds()},
    )


@role_required(*SCHOOL_ROLES)
def school_coverage(request):
    school_id = request.grant.school_id
    cycle = cycle_current()
    boards = selectors.coverage_for_groups(
        groups=selectors.school_groups(school_id=school_id), school_id=school_id, cycle=cycle
    )
    return render(
        request,
        "activities/coverage.html",
        {"boards": boards, "cycle": cycle, "kinds": _kinds(), "school_view": True},
    )


# Short column labels for a phone's width (two characters each); the full
# label stays in the page for screen readers.
SHORT_KIND_LABELS = {
    "discussion": "研讨",
    "homework": "作业",
    "observation": "评课",
    "offline": "线下",
}


def _kinds():
    return [(k, label, SHORT_KIND_LABELS.get(k, label)) for k, label in Activity.Kind.choices]
