"""The rules read in one place: the time rule, the minimum of points, the
evidence each point asks for, and which points a teacher may choose."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from accounts.models import Cycle, School, User
from activities.selectors_extensions import materials_extension_until
from activities.window import LOOK_UP
from groups.models import AbilityPoint
from groups.selectors import school_settings_for, theme_for

MIN_POINTS = 3
GATE_PERCENT = 95


# ---- the time rule ------------------------------------------------------------


def materials_last_day(*, teacher: User, cycle: Cycle, extended=LOOK_UP) -> datetime.date:
    """The last day `teacher` may upload or change materials for `cycle`: its
    end, or later by an extension the school granted them (activities.
    Extension, scope 研修周期材料). `extended`: the extension when the caller
    loaded it for many teachers (None: none); otherwise one query."""
    if extended is LOOK_UP:
        extended = materials_extension_until(teacher=teacher, cycle=cycle)
    return max(cycle.ends_on, extended) if extended else cycle.ends_on


def materials_open(*, teacher: User, cycle: Cycle, today=None, extended=LOOK_UP) -> bool:
    """Whether `teacher` may still upload or change materials (plan, points,
    summaries, evaluation evidence, typical cases) for `cycle` today. Seed 001
    §七: uploads close when the training cycle ends. The one place this is
    decided; a per-teacher extension (DESIGN §2 "Time") moves only that
    teacher's day, through materials_last_day. An extension is looked up only
    once the cycle is over, so open pages cost nothing more."""
    today = today or timezone.localdate()
    if today <= cycle.ends_on:
        return True
    return today <= materials_last_day(teacher=teacher, cycle=cycle, extended=extended)


def materials_closed_message(cycle: Cycle, last_day: datetime.date | None = None) -> str:
    """Why materials can no longer be changed, naming the day they closed."""
    end = last_day or cycle.ends_on
    if last_day and last_day > cycle.ends_on:
        return (
            f"你的材料提交延期已于 {end.year}年{end.month}月{end.day}日到期，材料已停止上传和修改。"
        )
    return f"研修周期已于 {end.year}年{end.month}月{end.day}日结束，材料已停止上传和修改。"


# ---- ability points and their evidence ------------------------------------------

# Seed 001's worked example (B1): 1 方案 + 2 学生成果及点评 + 1 反思视频 ≤ 5 分钟. Used
# for points whose catalogue row lists no evidence; the page says so.
DEFAULT_EVIDENCE = [
    {"kind": "学习活动方案或教学设计", "count": 1},
    {"kind": "学生成果及点评", "count": 2},
    {"kind": "教师反思视频（不超过 5 分钟）", "count": 1},
]


def evidence_requirement(point: AbilityPoint) -> tuple[list[dict], bool]:
    """The evidence slots the point asks for, and whether they are the default."""
    slots = [
        {"kind": str(s.get("kind", "")).strip()[:60], "count": max(int(s.get("count", 1)), 1)}
        for s in (point.evidence or [])
        if str(s.get("kind", "")).strip()
    ]
    if slots:
        return slots, False
    return [dict(s) for s in DEFAULT_EVIDENCE], True


def requirement_text(slots: list[dict]) -> str:
    return " + ".join(f"{s['count']} 份{s['kind']}" for s in slots)


@dataclass
class PointOptions:
    """The points a teacher of the school may choose, and why the list is what it is."""

    points: list
    key_point_ids: set
    any_point: bool
    note: str = ""


def allowed_points_for(*, school: School, cycle: Cycle, chosen: list[int] = ()) -> PointOptions:
    """The school's key points for the cycle, or every live point of its framework
    when the school allows others; a point already chosen stays even if retired.
    Three queries (settings, theme, its points) plus one for the framework's."""
    settings = school_settings_for(school=school)
    theme = theme_for(school=school, cycle=cycle)
    keys = list(theme.key_points.all()) if theme else []
    key_ids = {p.pk for p in keys}
    chosen = set(chosen)
    if settings.teachers_choose_any_point and settings.framework_id:
        points = list(
            AbilityPoint.objects.filter(
                Q(framework_id=settings.framework_id, retired=False) | Q(pk__in=chosen)
            ).order_by("sort_key", "code")
        )
        return PointOptions(points, key_ids, True, "本校允许选择关键能力点以外的能力点。")
    points = [p for p in keys if not p.retired or p.pk in chosen]
    points += list(
        AbilityPoint.objects.filter(pk__in=chosen - key_ids).order_by("sort_key", "code")
    )
    note = ""
    if not keys:
        note = "学校尚未设置校本主题的关键能力点，请联系学校管理员。"
    elif len(keys) < MIN_POINTS:
        note = f"本校关键能力点不足 {MIN_POINTS} 个，请联系学校管理员补充或允许选择其他能力点。"
    return PointOptions(sorted(points, key=lambda p: (p.sort_key, p.code)), key_ids, False, note)


def materials_closed_message_for(*, teacher: User, cycle: Cycle) -> str:
    """materials_closed_message with the teacher's own last day (one query)."""
    return materials_closed_message(cycle, materials_last_day(teacher=teacher, cycle=cycle))
