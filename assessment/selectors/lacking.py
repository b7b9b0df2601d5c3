"""Who lacks what (DOMAIN.md: "admins can't see who is behind"): per reason,
how many of the school's teachers lack it and who they are; per member of a
leader's groups, what they still miss. Read from the same annotations as the
school review (with_progress), so "lacks" and "未完成" never disagree.

The reasons, each one filter over those rows:
- hours: fewer than 25 recorded hours (the ledger's figure);
- plan: no 提升计划 uploaded;
- points: fewer than 3 ability points chosen;
- summaries: not a 提升总结 for each chosen point (at least 3);
- evaluation: 应用能力点测评 not done, as the 95% gate counts it — fewer than 3
  points chosen, or a chosen point not yet 合格.
"""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Count, Exists, F, OuterRef, Q

from accounts.access import staff_of_school
from accounts.compiled import CompiledAggregate, CompiledRead
from accounts.models import Cycle, User
from activities.selectors import with_open_not_done
from activities.selectors_extensions import materials_extension_subquery
from groups.models import GroupMember
from hours.selectors import HOURS_CAP

from ..models import AbilityEvaluation, PointChoice
from .progress import Progress, _count, progress_of, with_progress
from .review import ReviewCounts, review_aggregates, review_counts_of
from .rules import MIN_POINTS, materials_last_day


@dataclass(frozen=True)
class Reason:
    key: str
    label: str  # the count's title on the page
    short: str  # in one line of what someone lacks
    explain: str
    q: Q


REASONS = [
    Reason("hours", "学时未满 25", "学时", "计入学时不足 25 学时", Q(hours_recorded__lt=HOURS_CAP)),
    Reason("plan", "未上传提升计划", "提升计划", "还没有上传个人提升计划", Q(has_plan=False)),
    Reason(
        "points",
        f"能力点不足 {MIN_POINTS} 个",
        "能力点",
        f"所选能力点少于 {MIN_POINTS} 个",
        Q(point_count__lt=MIN_POINTS),
    ),
    Reason(
        "summaries",
        "提升总结未交齐",
        "提升总结",
        f"不是每个所选能力点（至少 {MIN_POINTS} 个）都有提升总结",
        Q(summary_count__lt=F("point_count")) | Q(summary_count__lt=MIN_POINTS),
    ),
    Reason(
        "evaluation",
        "能力点测评未完成",
        "能力点测评",
        f"所选能力点不足 {MIN_POINTS} 个，或有能力点尚未测评合格（95% 合格方可整校验收）",
        Q(point_count__lt=MIN_POINTS) | Q(evaluation_passed__lt=F("point_count")),
    ),
]
REASON_KEYS = {r.key: r for r in REASONS}
ANY = Q()
for _reason in REASONS:
    ANY |= _reason.q


def with_lacks(qs, *, cycle: Cycle, user_field: str = "user_id"):
    """with_progress plus what the reasons need: `evaluation_passed` (chosen
    points 合格) and `materials_until` (the teacher's extension, if any). Still
    one query for the list."""
    teacher = OuterRef(user_field)
    passed = AbilityEvaluation.objects.filter(
        Exists(
            PointChoice.objects.filter(
                teacher_id=OuterRef("teacher_id"),
                cycle_id=OuterRef("cycle_id"),
                point_id=OuterRef("point_id"),
            )
        ),
        teacher_id=teacher,
        cycle=cycle,
        status=AbilityEvaluation.Status.PASSED,
    )
    return with_progress(qs, cycle=cycle, user_field=user_field).annotate(
        evaluation_passed=_count(passed),
        materials_until=materials_extension_subquery(cycle=cycle, user_field=user_field),
    )


@dataclass(frozen=True)
class Lacks:
    """What one teacher lacks, read from a with_lacks row."""

    progress: Progress
    evaluation_passed: int
    last_day: datetime.date
    extended_until: datetime.date | None

    @property
    def evaluation_done(self) -> bool:
        p = self.progress
        return p.point_count >= MIN_POINTS and self.evaluation_passed >= p.point_count

    @property
    def words(self) -> list[str]:
        """["学时 10/25", "提升计划", "能力点 1/3", "提升总结 0/3", "能力点测评 0/3 合格"]."""
        words = list(self.progress.missing)
        if not self.evaluation_done:
            target = max(self.progress.point_count, MIN_POINTS)
            words.append(f"能力点测评 {self.evaluation_passed}/{target} 合格")
        return words

    @property
    def line(self) -> str:
        return "、".join(self.words) or "无"


def lacks_of(row, *, cycle: Cycle) -> Lacks:
    return Lacks(
        progress=progress_of(row),
        evaluation_passed=row.evaluation_passed,
        last_day=materials_last_day(teacher=None, cycle=cycle, extended=row.materials_until),
        extended_until=row.materials_until,
    )


# What lacks_of reads from a with_lacks row.
_LACKS_FIELDS = (
    "hours_recorded",
    "has_plan",
    "point_count",
    "summary_count",
    "review_result",
    "review_reason",
    "complete",
    "evaluation_passed",
    "materials_until",
)


def _one_teacher(teacher, cycle):
    qs = with_lacks(User.objects.filter(pk=teacher), cycle=cycle, user_field="pk")
    return qs.values(*_LACKS_FIELDS)


# Every teacher's and leader's home page reads it: its seven subqueries cost
# far more to build than to run, so it is compiled once (accounts.compiled).
_TEACHER_LACKS = CompiledRead(_one_teacher, "teacher", "cycle")


def teacher_lacks(*, teacher, cycle: Cycle) -> Lacks:
    """What one teacher lacks, their own last day and extension. One query."""
    (row,) = _TEACHER_LACKS.rows(teacher=teacher.pk, cycle=cycle.pk)
    return lacks_of(SimpleNamespace(**row), cycle=cycle)


def _teachers(school_id: int, cycle: Cycle):
    return with_lacks(staff_of_school(school_id).filter(is_teacher=True), cycle=cycle)


def _in_group(school_id: int, group_id: int) -> Exists:
    return Exists(
        GroupMember.objects.filter(
            user_id=OuterRef("user_id"), group_id=group_id, group__school_id=school_id
        )
    )


def school_lacking(
    *, school_id: int, cycle: Cycle, reason: str = "", search: str = "", group_id=None
):
    """The school's active teachers who lack `reason` (any reason when empty),
    in name order, searched and filtered by group. One query (the paginator
    adds its count)."""
    qs = _teachers(school_id, cycle).filter(REASON_KEYS[reason].q if reason in REASON_KEYS else ANY)
    if search:
        qs = qs.filter(user__real_name__contains=search)
    if group_id:
        qs = qs.filter(_in_group(school_id, group_id))
    return qs


@dataclass(frozen=True)
class LackCounts:
    total: int
    lacking: int  # lacking anything
    by_reason: list[tuple[Reason, int]]


def _lacking_aggregates() -> dict:
    return {
        "total": Count("pk"),
        "lacking": Count("pk", filter=ANY),
        **{r.key: Count("pk", filter=r.q) for r in REASONS},
    }


def _lack_counts_of(row: dict) -> LackCounts:
    return LackCounts(
        total=row["total"],
        lacking=row["lacking"],
        by_reason=[(r, row[r.key]) for r in REASONS],
    )


def lacking_counts(*, school_id: int, cycle: Cycle, group_id=None) -> LackCounts:
    """How many teachers lack each reason (and anything), of the school or one
    of its groups. One query."""
    qs = _teachers(school_id, cycle)
    if group_id:
        qs = qs.filter(_in_group(school_id, group_id))
    return _lack_counts_of(qs.aggregate(**_lacking_aggregates()))


def _school_counts(school, cycle):
    return _teachers(school, cycle), {**review_aggregates("review_"), **_lacking_aggregates()}


# The school's home page reads it on every visit; its subqueries cost more to
# build than to run (accounts.compiled).
_SCHOOL_COUNTS = CompiledAggregate(_school_counts, "school", "cycle")


def review_and_lacking_counts(*, school_id: int, cycle: Cycle) -> tuple[ReviewCounts, LackCounts]:
    """review_counts and lacking_counts of the whole school, read from the
    same rows (with_lacks is with_progress and more): one query for the two,
    as the school's home page shows them."""
    (row,) = _SCHOOL_COUNTS.rows(school=school_id, cycle=cycle.pk)
    return review_counts_of(row, "review_"), _lack_counts_of(row)


def _members_led(*, user, school_id: int, cycle):
    """Members of the live groups `user` leads in the school (the leader not
    among them, teachers of the school only), with what they lack."""
    return with_lacks(
        GroupMember.objects.filter(
            group__leader=user, group__school_id=school_id, group__archived_at__isnull=True
        )
        .exclude(user=user)
        .filter(user_id__in=staff_of_school(school_id).filter(is_teacher=True).values("user_id")),
        cycle=cycle,
    )


def members_lacking(*, user, school_id: int, cycle: Cycle, group_id=None, behind_only=True):
    """Members of the live groups `user` leads in the school (the leader not
    among them), each with what they lack and how many of the group's open
    activities they have not completed (`open_not_done`): group, then name.
    One query."""
    qs = _members_led(user=user, school_id=school_id, cycle=cycle).select_related("user", "group")
    qs = with_open_not_done(qs).order_by("group__name", "group_id", "user__real_name", "pk")
    if group_id:
        qs = qs.filter(group_id=group_id)
    if behind_only:
        qs = qs.filter(ANY)
    return qs


def members_lacking_count(*, user, school_id: int, cycle: Cycle) -> int:
    """How many members_lacking there are (the leader's home). One query."""
    (row,) = _MEMBERS_LACKING.rows(user=user.pk, school=school_id, cycle=cycle.pk)
    return row["n"]


# The leader's home counts them on every visit. Counted as a FILTER over the
# fenced rows (accounts.compiled): filtered in WHERE, PostgreSQL ran each
# subquery once for every condition that names its column.
_MEMBERS_LACKING = CompiledAggregate(
    lambda user, school, cycle: (
        _members_led(user=user, school_id=school, cycle=cycle),
        {"n": Count("pk", filter=ANY)},
    ),
    "user",
    "school",
    "cycle",
)


LACKING_HEADER = [
    "姓名",
    "身份证号",
    "所属教研组",
    "还缺什么",
    "计入学时",
    "个人提升计划",
    "能力点",
    "提升总结",
    "测评合格",
]


def lacking_cells(membership, lacks: Lacks, groups: str) -> list[str]:
    """One teacher's row as the page shows it and the export writes it."""
    p = lacks.progress
    return [
        membership.user.real_name,
        membership.user.masked_id_number,
        groups or "未加入",
        lacks.line,
        str(p.totals),
        "已上传" if p.has_plan else "未上传",
        f"{p.point_count}/{MIN_POINTS}",
        p.summaries_text,
        f"{lacks.evaluation_passed}/{max(p.point_count, MIN_POINTS)}",
    ]
