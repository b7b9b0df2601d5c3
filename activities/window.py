"""When a teacher may still act in an activity: the one place that decides it
(DESIGN §2, Time: an activity's open period lies inside its cycle; after the
cycle ends nothing is submitted or credited).

Every member action (join, post, like, homework, observation form) and every
leader action that credits someone (designating, offline evidence) asks
`window_refusal` about the teacher concerned, and so does the completion path
itself. It takes the teacher because a later rule grants one teacher an
extension (audited, by a school admin or leader): that rule changes
`last_day` here and nowhere else.
"""

import datetime

from django.utils import timezone

from .models import Activity, Status


def _d(day: datetime.date) -> str:
    return f"{day:%Y-%m-%d}"


def closed_on(activity: Activity) -> datetime.date:
    """The day the leader actually ended the activity (结束活动), in Asia/Shanghai;
    the planned end for activities closed before that was recorded."""
    if activity.closed_at is not None:
        return timezone.localdate(activity.closed_at)
    return min(activity.closes_on, timezone.localdate())


def cycle_last_day(*, activity: Activity, teacher) -> datetime.date:
    """The last day `teacher` may hand in work for, or be credited by, the
    activity's cycle. (Extensions, when they exist, move it for one teacher.)"""
    return activity.cycle.ends_on


def window_refusal(
    *, activity: Activity, teacher, by_leader: bool = False, today: datetime.date | None = None
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
    if activity.status == Status.CLOSED:
        if by_leader:
            return f"该活动已于 {_d(closed_on(activity))} 结束，参与组员和佐证材料不能再修改。"
        return f"该活动已于 {_d(closed_on(activity))} 结束，不能再提交。"
    if not by_leader and today > activity.closes_on:
        return f"该活动已于 {_d(activity.closes_on)} 结束，不能再提交。"
    last = cycle_last_day(activity=activity, teacher=teacher)
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
