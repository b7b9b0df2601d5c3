"""Reads of teacher materials, the school review and the ability-point evaluation.
Every list costs a fixed number of queries whatever the school's size.

The rules read here, each in one place:
- materials_open: the time rule (uploads close when the cycle ends);
- COMPLETE (with with_progress): 研修考核 completion;
- evaluation_gate: the 95% of full-time teachers gate of whole-school acceptance.
"""

from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.access import staff_of_school
from accounts.models import Cycle, School, SchoolMembership, User
from groups.models import AbilityPoint, GroupMember, ResearchGroup
from groups.selectors import school_settings_for, theme_for
from hours.selectors import HOURS_CAP, Totals, totals_of, with_hours

from .models import (
    AbilityEvaluation,
    AbilitySummary,
    ImprovementPlan,
    PointChoice,
    ReviewDecision,
    TeacherReview,
    TypicalCase,
)

MIN_POINTS = 3
GATE_PERCENT = 95

Result = TeacherReview.Result
Status = AbilityEvaluation.Status

# ---- the time rule ------------------------------------------------------------


def materials_open(*, teacher: User, cycle: Cycle, today=None) -> bool:
    """Whether `teacher` may still upload or change materials (plan, points,
    summaries, evaluation evidence, typical cases) for `cycle` today. Seed 001
    §七: uploads close when the training cycle ends. The one place this is
    decided: a per-teacher extension (DESIGN §2 "Time") changes only this body."""
    today = today or timezone.localdate()
    return today <= cycle.ends_on


def materials_closed_message(cycle: Cycle) -> str:
    end = cycle.ends_on
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
            ).order_by("code")
        )
        return PointOptions(points, key_ids, True, "本校允许选择关键能力点以外的能力点。")
    points = [p for p in keys if not p.retired or p.pk in chosen]
    points += list(AbilityPoint.objects.filter(pk__in=chosen - key_ids).order_by("code"))
    note = ""
    if not keys:
        note = "学校尚未设置校本主题的关键能力点，请联系学校管理员。"
    elif len(keys) < MIN_POINTS:
        note = f"本校关键能力点不足 {MIN_POINTS} 个，请联系学校管理员补充或允许选择其他能力点。"
    return PointOptions(sorted(points, key=lambda p: p.code), key_ids, False, note)


# ---- completion: the one rule ---------------------------------------------------


def _count(qs):
    """COUNT of a correlated queryset as a subquery (0 when none)."""
    return Coalesce(
        Subquery(qs.order_by().values("teacher_id").annotate(n=Count("pk")).values("n")[:1]),
        0,
    )


def _chosen(teacher, cycle):
    return PointChoice.objects.live().filter(teacher_id=teacher, cycle=cycle)


def _summaries_of_chosen(teacher, cycle):
    """Live summaries whose point is one the teacher still has chosen."""
    return AbilitySummary.objects.live().filter(
        Exists(
            PointChoice.objects.live().filter(
                teacher_id=OuterRef("teacher_id"),
                cycle_id=OuterRef("cycle_id"),
                point_id=OuterRef("point_id"),
            )
        ),
        teacher_id=teacher,
        cycle=cycle,
    )


# 完成: plan uploaded + 25 counted hours + a summary for each chosen point, with at
# least 3 chosen (seed 001 §十一, DESIGN §2). Evaluated on rows from with_progress.
COMPLETE = (
    Q(has_plan=True)
    & Q(hours_recorded__gte=HOURS_CAP)
    & Q(point_count__gte=MIN_POINTS)
    & Q(summary_count__gte=F("point_count"))
)


def with_progress(qs, *, cycle: Cycle, user_field: str = "user_id"):
    """Annotate rows that point at a teacher (memberships, users, group members)
    with what completion needs, and `complete` itself, in the same query:
    has_plan, point_count, summary_count, hours_recorded (the ledger's own
    annotation), review_result, review_reason, complete."""
    teacher = OuterRef(user_field)
    review = TeacherReview.objects.live().filter(teacher_id=teacher, cycle=cycle)
    return (
        with_hours(qs, cycle=cycle, user_field=user_field)
        .annotate(
            has_plan=Exists(ImprovementPlan.objects.live().filter(teacher_id=teacher, cycle=cycle)),
            point_count=_count(_chosen(teacher, cycle)),
            summary_count=_count(_summaries_of_chosen(teacher, cycle)),
            review_result=Coalesce(Subquery(review.values("result")[:1]), Value(Result.PENDING)),
            review_reason=Coalesce(Subquery(review.values("reason")[:1]), Value("")),
        )
        .annotate(complete=ExpressionWrapper(COMPLETE, output_field=BooleanField()))
    )


@dataclass(frozen=True)
class Step:
    """One step of the teacher's path: label, figure, done, and where to do it."""

    key: str
    label: str
    figure: str
    done: bool
    url_name: str
    anchor: str = ""


@dataclass(frozen=True)
class Progress:
    """Where a teacher stands in the school review; read from a with_progress row."""

    totals: Totals
    has_plan: bool
    point_count: int
    summary_count: int
    result: str
    reason: str
    complete: bool

    @property
    def summary_target(self) -> int:
        """k of "n/k": the points chosen, or the minimum before 3 are chosen."""
        return max(self.point_count, MIN_POINTS)

    @property
    def summaries_text(self) -> str:
        return f"{self.summary_count}/{self.summary_target}"

    @property
    def result_label(self) -> str:
        return Result(self.result).label

    @property
    def completion_label(self) -> str:
        return "完成" if self.complete else "未完成"

    @property
    def steps(self) -> list[Step]:
        """The four steps in order (seed 001 任务单): hours, plan, points, summaries."""
        return [
            Step(
                "hours",
                "研修学时达到 25 学时",
                str(self.totals),
                self.totals.complete,
                "activities:mine",
            ),
            Step(
                "plan",
                "上传个人提升计划",
                "已上传" if self.has_plan else "未上传",
                self.has_plan,
                "assessment:mine",
                "plan",
            ),
            Step(
                "points",
                f"选择至少 {MIN_POINTS} 个能力点",
                f"已选 {self.point_count} 个",
                self.point_count >= MIN_POINTS,
                "assessment:points",
            ),
            Step(
                "summaries",
                "每个能力点上传一份提升总结",
                self.summaries_text,
                self.point_count >= MIN_POINTS and self.summary_count >= self.point_count,
                "assessment:mine",
                "summaries",
            ),
        ]

    @property
    def next_step(self) -> Step | None:
        return next((s for s in self.steps if not s.done), None)


def progress_of(row) -> Progress:
    return Progress(
        totals=totals_of(row),
        has_plan=row.has_plan,
        point_count=row.point_count,
        summary_count=row.summary_count,
        result=row.review_result,
        reason=row.review_reason,
        complete=row.complete,
    )


def teacher_progress_for(*, teacher_ids, cycle: Cycle) -> dict[int, Progress]:
    """Progress of many teachers, every id present. One query."""
    ids = list(teacher_ids)
    rows = with_progress(User.objects.filter(pk__in=ids), cycle=cycle, user_field="pk")
    return {u.pk: progress_of(u) for u in rows}


def teacher_progress(*, teacher: User, cycle: Cycle) -> Progress:
    return teacher_progress_for(teacher_ids=[teacher.pk], cycle=cycle)[teacher.pk]


# ---- one teacher's materials (我的研修, the review panel) -----------------------


@dataclass
class PointRow:
    """A chosen point with its summary and evaluation (seed 001 §十's table)."""

    choice: PointChoice
    summary: AbilitySummary | None
    evaluation: AbilityEvaluation | None

    @property
    def point(self):
        return self.choice.point


@dataclass
class Materials:
    cycle: Cycle
    plan: ImprovementPlan | None
    rows: list[PointRow]
    review: TeacherReview | None
    decisions: list = field(default_factory=list)

    @property
    def summaries(self) -> dict[int, AbilitySummary]:
        return {r.point.pk: r.summary for r in self.rows if r.summary}

    @property
    def chosen_ids(self) -> list[int]:
        return [r.point.pk for r in self.rows]


def teacher_materials(*, teacher: User, cycle: Cycle) -> Materials:
    """Plan, chosen points with summaries and evaluations, review and its
    history. Six queries."""
    plan = ImprovementPlan.objects.live().filter(teacher=teacher, cycle=cycle).first()
    choices = list(
        PointChoice.objects.live()
        .filter(teacher=teacher, cycle=cycle)
        .select_related("point")
        .order_by("point__code", "pk")
    )
    summaries = {
        s.point_id: s for s in AbilitySummary.objects.live().filter(teacher=teacher, cycle=cycle)
    }
    evaluations = {
        e.point_id: e for e in AbilityEvaluation.objects.live().filter(teacher=teacher, cycle=cycle)
    }
    review = (
        TeacherReview.objects.live()
        .filter(teacher=teacher, cycle=cycle)
        .select_related("decided_by")
        .first()
    )
    decisions = (
        list(ReviewDecision.objects.filter(review=review).select_related("by")) if review else []
    )
    rows = [PointRow(c, summaries.get(c.point_id), evaluations.get(c.point_id)) for c in choices]
    return Materials(cycle=cycle, plan=plan, rows=rows, review=review, decisions=decisions)


# ---- the school review (研修考核) -----------------------------------------------

COMPLETION_FILTERS = {"complete": True, "incomplete": False}
SORTS = {"hours": "hours_recorded", "-hours": "-hours_recorded"}


def review_teachers(
    *,
    school_id: int,
    cycle: Cycle,
    search: str = "",
    group_id: int | None = None,
    completion: str = "",
    result: str = "",
    sort: str = "",
):
    """Active teachers of the school with their progress, searched by name,
    filtered by group, completion and result, sorted by name or by hours. One
    query (the paginator adds its count)."""
    qs = with_progress(staff_of_school(school_id).filter(is_teacher=True), cycle=cycle)
    if search:
        qs = qs.filter(user__real_name__contains=search)
    if group_id:
        qs = qs.filter(
            Exists(
                GroupMember.objects.filter(
                    user_id=OuterRef("user_id"),
                    group_id=group_id,
                    group__school_id=school_id,
                )
            )
        )
    if completion in COMPLETION_FILTERS:
        qs = qs.filter(complete=COMPLETION_FILTERS[completion])
    if result in Result.values:
        qs = qs.filter(review_result=result)
    if sort in SORTS:
        qs = qs.order_by(SORTS[sort], "user__real_name", "pk")
    return qs


@dataclass(frozen=True)
class ReviewCounts:
    """共 N 人 · 完成 X · 通过 Y · 不通过 Z"""

    total: int
    complete: int
    passed: int
    failed: int

    @property
    def line(self) -> str:
        return (
            f"共 {self.total} 人 · 完成 {self.complete} · 通过 {self.passed} · 不通过 {self.failed}"
        )

    def percent(self, n: int) -> int:
        return n * 100 // self.total if self.total else 0

    @property
    def passed_percent(self) -> int:
        return self.percent(self.passed)

    @property
    def waiting(self) -> int:
        """Complete teachers not yet passed: what the school may pass now."""
        return self.complete - self.passed

    @property
    def waiting_percent(self) -> int:
        return self.percent(max(self.waiting, 0))

    @property
    def failed_percent(self) -> int:
        return self.percent(self.failed)


def review_counts(*, school_id: int, cycle: Cycle) -> ReviewCounts:
    """The count line over every active teacher of the school. One query."""
    row = with_progress(staff_of_school(school_id).filter(is_teacher=True), cycle=cycle).aggregate(
        total=Count("pk"),
        # COMPLETE itself, not Q(complete=True): Django 5.2 prunes the `complete`
        # annotation from the aggregate's subquery, and SQLite then reads the
        # quoted name as the string 'complete' (always false).
        complete=Count("pk", filter=COMPLETE),
        passed=Count("pk", filter=Q(review_result=Result.PASSED)),
        failed=Count("pk", filter=Q(review_result=Result.FAILED)),
    )
    return ReviewCounts(**row)


def review_cells(membership, progress: Progress, groups: str) -> list[str]:
    """One teacher's row as the page shows it and the export writes it (seed 001
    §十一), without 序号 and 操作."""
    return [
        membership.user.real_name,
        membership.user.masked_id_number,
        groups or "未加入",
        "已上传" if progress.has_plan else "未上传",
        str(progress.totals),
        progress.summaries_text,
        progress.completion_label,
        progress.result_label,
    ]


REVIEW_HEADER = [
    "姓名",
    "身份证号",
    "所属教研组",
    "个人提升计划",
    "校本研修学时",
    "个人提升总结",
    "完成情况",
    "考核结果",
]


# ---- 应用能力点测评 ---------------------------------------------------------------

REGISTER_STATUSES = [(s.value, s.label) for s in Status]


def register_choices(
    *,
    school_id: int,
    cycle: Cycle,
    search: str = "",
    group_id: int | None = None,
    status: str = "",
):
    """测评结果登记表: one row per chosen point of every active teacher of the
    school, annotated with the evaluation's status (待提交 when none). One query."""
    teachers = staff_of_school(school_id).filter(is_teacher=True).values("user_id")
    evaluation = AbilityEvaluation.objects.live().filter(
        teacher_id=OuterRef("teacher_id"), cycle=cycle, point_id=OuterRef("point_id")
    )
    qs = (
        PointChoice.objects.live()
        .filter(school_id=school_id, cycle=cycle, teacher_id__in=teachers)
        .select_related("teacher", "point")
        .annotate(
            evaluation_status=Coalesce(
                Subquery(evaluation.values("status")[:1]), Value(Status.DRAFT)
            )
        )
        .order_by("teacher__real_name", "teacher_id", "point__code", "pk")
    )
    if search:
        qs = qs.filter(teacher__real_name__contains=search)
    if group_id:
        qs = qs.filter(
            Exists(
                GroupMember.objects.filter(
                    user_id=OuterRef("teacher_id"), group_id=group_id, group__school_id=school_id
                )
            )
        )
    if status in Status.values:
        qs = qs.filter(evaluation_status=status)
    return qs


def evaluations_for(*, school_id: int, cycle: Cycle, teacher_ids=None) -> dict:
    """{(teacher_id, point_id): evaluation} with its assessor and evidence items
    (two queries), for the register's page or export."""
    qs = AbilityEvaluation.objects.live().filter(school_id=school_id, cycle=cycle)
    if teacher_ids is not None:
        qs = qs.filter(teacher_id__in=list(teacher_ids))
    qs = qs.select_related("assessed_by").prefetch_related("items")
    return {(e.teacher_id, e.point_id): e for e in qs}


@dataclass(frozen=True)
class RegisterLine:
    choice: PointChoice
    evaluation: AbilityEvaluation | None
    groups: str

    @property
    def slots(self) -> list[tuple[str, int, int]]:
        """(kind, items given, items asked) for each evidence slot."""
        if self.evaluation is not None and self.evaluation.requirement:
            slots = self.evaluation.requirement
        else:
            slots, _ = evidence_requirement(self.choice.point)
        items = list(self.evaluation.items.all()) if self.evaluation else []
        return [
            (s["kind"], sum(1 for i in items if i.kind == s["kind"]), s["count"]) for s in slots
        ]

    @property
    def status_label(self) -> str:
        return Status(self.evaluation.status if self.evaluation else Status.DRAFT).label

    @property
    def result_label(self) -> str:
        if self.evaluation and self.evaluation.status in (Status.PASSED, Status.FAILED):
            return self.evaluation.get_status_display()
        return "未测评"

    def cells(self) -> list[str]:
        e = self.evaluation
        assessed = e is not None and e.assessed_at is not None
        return [
            self.choice.teacher.real_name,
            self.groups or "未加入",
            f"{self.choice.point.code} {self.choice.point.name}",
            "；".join(f"{k} {n}/{c}" for k, n, c in self.slots),
            self.status_label,
            self.result_label,
            e.assessed_by.display_name if assessed and e.assessed_by else "",
            timezone.localtime(e.assessed_at).strftime("%Y-%m-%d") if assessed else "",
            e.remarks if e else "",
        ]


REGISTER_HEADER = [
    "姓名",
    "所属教研组",
    "应用能力点",
    "证据材料",
    "状态",
    "测评结果",
    "测评人",
    "测评日期",
    "备注",
]


@dataclass(frozen=True)
class Gate:
    """The 95% gate of whole-school acceptance (seed 001 校本实践应用考核): the
    share of full-time teachers (专任教师) whose every chosen point is 合格."""

    full_time_total: int
    passed: int

    @property
    def rate(self) -> float:
        return round(self.passed * 100 / self.full_time_total, 1) if self.full_time_total else 0.0

    @property
    def reached(self) -> bool:
        # Integer arithmetic: 95% of 20 teachers is exactly 19, with no rounding.
        return self.full_time_total > 0 and self.passed * 100 >= GATE_PERCENT * self.full_time_total

    @property
    def needed(self) -> int:
        """How many more full-time teachers must pass to reach the gate."""
        need = -(-GATE_PERCENT * self.full_time_total // 100)  # ceiling
        return max(need - self.passed, 0)


def evaluation_gate(*, school: School, cycle: Cycle) -> Gate:
    """Whole-school acceptance's gate: a full-time teacher (active, teaching)
    passes when they chose at least 3 points and every chosen point is 合格.
    One query."""
    teacher = OuterRef("user_id")
    passed = AbilityEvaluation.objects.live().filter(
        Exists(
            PointChoice.objects.live().filter(
                teacher_id=OuterRef("teacher_id"),
                cycle_id=OuterRef("cycle_id"),
                point_id=OuterRef("point_id"),
            )
        ),
        teacher_id=teacher,
        cycle=cycle,
        status=Status.PASSED,
    )
    row = (
        staff_of_school(school.pk)
        .filter(is_teacher=True, is_full_time=True)
        .annotate(point_count=_count(_chosen(teacher, cycle)), passed_count=_count(passed))
        .aggregate(
            total=Count("pk"),
            passed=Count(
                "pk",
                filter=Q(point_count__gte=MIN_POINTS, passed_count__gte=F("point_count")),
            ),
        )
    )
    return Gate(full_time_total=row["total"], passed=row["passed"])


def evaluations_to_assess(*, school_id: int, cycle: Cycle) -> int:
    """How many evaluations wait for the info team (submitted or checked). One query."""
    return (
        AbilityEvaluation.objects.live()
        .filter(school_id=school_id, cycle=cycle, status__in=[Status.SUBMITTED, Status.VIEWED])
        .count()
    )


# ---- the leader's checks ---------------------------------------------------------

LEADER_FILTERS = {
    "todo": ("待查看", [Status.SUBMITTED]),
    "viewed": ("已查看", [Status.VIEWED]),
    "returned": ("已退回", [Status.RETURNED]),
    "done": ("已测评", [Status.PASSED, Status.FAILED]),
}


def members_of_led_groups(*, user: User, school_id: int):
    """User ids of members of the live groups `user` leads in the school, the
    leader excluded (nobody checks their own evidence)."""
    return (
        GroupMember.objects.filter(
            group__leader=user, group__school_id=school_id, group__archived_at__isnull=True
        )
        .exclude(user=user)
        .values("user_id")
    )


def leader_evaluations(*, user: User, school_id: int, cycle: Cycle, show: str = "todo"):
    """Evaluations of the leader's members that were submitted at least once,
    filtered by LEADER_FILTERS. One query."""
    qs = (
        AbilityEvaluation.objects.live()
        .filter(
            school_id=school_id,
            cycle=cycle,
            teacher_id__in=members_of_led_groups(user=user, school_id=school_id),
        )
        .exclude(status=Status.DRAFT)
        .select_related("teacher", "point")
        .order_by("submitted_at", "pk")
    )
    if show in LEADER_FILTERS:
        qs = qs.filter(status__in=LEADER_FILTERS[show][1])
    return qs


def leader_evaluation_count(*, user: User, school_id: int, cycle: Cycle) -> int:
    return leader_evaluations(user=user, school_id=school_id, cycle=cycle).count()


# ---- typical cases -------------------------------------------------------------


def cases_of_school(*, school_id: int, cycle: Cycle):
    """Every case of the school's live groups for the cycle. One query."""
    return (
        TypicalCase.objects.filter(
            group__school_id=school_id, group__archived_at__isnull=True, cycle=cycle
        )
        .select_related("group", "uploaded_by", "rated_by")
        .order_by("group__name", "group_id", "created_at", "pk")
    )


def groups_without_case(*, school_id: int, cycle: Cycle):
    """Live groups of the school with no case for the cycle. One query."""
    has_case = TypicalCase.objects.filter(group=OuterRef("pk"), cycle=cycle)
    return (
        ResearchGroup.objects.filter(school_id=school_id, archived_at__isnull=True)
        .filter(~Exists(has_case))
        .select_related("leader")
        .order_by("name", "pk")
    )


def cases_of_groups(*, groups, cycle: Cycle) -> dict[int, list]:
    """{group_id: [cases]} for the given groups. One query."""
    out: dict[int, list] = {g.pk: [] for g in groups}
    for case in TypicalCase.objects.filter(group__in=list(groups), cycle=cycle).select_related(
        "uploaded_by"
    ):
        out[case.group_id].append(case)
    return out


# ---- removal --------------------------------------------------------------------


def teacher_materials_preview(*, membership: SchoolMembership) -> dict:
    """What a removal would clear in assessment: counts of the teacher's live
    rows in every cycle (four queries). The confirmation page shows them."""
    mine = {"teacher_id": membership.user_id}
    return {
        "plans": ImprovementPlan.objects.live().filter(**mine).count(),
        "point_choices": PointChoice.objects.live().filter(**mine).count(),
        "summaries": AbilitySummary.objects.live().filter(**mine).count(),
        "evaluations": AbilityEvaluation.objects.live().filter(**mine).count(),
    }
