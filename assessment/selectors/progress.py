"""Completion of the school review (the one rule, COMPLETE), a teacher's progress
along the four steps, and one teacher's materials."""

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

from accounts.models import Cycle, SchoolMembership, User
from hours.selectors import HOURS_CAP, Totals, totals_of, with_hours

from ..models import (
    AbilityEvaluation,
    AbilitySummary,
    ImprovementPlan,
    PointChoice,
    ReviewDecision,
    TeacherReview,
)
from .rules import DEFAULT_EVIDENCE, MIN_POINTS, evidence_requirement, requirement_text

Result = TeacherReview.Result


# ---- completion: the one rule ---------------------------------------------------


def _count(qs):
    """COUNT of a correlated queryset as a subquery (0 when none)."""
    return Coalesce(
        Subquery(qs.order_by().values("teacher_id").annotate(n=Count("pk")).values("n")[:1]),
        0,
    )


def _chosen(teacher, cycle):
    return PointChoice.objects.filter(teacher_id=teacher, cycle=cycle)


def _summaries_of_chosen(teacher, cycle):
    """Live summaries whose point is one the teacher still has chosen."""
    return AbilitySummary.objects.filter(
        Exists(
            PointChoice.objects.filter(
                teacher_id=OuterRef("teacher_id"),
                cycle_id=OuterRef("cycle_id"),
                point_id=OuterRef("point_id"),
            )
        ),
        teacher_id=teacher,
        cycle=cycle,
    )


def _has(qs):
    """Whether the correlated queryset has a row, as a scalar subquery. Not
    EXISTS: PostgreSQL may run an EXISTS in the select list as a hash of the
    whole table's matching rows (56,000 plans scanned for a page of 50
    teachers, issue 15); a scalar subquery is probed by index, row by row."""
    one = qs.order_by().annotate(yes=Value(True, output_field=BooleanField())).values("yes")[:1]
    return Coalesce(Subquery(one), Value(False))


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
    review = TeacherReview.objects.filter(teacher_id=teacher, cycle=cycle)
    return (
        with_hours(qs, cycle=cycle, user_field=user_field)
        .annotate(
            has_plan=_has(ImprovementPlan.objects.filter(teacher_id=teacher, cycle=cycle)),
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
    def missing(self) -> list[str]:
        """What is still missing for 完成, in the order of the steps, as the
        teacher's home line and the reminders say it: ["学时 10/25", "提升计划",
        "能力点 1/3", "提升总结 0/3"]."""
        words = []
        if not self.totals.complete:
            words.append(f"学时 {self.totals}")
        if not self.has_plan:
            words.append("提升计划")
        if self.point_count < MIN_POINTS:
            words.append(f"能力点 {self.point_count}/{MIN_POINTS}")
        if self.summary_count < self.summary_target:
            words.append(f"提升总结 {self.summaries_text}")
        return words

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

    @property
    def requirement(self) -> str:
        """What the evaluation asks for, e.g. "1 份学习活动方案 + 2 份学生成果…"."""
        if self.evaluation is not None:
            return requirement_text(self.evaluation.requirement)
        return requirement_text(evidence_requirement(self.point)[0])


def evaluation_slots(evaluation, point) -> tuple[list, bool]:
    """[(kind, position, count, item or None)] for every evidence item asked
    for, and whether the requirement is the default one (seed 001's B1). Reads
    the evaluation's prefetched items: no query."""
    if evaluation is not None:
        slots = evaluation.requirement
        items = {(i.kind, i.position): i for i in evaluation.items.all()}
    else:
        slots, _ = evidence_requirement(point)
        items = {}
    rows = [
        (s["kind"], n, s["count"], items.get((s["kind"], n)))
        for s in slots
        for n in range(1, s["count"] + 1)
    ]
    return rows, slots == DEFAULT_EVIDENCE


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
    plan = ImprovementPlan.objects.filter(teacher=teacher, cycle=cycle).first()
    choices = list(
        PointChoice.objects.filter(teacher=teacher, cycle=cycle)
        .select_related("point")
        .order_by("point__sort_key", "point__code", "pk")
    )
    summaries = {s.point_id: s for s in AbilitySummary.objects.filter(teacher=teacher, cycle=cycle)}
    evaluations = {
        e.point_id: e for e in AbilityEvaluation.objects.filter(teacher=teacher, cycle=cycle)
    }
    review = (
        TeacherReview.objects.filter(teacher=teacher, cycle=cycle)
        .select_related("decided_by")
        .first()
    )
    decisions = (
        list(ReviewDecision.objects.filter(review=review).select_related("by")) if review else []
    )
    rows = [PointRow(c, summaries.get(c.point_id), evaluations.get(c.point_id)) for c in choices]
    return Materials(cycle=cycle, plan=plan, rows=rows, review=review, decisions=decisions)


# ---- removal --------------------------------------------------------------------


def teacher_materials_preview(*, membership: SchoolMembership) -> dict:
    """What a removal would clear in assessment: counts of the teacher's rows
    made in this school, every cycle (four queries). The confirmation page shows them."""
    mine = {"teacher_id": membership.user_id, "school_id": membership.school_id}
    return {
        "plans": ImprovementPlan.objects.filter(**mine).count(),
        "point_choices": PointChoice.objects.filter(**mine).count(),
        "summaries": AbilitySummary.objects.filter(**mine).count(),
        "evaluations": AbilityEvaluation.objects.filter(**mine).count(),
    }
