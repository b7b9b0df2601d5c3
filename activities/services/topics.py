"""Topics (研修专题) and activities: create, edit, publish (保存 → 发布)."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Cycle
from accounts.selectors import cycle_current
from groups.models import ResearchGroup
from groups.selectors import one_activity_per_day

from ..models import Activity, ObservationForm, Status, Topic
from ..selectors import activity_date_locked, school_key_points
from ..window import cycle_ended_refusal
from .common import ActivityError, create_once, require_live_group
from .notifications import notify_group_members
from .observation import observation_form_default

# The allowed status changes, checked in one place (activity_transition).
TRANSITIONS = {
    Status.DRAFT: {Status.PUBLISHED},
    Status.PUBLISHED: {Status.CLOSED},
    Status.CLOSED: set(),
}


def _cycle_for(day: datetime.date) -> Cycle:
    cycle = Cycle.objects.filter(starts_on__lte=day, ends_on__gte=day).first() or cycle_current()
    if cycle is None:
        raise ActivityError("平台尚未设置研修周期，暂不能安排活动。")
    return cycle


def _require_cycle_running(cycle: Cycle, doing: str) -> None:
    # After the cycle ends nothing new is created in it (activities.window).
    refusal = cycle_ended_refusal(cycle=cycle, doing=doing)
    if refusal:
        raise ActivityError(refusal)


def _check_points(*, group, cycle, key_points) -> list:
    points = list(key_points)
    if not points:
        raise ActivityError("研修专题至少要针对一个学校的关键能力点。")
    allowed = set(
        school_key_points(school_id=group.school_id, cycle=cycle).values_list("pk", flat=True)
    )
    if not allowed:
        raise ActivityError("学校尚未设置本周期的校本主题和关键能力点，请先联系学校管理员。")
    outside = [p for p in points if p.pk not in allowed]
    if outside:
        names = "、".join(str(p) for p in outside)
        raise ActivityError(f"{names} 不是学校选定的关键能力点。")
    return points


@transaction.atomic
def topic_create(
    *,
    group: ResearchGroup,
    by,
    title: str,
    description: str = "",
    key_points,
    request_token=None,
) -> Topic:
    """A draft topic. A retry of the same form (`request_token`) returns the
    topic the first request made."""
    require_live_group(group)
    cycle = _cycle_for(timezone.localdate())
    _require_cycle_running(cycle, "新建研修专题")
    points = _check_points(group=group, cycle=cycle, key_points=key_points)
    topic, created = create_once(
        Topic,
        token=request_token,
        owner={"created_by": by},
        fields={"group": group, "cycle": cycle, "title": title, "description": description},
    )
    if created:
        topic.key_points.set(points)
    return topic


@transaction.atomic
def topic_update(*, topic: Topic, by, title: str, description: str = "", key_points) -> Topic:
    require_live_group(topic.group)
    points = _check_points(group=topic.group, cycle=topic.cycle, key_points=key_points)
    topic.title = title
    topic.description = description
    topic.save(update_fields=["title", "description"])
    topic.key_points.set(points)
    return topic


def topic_publish(*, topic: Topic, by) -> Topic:
    require_live_group(topic.group)
    if topic.is_published:
        return topic
    _require_cycle_running(topic.cycle, "发布研修专题")
    topic.status = Status.PUBLISHED
    topic.published_at = timezone.now()
    topic.save(update_fields=["status", "published_at"])
    return topic


def _same_day_clash(
    *, group: ResearchGroup, held_on, exclude_pk=None, published_only: bool = False
) -> Activity | None:
    """Seed 003 §8: one activity per group and day, unless the school turned the rule off.

    Saving a draft checks every activity (a draft claims its day); publishing
    checks only published ones, so of two drafts left on one day while the rule
    was off, the first to be published wins and the other is refused."""
    if not one_activity_per_day(school_id=group.school_id):
        return None
    others = Activity.objects.filter(group=group, held_on=held_on).exclude(pk=exclude_pk)
    if published_only:
        others = others.exclude(status=Status.DRAFT)
    return others.order_by("pk").first()


def _refuse_clash(*, group, held_on, exclude_pk=None, published_only: bool = False) -> None:
    clash = _same_day_clash(
        group=group, held_on=held_on, exclude_pk=exclude_pk, published_only=published_only
    )
    if clash:
        raise ActivityError(
            f"本教研组在 {held_on:%Y-%m-%d} 已有研修活动《{clash.title}》"
            f"（{clash.get_kind_display()}），同一教研组一天只能安排一个研修活动。"
        )


def _hours_for(kind: str, hours_value) -> int:
    if kind in Activity.FIXED_HOURS:
        return Activity.FIXED_HOURS[kind]
    try:
        hours = int(hours_value)
    except (TypeError, ValueError):
        raise ActivityError("请填写线下活动的学时（1 到 10）。") from None
    if not 1 <= hours <= Activity.OFFLINE_MAX_HOURS:
        raise ActivityError(f"线下活动学时须在 1 到 {Activity.OFFLINE_MAX_HOURS} 之间。")
    return hours


def _check_dates(*, cycle: Cycle, held_on, opens_on, closes_on) -> None:
    """DESIGN §2: an activity's open period (and so its date) lies inside its cycle."""
    if closes_on < opens_on:
        raise ActivityError("开放结束日期不能早于开始日期。")
    if not opens_on <= held_on <= closes_on:
        raise ActivityError("活动日期须在开放期内。")
    if opens_on < cycle.starts_on or closes_on > cycle.ends_on:
        raise ActivityError(
            f"活动日期和开放期须在研修周期“{cycle.name}”"
            f"（{cycle.starts_on:%Y-%m-%d} 至 {cycle.ends_on:%Y-%m-%d}）之内。"
        )


def _lock_group(group: ResearchGroup) -> None:
    # Two requests for the same group and day (two tabs, a double click, the
    # leader and a co-editor) must not both pass the clash check: each takes the
    # group row FOR UPDATE before checking, so the second waits until the first
    # commits and then sees its activity (READ COMMITTED re-reads per statement).
    # Proven in tests/test_activities_concurrency.py (PostgreSQL; SQLite
    # serialises writers anyway).
    list(ResearchGroup.objects.select_for_update().filter(pk=group.pk).values_list("pk"))


@transaction.atomic
def activity_create(
    *,
    topic: Topic,
    by,
    kind: str,
    title: str,
    description: str = "",
    held_on: datetime.date,
    opens_on: datetime.date,
    closes_on: datetime.date,
    hours_value: int | None = None,
    task_kind: str = "",
    request_token=None,
) -> Activity:
    """保存: a draft under `topic`, in the topic's cycle, checked against the
    one-activity-per-day rule. A retry of the same form (`request_token`)
    returns the activity the first request made."""
    if kind not in Activity.Kind.values:
        raise ActivityError("请选择活动类型。")
    group = topic.group
    require_live_group(group)
    _require_cycle_running(topic.cycle, "新建研修活动")
    hours = _hours_for(kind, hours_value)
    _check_dates(cycle=topic.cycle, held_on=held_on, opens_on=opens_on, closes_on=closes_on)
    _lock_group(group)
    # Under the group lock: a retry that arrives while the first request runs
    # waits here, then finds the activity (its day would otherwise "clash").
    if request_token is not None:
        made = Activity.objects.filter(created_by=by, request_token=request_token).first()
        if made is not None:
            return made
    _refuse_clash(group=group, held_on=held_on)
    activity = Activity.objects.create(
        request_token=request_token,
        topic=topic,
        group=group,
        cycle=topic.cycle,
        kind=kind,
        title=title,
        description=description,
        held_on=held_on,
        opens_on=opens_on,
        closes_on=closes_on,
        hours_value=hours,
        task_kind=task_kind if kind == Activity.Kind.HOMEWORK else "",
        created_by=by,
    )
    if kind == Activity.Kind.OBSERVATION:
        observation_form_default(activity=activity)
    return activity


# Said on the edit page beside the date, and as the refusal of a changed date.
DATE_LOCKED = (
    "该活动已上传佐证材料或已有组员计入学时，活动日期（{day}）不能再修改："
    "佐证材料证明活动在这一天已经开展。"
)


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    by,
    title: str,
    description: str = "",
    held_on: datetime.date,
    opens_on: datetime.date,
    closes_on: datetime.date,
    hours_value: int | None = None,
    task_kind: str = "",
) -> Activity:
    require_live_group(activity.group)
    if activity.status == Status.CLOSED:
        raise ActivityError("活动已结束，不能再修改。")
    hours = _hours_for(activity.kind, hours_value)
    if (
        hours != activity.hours_value
        and activity.participations.filter(completed_at__isnull=False).exists()
    ):
        raise ActivityError("已有教师完成此活动，不能再修改学时。")
    _check_dates(cycle=activity.cycle, held_on=held_on, opens_on=opens_on, closes_on=closes_on)
    if held_on != activity.held_on and activity_date_locked(activity=activity):
        raise ActivityError(DATE_LOCKED.format(day=f"{activity.held_on:%Y-%m-%d}"))
    if held_on != activity.held_on:
        _lock_group(activity.group)
        _refuse_clash(group=activity.group, held_on=held_on, exclude_pk=activity.pk)
    activity.title = title
    activity.description = description
    activity.held_on = held_on
    activity.opens_on = opens_on
    activity.closes_on = closes_on
    activity.hours_value = hours
    if activity.kind == Activity.Kind.HOMEWORK:
        activity.task_kind = task_kind
    activity.save(
        update_fields=[
            "title",
            "description",
            "held_on",
            "opens_on",
            "closes_on",
            "hours_value",
            "task_kind",
        ]
    )
    return activity


def activity_transition(*, activity: Activity, to: str, by) -> Activity:
    require_live_group(activity.group)
    if to not in TRANSITIONS[activity.status]:
        raise ActivityError(
            f"活动当前状态为“{activity.get_status_display()}”，不能改为“{Status(to).label}”。"
        )
    activity.status = to
    fields = ["status"]
    if to == Status.PUBLISHED:
        activity.published_at = timezone.now()
        fields.append("published_at")
    if to == Status.CLOSED:  # the refusals that follow name this day
        activity.closed_at = timezone.now()
        fields.append("closed_at")
    activity.save(update_fields=fields)
    return activity


@transaction.atomic
def activity_publish(*, activity: Activity, by) -> Activity:
    """发布: checks again (the rule may have been switched back on), then tells the members."""
    require_live_group(activity.group)
    if not activity.topic.is_published:
        raise ActivityError(f"请先发布研修专题《{activity.topic.title}》。")
    if activity.kind == Activity.Kind.OBSERVATION:
        if not (activity.video or activity.video_url):
            raise ActivityError("听课评课活动须先上传课堂视频或填写视频链接。")
        form = ObservationForm.objects.filter(activity=activity).first()
        if form is None or not form.questions.exists():
            raise ActivityError("听课评课表至少要有一个题目。")
    _lock_group(activity.group)
    # Under the lock, the status read before may be stale: a double click on
    # 发布 must publish (and notify) once, the second click finds it published.
    activity.refresh_from_db(fields=["status", "held_on"])
    if activity.status == Status.PUBLISHED:
        return activity
    _require_cycle_running(activity.cycle, "发布研修活动")
    _refuse_clash(
        group=activity.group, held_on=activity.held_on, exclude_pk=activity.pk, published_only=True
    )
    activity_transition(activity=activity, to=Status.PUBLISHED, by=by)
    notify_group_members(
        activity=activity,
        message=f"{activity.group.name}发布了{activity.get_kind_display()}《{activity.title}》"
        f"（{activity.held_on:%m月%d日}，{activity.hours_value} 学时）",
    )
    return activity


def activity_close(*, activity: Activity, by) -> Activity:
    """结束活动: members can no longer take part; what is done stays done.

    Deliberately NOT a reversal: completions and their credits were earned by
    work already handed in (a post, homework, a form, an offline session that
    took place), so closing keeps them. A closed activity is read-only: its
    evidence and participants are frozen too (see services.offline)."""
    return activity_transition(activity=activity, to=Status.CLOSED, by=by)


@transaction.atomic
def activity_delete(*, activity: Activity, by) -> None:
    """Delete a draft saved by mistake (it also frees its day). Members never saw
    a draft, so nothing of theirs hangs on it; published activities stay."""
    locked = Activity.objects.select_for_update().filter(pk=activity.pk).first()
    if locked is None:
        return
    require_live_group(activity.group)
    if locked.status != Status.DRAFT:
        raise ActivityError("只能删除尚未发布的草稿活动；已发布的活动请使用“结束活动”。")
    locked.delete()


@transaction.atomic
def topic_delete(*, topic: Topic, by) -> None:
    """Delete a draft topic with no activities (e.g. created by mistake)."""
    locked = Topic.objects.select_for_update().filter(pk=topic.pk).first()
    if locked is None:
        return
    require_live_group(topic.group)
    if locked.status != Status.DRAFT:
        raise ActivityError("已发布的研修专题不能删除。")
    if Activity.objects.filter(topic=locked).exists():
        raise ActivityError("该专题下已有活动，不能删除；请先删除其中的草稿活动。")
    locked.delete()
