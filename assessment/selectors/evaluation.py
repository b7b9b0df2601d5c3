"""应用能力点测评: the register, the 95% gate, the leader's checks."""

from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.access import staff_of_school
from accounts.models import Cycle, School, User
from groups.models import GroupMember

from ..models import (
    AbilityEvaluation,
    PointChoice,
)
from .progress import _chosen, _count
from .rules import GATE_PERCENT, MIN_POINTS, evidence_requirement

Status = AbilityEvaluation.Status


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
    evaluation = AbilityEvaluation.objects.filter(
        teacher_id=OuterRef("teacher_id"), cycle=cycle, point_id=OuterRef("point_id")
    )
    qs = (
        PointChoice.objects.filter(school_id=school_id, cycle=cycle, teacher_id__in=teachers)
        .select_related("teacher", "point")
        .annotate(
            evaluation_status=Coalesce(
                Subquery(evaluation.values("status")[:1]), Value(Status.DRAFT)
            )
        )
        .order_by("teacher__real_name", "teacher_id", "point__sort_key", "point__code", "pk")
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
    qs = AbilityEvaluation.objects.filter(school_id=school_id, cycle=cycle)
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


def with_gate(qs, *, cycle: Cycle, user_field: str = "user_id"):
    """Annotate rows that point at a teacher (places) with what the gate reads
    of them: `point_count` (points chosen) and `passed_count` (chosen points
    合格). Filter or count them with GATE_PASSED. Subqueries: one query."""
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
        status=Status.PASSED,
    )
    return qs.annotate(point_count=_count(_chosen(teacher, cycle)), passed_count=_count(passed))


# A teacher counts toward the gate when they chose at least 3 points and every
# chosen point is 合格 (over rows annotated by with_gate).
GATE_PASSED = Q(point_count__gte=MIN_POINTS, passed_count__gte=F("point_count"))


def evaluation_gate(*, school: School, cycle: Cycle) -> Gate:
    """Whole-school acceptance's gate: a full-time teacher (active, teaching)
    passes when they chose at least 3 points and every chosen point is 合格.
    One query."""
    row = with_gate(
        staff_of_school(school.pk).filter(is_teacher=True, is_full_time=True), cycle=cycle
    ).aggregate(total=Count("pk"), passed=Count("pk", filter=GATE_PASSED))
    return Gate(full_time_total=row["total"], passed=row["passed"])


def evaluations_to_assess(*, school_id: int, cycle: Cycle) -> int:
    """How many evaluations wait for the info team (submitted or checked). One query."""
    return AbilityEvaluation.objects.filter(
        school_id=school_id, cycle=cycle, status__in=[Status.SUBMITTED, Status.VIEWED]
    ).count()


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
        AbilityEvaluation.objects.filter(
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
