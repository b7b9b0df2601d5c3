"""When a teacher may still act in an activity: the one place that decides it
(DESIGN §2, Time: an activity's open period lies inside its cycle; after the
cycle ends nothing is submitted or credited, except where a school admin or
leader granted one teacher an extension).

Every member action (join, post, like, homework, observation form) and every
leader action that credits someone (designating, offline evidence) asks
`window_refusal` about the teacher concerned, and so does the completion path
itself. It takes the teacher because an extension (activities.Extension, for
one teacher and one activity) moves that teacher's last day — of the open
period and, for this activity, of the cycle — here and nowhere else; it also
lets them act in an activity the leader ended (结束活动) until the new date.
Other teachers are untouched.

Callers that list many activities load the teacher's extensions once and pass
each as `extended` (None: none); otherwise it is looked up, and only when it
could matter (the period or the cycle is over, or the activity ended).
"""

import datetime

from django.utils import timezone

from .models import Activity, Status

# `extended` not given: look the teacher's extension up if it matters.
LOOK_UP = object()


def _d(day: datetime.date) -> str:
    return f"{day:%Y-%m-%d}"


def closed_on(activity: Activity) -> datetime.date:
    """The day the leader actually ended the activity (结束活动), in Asia/Shanghai;
    the planned end for activities closed before that was recorded."""
    if activity.closed_at is not None:
        return timezone.localdate(activity.closed_at)
    return min(activity.closes_on, timezone.localdate())


def extended_until(*, activity: Activity, teacher, extended=LOOK_UP) -> datetime.date | None:
    """The teacher's extension on the activity (the latest granted), or None."""
    if extended is not LOOK_UP:
        return extended
    if teacher is None or not getattr(teacher, "pk", None):
        return None
    from .selectors_extensions import activity_extension_until

    return activity_extension_until(activity=activity, teacher=teacher)


def activity_last_day(*, activity: Activity, teacher, extended=LOOK_UP) -> datetime.date:
    """The last day `teacher` may hand in work in the activity: the end of its
    open period, or later by an extension."""
    until = extended_until(activity=activity, teacher=teacher, extended=extended)
    return max(activity.closes_on, until) if until else activity.closes_on


def cycle_last_day(*, activity: Activity, teacher, extended=LOOK_UP) -> datetime.date:
    """The last day `teacher` may hand in work for, or be credited by, the
    activity's cycle: its end, or later by an extension on this activity."""
    until = extended_until(activity=activity, teacher=teacher, extended=extended)
    ends = activity.cycle.ends_on
    return max(ends, until) if until else ends


def window_refusal(
    *,
    activity: Activity,
    teacher,
    by_leader: bool = False,
    today: datetime.date | None = None,
    extended=LOOK_UP,
) -> str | None:
    """Why `teacher` may not act in (or, `by_leader`, be credited through) the
    activity today; None when they may. `by_leader`: the leader designates or
    uploads evidence, which is not bound by the open period (evidence comes
    after the activity took place) but by the activity being open at all and
    by the cycle."""
    today = today or timezone.localdate()
    if activity.is_draft:
        return "该活动尚未发布。"
    if activity.group.archived_at is not None:
        return "该教研组已归档，活动只能查看，不能再参与或计入学时。"
    ended = activity.status == Status.CLOSED
    late = today > activity.closes_on or today > activity.cycle.ends_on
    if (ended or late) and extended is LOOK_UP and not by_leader:
        extended = extended_until(activity=activity, teacher=teacher)
    until = None if extended is LOOK_UP or by_leader else extended
    extended_today = until is not None and today <= until
    if ended and not extended_today:
        if by_leader:
            return f"该活动已于 {_d(closed_on(activity))} 结束，参与组员和佐证材料不能再修改。"
        return f"该活动已于 {_d(closed_on(activity))} 结束，不能再提交。"
    if not by_leader and today > activity_last_day(
        activity=activity, teacher=teacher, extended=until
    ):
        if until:
            return f"你的延期已于 {_d(until)} 到期，不能再提交。"
        return f"该活动已于 {_d(activity.closes_on)} 结束，不能再提交。"
    last = cycle_last_day(activity=activity, teacher=teacher, extended=until)
    if today > last:
        return f"研修周期“{activity.cycle.name}”已于 {_d(last)} 结束，不能再提交材料或计入学时。"
    if not by_leader and today < activity.opens_on:
        return f"该活动将于 {_d(activity.opens_on)} 开放。"
    return None


def cycle_ended_refusal(
    *, cycle, doing: str, activity: Activity | None = None, teacher=None, today=None
) -> str | None:
    """Why nothing more happens in `cycle` today: after the cycle ends nothing
    is credited or reversed through its activities and nothing new is created
    in it (DESIGN §2 Time); None while it runs. `doing` says what is refused
    ("确认学时", "新建研修专题"). With an activity and a teacher, that teacher's
    own last day counts (cycle_last_day: an extension moves it for them only).

    For what window_refusal does not cover: confirming a claim, creating and
    publishing topics and activities."""
    today = today or timezone.localdate()
    if activity is not None:
        last = cycle_last_day(activity=activity, teacher=teacher)
    else:
        last = cycle.ends_on
    if today > last:
        return f"研修周期“{cycle.name}”已于 {_d(last)} 结束，不能再{doing}。"
    return None


def offline_held_refusal(*, activity: Activity, today: datetime.date | None = None) -> str | None:
    """Offline evidence proves an activity happened (DESIGN §2): none before its
    date, and so nobody is credited through it before then — by the evidence or
    by a designation once evidence stands (attack report 1 §3). None from its
    date on."""
    today = today or timezone.localdate()
    if today < activity.held_on:
        return (
            f"该线下活动定于 {_d(activity.held_on)} 举行，活动举行后才能上传佐证材料、"
            "计入学时（佐证材料证明活动已经开展）。"
        )
    return None


def place_began_refusal(
    *, activity: Activity, teacher, joined_on: datetime.date | None
) -> str | None:
    """A 线下活动 credits the people who were teachers of the school on its date
    (attack report 1 §2): not someone whose current place began after it —
    moved in, imported, or removed and added back since. `joined_on`: the day
    (Asia/Shanghai) their active place in the school began."""
    if joined_on is not None and joined_on > activity.held_on:
        return (
            f"{teacher.display_name}于 {_d(joined_on)} 加入本校，晚于该线下活动的日期 "
            f"{_d(activity.held_on)}，不能指定参与或计入该活动的学时。"
        )
    return None
