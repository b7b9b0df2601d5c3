"""Reminders about activities (accounts.reminders): what a member who has not
completed an online activity is told, by the leader's 提醒 or by the daily job
three days before it closes for them. Kind "activity:<id>": at most one a day
per member and activity, whoever sends it."""

import datetime

from django.db.models import Q

from accounts.dates import countdown, day_words
from accounts.models import SchoolMembership
from accounts.reminders import Due, ReminderDay
from groups.models import GroupMember

from .models import Activity, Extension, Participation, Status
from .selectors_extensions import activities_extensions
from .window import activity_last_day, window_refusal

# The daily job reminds this many days before an activity closes (for a
# member with an extension: before their own last day).
DAYS_BEFORE = 3
ONLINE_KINDS = [Activity.Kind.DISCUSSION, Activity.Kind.HOMEWORK, Activity.Kind.OBSERVATION]
# What completes each online kind, as the reminder says it.
TO_DO = {
    Activity.Kind.DISCUSSION: "发表观点",
    Activity.Kind.HOMEWORK: "提交作业",
    Activity.Kind.OBSERVATION: "提交听课评课表",
}


def activity_reminder_kind(activity_id: int) -> str:
    return f"activity:{activity_id}"


def activity_reminder_text(
    *, activity: Activity, last_day: datetime.date, joined: bool, today: datetime.date | None = None
) -> str:
    """The reminder a member who has not completed the activity gets (prefilled
    on the leader's form, sent as it is by the daily job)."""
    left = countdown(last_day=last_day, today=today).words
    step = TO_DO.get(activity.kind, "完成活动")
    todo = step if joined else f"参与活动并{step}"
    return (
        f"提醒：研修活动《{activity.title}》将于 {day_words(last_day)}截止（{left}），"
        f"你还没有完成，请尽快{todo}。"
    )


def activity_closing_due(*, school_id: int, day: ReminderDay) -> list[Due]:
    """Members of the school's live groups who have not completed an online
    activity whose last day (for them) is DAYS_BEFORE days away. Four queries
    whatever the number of activities and members (activities, members,
    participations, extensions); one when nothing closes."""
    if day.cycle is None:
        return []
    target = day.today + datetime.timedelta(days=DAYS_BEFORE)
    extended = Extension.objects.filter(
        scope=Extension.Scope.ACTIVITY, school_id=school_id, cycle=day.cycle, until=target
    ).values("activity_id")
    activities = list(
        Activity.objects.filter(
            group__school_id=school_id,
            group__archived_at__isnull=True,
            cycle=day.cycle,
            kind__in=ONLINE_KINDS,
        )
        .exclude(status=Status.DRAFT)
        .filter(Q(status=Status.PUBLISHED, closes_on=target) | Q(pk__in=extended))
        .select_related("group", "cycle")
    )
    if not activities:
        return []
    ids = [a.pk for a in activities]
    teachers = SchoolMembership.objects.teachers().filter(school_id=school_id).values("user_id")
    members: dict[int, list[int]] = {}
    for group_id, user_id in GroupMember.objects.filter(
        group_id__in={a.group_id for a in activities}, user_id__in=teachers
    ).values_list("group_id", "user_id"):
        members.setdefault(group_id, []).append(user_id)
    state = {
        (activity_id, user_id): completed
        for activity_id, user_id, completed in Participation.objects.filter(
            activity_id__in=ids
        ).values_list("activity_id", "user_id", "completed_at")
    }
    extensions = activities_extensions(activity_ids=ids)
    due = []
    for activity in activities:
        for user_id in members.get(activity.group_id, []):
            key = (activity.pk, user_id)
            if state.get(key) is not None:  # completed
                continue
            until = extensions.get(key)
            last = activity_last_day(activity=activity, teacher=None, extended=until)
            if last != target:
                continue
            if window_refusal(activity=activity, teacher=None, today=day.today, extended=until):
                continue
            text = activity_reminder_text(
                activity=activity, last_day=last, joined=key in state, today=day.today
            )
            due.append(
                Due(user_id, activity_reminder_kind(activity.pk), text, activity.get_absolute_url())
            )
    return due
