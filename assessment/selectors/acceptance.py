"""Reads of whole-school acceptance (整校推进验收): the district's scheme, a
school's checklist and what it lacks, the scores side by side, and the lists
of the district, the expert and (for the district dashboard) many schools at
once. Every list costs a fixed number of queries whatever its length.

The rules read here, each in one place:
- acceptance_editable: the school may change its materials (准备中, 已退回);
- acceptance_missing: what stops a submission (an item without material, the
  95% gate, an unscored rubric item);
- assignment_can_score: an expert may still change their scores.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from accounts.access import regions_under
from accounts.compiled import CompiledRead
from accounts.models import Cycle, Region, RegionRole, School, SchoolMembership, User
from accounts.selectors import schools_with_counts
from groups.models import SchoolPlan

from ..models import (
    Acceptance,
    AcceptanceEvent,
    AcceptanceScheme,
    ExpertAssignment,
    ExpertScore,
    PointChoice,
    ProofFile,
    ProofItem,
    RubricItem,
    SelfScore,
    TypicalCase,
)
from .evaluation import Gate, evaluation_gate
from .rules import GATE_PERCENT

Status = Acceptance.Status
Platform = ProofItem.Platform

# What a school whose acceptance has not started reads, beside Status's labels.
NOT_STARTED = "未开始"
EDITABLE = (Status.DRAFT, Status.RETURNED)
DECIDED = (Status.PASSED, Status.FAILED)
# Statuses in which the school's materials are before the experts and the district.
UNDER_REVIEW = (Status.SUBMITTED, Status.SCORED, Status.PASSED, Status.FAILED)


# ---- for the district dashboard (and hours.acceptance) -------------------------


def acceptances_by_school(*, school_ids, cycle: Cycle) -> dict[int, Acceptance]:
    """{school_id: Acceptance} of the given schools for `cycle`, with the scheme,
    the number of assigned experts (`expert_count`) and of those who submitted
    (`scored_count`). One query, for any number of schools; a school without
    an acceptance is missing from the dict (acceptance_stage(None) says 未开始)."""
    qs = (
        Acceptance.objects.filter(school_id__in=list(school_ids), cycle=cycle)
        .select_related("scheme")
        .annotate(
            expert_count=Count("assignments"),
            scored_count=Count("assignments", filter=Q(assignments__submitted_at__isnull=False)),
        )
    )
    return {a.school_id: a for a in qs}


def acceptance_stage(acceptance: Acceptance | None) -> str:
    """The stage label of a school's acceptance: 准备中, 已提交验收, 已退回,
    已评分, 已通过, 未通过, or 未开始 when it has none."""
    return acceptance.get_status_display() if acceptance is not None else NOT_STARTED


ACCEPTANCE_LABELS = dict(Status.choices)


def acceptances_of_cycle(cycle: Cycle):
    """For hours.acceptance: the acceptances of a cycle (school_id, status)."""
    return Acceptance.objects.filter(cycle=cycle)


# ---- the scheme ------------------------------------------------------------------


def scheme_of_region(*, region_id: int, cycle: Cycle | None) -> AcceptanceScheme | None:
    if cycle is None:
        return None
    return AcceptanceScheme.objects.filter(region_id=region_id, cycle=cycle).first()


def _published_scheme(*, region_id, cycle):
    """The district's scheme for the cycle, once published (the one rule)."""
    return AcceptanceScheme.objects.filter(
        region_id=region_id, cycle=cycle, published_at__isnull=False
    ).order_by("pk")


def scheme_of_school(*, school: School, cycle: Cycle | None) -> AcceptanceScheme | None:
    """The published scheme of the school's district for the cycle, or None."""
    if cycle is None:
        return None
    return _published_scheme(region_id=school.region_id, cycle=cycle).first()


@dataclass
class Dimension:
    """一级指标 with its scored items (二级指标)."""

    dimension: RubricItem
    items: list[RubricItem] = field(default_factory=list)

    @property
    def max_points(self) -> Decimal:
        return sum((i.max_points for i in self.items), Decimal(0))


@dataclass
class Rubric:
    dimensions: list[Dimension]

    @property
    def items(self) -> list[RubricItem]:
        """The scored items, in order."""
        return [i for d in self.dimensions for i in d.items]

    @property
    def max_points(self) -> Decimal:
        return sum((d.max_points for d in self.dimensions), Decimal(0))


def rubric_of(scheme: AcceptanceScheme | None) -> Rubric:
    """The scheme's rubric as a tree. One query."""
    if scheme is None:
        return Rubric([])
    rows = list(RubricItem.objects.filter(scheme=scheme).order_by("order", "pk"))
    by_id = {r.pk: Dimension(r) for r in rows if r.parent_id is None}
    for r in rows:
        if r.parent_id is not None and r.parent_id in by_id:
            by_id[r.parent_id].items.append(r)
    return Rubric(list(by_id.values()))


def proof_items_of(scheme: AcceptanceScheme | None) -> list[ProofItem]:
    if scheme is None:
        return []
    return list(ProofItem.objects.filter(scheme=scheme).order_by("number", "pk"))


def scheme_frozen(scheme: AcceptanceScheme) -> bool:
    """The rubric and the checklist are the terms schools are judged by: they
    change only until the first school submits. One query."""
    return (
        Acceptance.objects.filter(scheme=scheme)
        .exclude(status=Status.DRAFT, submitted_at__isnull=True)
        .exists()
    )


def scheme_decided(scheme: AcceptanceScheme) -> bool:
    """Some school was already passed or failed against the pass mark."""
    return Acceptance.objects.filter(scheme=scheme, status__in=DECIDED).exists()


# ---- a school's acceptance ---------------------------------------------------------


def acceptance_of(*, school: School, cycle: Cycle | None) -> Acceptance | None:
    if cycle is None:
        return None
    return (
        Acceptance.objects.filter(school=school, cycle=cycle)
        .select_related("school", "cycle", "scheme", "returned_by", "decided_by", "submitted_by")
        .first()
    )


def acceptance_editable(acceptance: Acceptance | None) -> bool:
    """The school may upload, delete and self-score (not before the experts'
    eyes): 准备中 or 已退回. No acceptance yet counts as 准备中."""
    return acceptance is None or acceptance.status in EDITABLE


# What a school's acceptance holds once submitted, besides its proof files.
RESULTS = "研修考核和能力点测评结果"
CASES = "典型案例"


def results_hold(status: str | None, what: str = RESULTS) -> str | None:
    """Why a school whose acceptance is at `status` (None: none yet) may not
    change `what` now, or None. Its 研修考核 and 能力点测评 results, its
    典型案例 and its 两案 are part of what it submitted (the experts read them
    in the review and register exports, the cases page and checklist item 4;
    the 95% gate counts the results): from 提交验收 until the district returns
    it, and for good once decided, they stand as submitted."""
    if status is None or status in EDITABLE:
        return None
    if status in DECIDED:
        return f"本校整校推进验收结果已确认，{what}已存档，不能再修改。"
    return (
        f"本校整校推进验收已提交，{what}随验收材料一起评审，暂不能修改；"
        "如需修改，请联系区县教育局退回验收。"
    )


RESULTS_SUBMITTED = results_hold(Status.SUBMITTED)
RESULTS_DECIDED = results_hold(Status.PASSED)


def results_held_now(*, school_id: int, cycle: Cycle | int, what: str = RESULTS) -> str | None:
    """results_hold for a page (what it offers); the writes ask
    services.common.results_held, under the acceptance's lock. One query."""
    return results_hold(acceptance_status(school_id=school_id, cycle=cycle).first(), what)


def acceptance_status(*, school_id: int, cycle: Cycle | int):
    """The school's acceptance status for the cycle (at most one row), as a
    queryset: a page reads it, a write locks it first (services.common)."""
    return Acceptance.objects.filter(school_id=school_id, cycle=cycle).values_list(
        "status", flat=True
    )


def platform_evidence(*, school: School, cycle: Cycle) -> dict[str, bool]:
    """Which of the platform's own records exist for the school: the 两案, a
    review table with teachers in it, a register with chosen points, typical
    cases, and the consistency check (which needs the 两案). One query."""
    teachers = SchoolMembership.objects.teachers().filter(school_id=OuterRef("pk"))
    row = (
        School.objects.filter(pk=school.pk)
        .annotate(
            has_plan=Exists(SchoolPlan.objects.filter(school_id=OuterRef("pk"), cycle=cycle)),
            has_teachers=Exists(teachers),
            has_choices=Exists(PointChoice.objects.filter(school_id=OuterRef("pk"), cycle=cycle)),
            has_cases=Exists(
                TypicalCase.objects.filter(
                    group__school_id=OuterRef("pk"), group__archived_at__isnull=True, cycle=cycle
                )
            ),
        )
        .values("has_plan", "has_teachers", "has_choices", "has_cases")
        .get()
    )
    return {
        Platform.PLAN: row["has_plan"],
        Platform.REVIEW: row["has_teachers"],
        Platform.REGISTER: row["has_choices"],
        Platform.CASES: row["has_cases"],
        Platform.CONSISTENCY: row["has_plan"],
    }


# Where each platform record opens (URL names taking the school's id).
PLATFORM_URLS = {
    Platform.PLAN: "assessment:evidence_plan",
    Platform.REVIEW: "assessment:evidence_review",
    Platform.REGISTER: "assessment:evidence_register",
    Platform.CASES: "assessment:evidence_cases",
    Platform.CONSISTENCY: "assessment:evidence_consistency",
}


@dataclass
class ChecklistLine:
    item: ProofItem
    files: list[ProofFile]
    # The platform record that proves the item too, when it exists (else "").
    platform: str = ""

    @property
    def platform_label(self) -> str:
        return Platform(self.platform).label if self.platform else ""

    @property
    def platform_url_name(self) -> str:
        return PLATFORM_URLS.get(self.platform, "")

    @property
    def has_material(self) -> bool:
        return bool(self.files or self.platform)


def acceptance_checklist(
    *, acceptance: Acceptance | None, items: list[ProofItem], evidence: dict[str, bool]
) -> list[ChecklistLine]:
    """Each item of the checklist with the school's files and the platform's
    record that proves it. One query (the files)."""
    files: dict[int, list] = defaultdict(list)
    if acceptance is not None and acceptance.pk:
        for f in ProofFile.objects.filter(acceptance=acceptance).select_related("uploaded_by"):
            files[f.item_id].append(f)
    return [
        ChecklistLine(
            item=i,
            files=files.get(i.pk, []),
            platform=i.platform if i.platform and evidence.get(i.platform) else "",
        )
        for i in items
    ]


def self_scores_of(acceptance: Acceptance | None) -> dict[int, SelfScore]:
    """{rubric item id: SelfScore}. One query."""
    if acceptance is None or not acceptance.pk:
        return {}
    return {s.item_id: s for s in SelfScore.objects.filter(acceptance=acceptance)}


@dataclass
class Missing:
    """What stops a school from submitting."""

    items: list[ProofItem]
    gate: Gate
    unscored: list[RubricItem]

    @property
    def blocking(self) -> bool:
        return bool(self.items or not self.gate.reached or self.unscored)

    @property
    def message(self) -> str:
        """In Chinese, naming each thing missing."""
        parts = []
        if self.items:
            named = "、".join(f"第 {i.number} 项（{i.content}）" for i in self.items)
            parts.append(f"证明清单{named}还没有材料")
        if not self.gate.reached:
            if self.gate.full_time_total == 0:
                parts.append("本校还没有专任教师，能力点测评合格率无从计算")
            else:
                parts.append(
                    f"能力点测评合格的专任教师为 {self.gate.passed}/{self.gate.full_time_total}"
                    f"（{self.gate.rate}%），未达到 {GATE_PERCENT}%，还差 {self.gate.needed} 人"
                )
        if self.unscored:
            parts.append(f"自评还有 {len(self.unscored)} 项未打分（{self.unscored[0].title} 等）")
        return "还不能提交验收：" + "；".join(parts) + "。"


def acceptance_missing(
    *,
    lines: list[ChecklistLine],
    rubric: Rubric,
    self_scores: dict[int, SelfScore],
    school: School,
    cycle: Cycle,
) -> Missing:
    """One query (the gate), over what the page already loaded."""
    return Missing(
        items=[line.item for line in lines if not line.has_material],
        gate=evaluation_gate(school=school, cycle=cycle),
        unscored=[i for i in rubric.items if i.pk not in self_scores],
    )


# ---- scores side by side ---------------------------------------------------------------


@dataclass
class ExpertColumn:
    assignment: ExpertAssignment
    scores: dict[int, ExpertScore]

    @property
    def total(self) -> Decimal:
        return sum((s.points for s in self.scores.values()), Decimal(0))

    @property
    def submitted(self) -> bool:
        return self.assignment.submitted_at is not None

    @property
    def blocked(self) -> str:
        """Why this expert cannot score ('' if they can): standing_of."""
        return standing_of(self.assignment)


@dataclass
class ScoreRow:
    item: RubricItem
    own: SelfScore | None
    experts: list[ExpertScore | None]
    average: Decimal | None


@dataclass
class ScoreTable:
    rubric: Rubric
    self_scores: dict[int, SelfScore]
    columns: list[ExpertColumn]

    @property
    def submitted(self) -> list[ExpertColumn]:
        return [c for c in self.columns if c.submitted]

    @property
    def self_total(self) -> Decimal:
        return sum((s.points for s in self.self_scores.values()), Decimal(0))

    @property
    def average(self) -> Decimal | None:
        """The mean of the submitted experts' totals, to one decimal."""
        done = self.submitted
        if not done:
            return None
        return _one_decimal(sum((c.total for c in done), Decimal(0)) / len(done))

    def rows(self) -> list[tuple[Dimension, list[ScoreRow]]]:
        done = self.submitted
        out = []
        for d in self.rubric.dimensions:
            lines = []
            for item in d.items:
                given = [c.scores.get(item.pk) for c in done]
                points = [s.points for s in given if s is not None]
                lines.append(
                    ScoreRow(
                        item=item,
                        own=self.self_scores.get(item.pk),
                        experts=[c.scores.get(item.pk) for c in self.columns],
                        average=_one_decimal(sum(points) / len(points)) if points else None,
                    )
                )
            out.append((d, lines))
        return out


def _one_decimal(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"))


def assignments_of(acceptance: Acceptance | None) -> list[ExpertAssignment]:
    """The experts assigned, in the order they were. One query."""
    if acceptance is None or not acceptance.pk:
        return []
    return list(
        with_standing(ExpertAssignment.objects.filter(acceptance=acceptance))
        .select_related("expert")
        .order_by("assigned_at", "pk")
    )


def score_table(*, acceptance: Acceptance | None, rubric: Rubric) -> ScoreTable:
    """Self-score, each assigned expert's scores and the averages (over the
    experts who submitted). Three queries: self-scores, assignments, scores."""
    self_scores = self_scores_of(acceptance)
    assignments = assignments_of(acceptance)
    scores: dict[int, dict[int, ExpertScore]] = defaultdict(dict)
    for s in ExpertScore.objects.filter(assignment__in=[a.pk for a in assignments]):
        scores[s.assignment_id][s.item_id] = s
    columns = [ExpertColumn(a, scores.get(a.pk, {})) for a in assignments]
    return ScoreTable(rubric=rubric, self_scores=self_scores, columns=columns)


def assignment_can_score(assignment: ExpertAssignment) -> bool:
    """An expert scores while the school's materials are before them (已提交验收)
    and until they submit their own scores."""
    return assignment.acceptance.status == Status.SUBMITTED and assignment.submitted_at is None


def expert_scores_of(assignment: ExpertAssignment) -> dict[int, ExpertScore]:
    """{rubric item id: the expert's score}. One query."""
    return {s.item_id: s for s in ExpertScore.objects.filter(assignment=assignment)}


# ---- lists -----------------------------------------------------------------------------


def expert_assignments(*, expert, region_id: int, cycle: Cycle | None):
    """The schools assigned to `expert` in their region for the cycle, each
    with the acceptance and school: one query. Those waiting for the expert's
    scores come first."""
    if cycle is None:
        return ExpertAssignment.objects.none()
    # The expert's region role bounds what they see: an assignment in a region
    # they no longer hold counts for nothing.
    schools = School.objects.filter(regions_under(Region(pk=region_id)))
    return (
        with_standing(
            ExpertAssignment.objects.filter(
                expert=expert, acceptance__cycle=cycle, acceptance__school__in=schools
            )
        )
        .select_related("acceptance__school__region", "acceptance__scheme")
        .order_by("submitted_at", "acceptance__school__code", "pk")
    )


# What the district's list can show (and filter by): every status, and 未开始.
NONE = "none"
DISTRICT_FILTERS = [(NONE, NOT_STARTED), *Status.choices]


def district_acceptances(*, schools, cycle: Cycle, status: str = "", search: str = ""):
    """The district's schools (a "visible to" queryset) with their teacher
    count and their acceptance's id and status for the cycle. One query."""
    own = Acceptance.objects.filter(school_id=OuterRef("pk"), cycle=cycle)
    qs = schools_with_counts(schools).annotate(
        acceptance_id=Subquery(own.values("pk")[:1]),
        acceptance_status=Subquery(own.values("status")[:1]),
    )
    if search:
        qs = qs.filter(name__contains=search)
    if status == NONE:
        qs = qs.filter(acceptance_status__isnull=True)
    elif status in Status.values:
        qs = qs.filter(acceptance_status=status)
    return qs


def district_counts(*, schools, cycle: Cycle) -> dict[str, int]:
    """How many of the schools are at each status (and 未开始). Two queries."""
    counts = dict(
        Acceptance.objects.filter(cycle=cycle, school__in=schools)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out = {s: counts.get(s, 0) for s in Status.values}
    out[NONE] = schools.count() - sum(out.values())
    return out


@dataclass
class ExpertLine:
    assignment: ExpertAssignment
    total: Decimal | None  # their total once submitted

    @property
    def blocked(self) -> str:
        return standing_of(self.assignment)


def experts_by_acceptance(acceptance_ids) -> dict[int, list[ExpertLine]]:
    """{acceptance id: [each assigned expert with their submitted total]} for a
    page of the district's list. One query."""
    out: dict[int, list] = defaultdict(list)
    qs = (
        with_standing(
            ExpertAssignment.objects.filter(acceptance_id__in=[i for i in acceptance_ids if i])
        )
        .select_related("expert")
        .annotate(total=Sum("scores__points"))
        .order_by("assigned_at", "pk")
    )
    for a in qs:
        out[a.acceptance_id].append(
            ExpertLine(a, (a.total or Decimal(0)) if a.submitted_at else None)
        )
    return out


def average_of(lines: list[ExpertLine]) -> Decimal | None:
    totals = [line.total for line in lines if line.total is not None]
    return _one_decimal(sum(totals) / len(totals)) if totals else None


def district_experts(*, region_id: int):
    """The experts (考核专家) of the district whose accounts are on, for the
    assignment forms (an expert who cannot log in is never assigned). One query."""
    return (
        User.objects.filter(
            is_active=True,
            region_roles__region_id=region_id,
            region_roles__kind=RegionRole.Kind.EXPERT,
        )
        .distinct()
        .order_by("real_name", "pk")
    )


EXPERT_GONE = "已不再担任本区县的考核专家（或账号已停用），无法评分：请取消分配，另派专家。"
EXPERT_RECUSED = "是本校在职人员，须回避，不能评分：请取消分配，另派专家。"


def with_standing(assignments):
    """Annotate assignments with why their expert cannot score, while they have
    not submitted: `recused`, they hold an active place in the school (回避,
    places_held, per row); `role_gone`, they no longer hold the expert role of the
    scheme's district, or their account was switched off (their access went
    with it). The district's pages name
    such experts: otherwise the district waits for scores that cannot come."""
    expert = OuterRef("expert_id")
    return assignments.annotate(
        recused=Exists(
            SchoolMembership.objects.active().filter(
                user_id=expert, school_id=OuterRef("acceptance__school_id")
            )
        ),
        role_gone=~Exists(
            RegionRole.objects.filter(
                user_id=expert,
                user__is_active=True,
                kind=RegionRole.Kind.EXPERT,
                region_id=OuterRef("acceptance__scheme__region_id"),
            )
        ),
    )


def standing_of(assignment: ExpertAssignment) -> str:
    """Why the assigned expert cannot score ('' if they can), from with_standing."""
    if assignment.submitted_at is not None:
        return ""
    if assignment.role_gone:
        return EXPERT_GONE
    return EXPERT_RECUSED if assignment.recused else ""


def experts_recused(*, school_id: int, experts: list[User]) -> set[int]:
    """Of the district's `experts`, those holding an active place in the school:
    the assign form greys them out (回避). One query."""
    held = places_held([e.pk for e in experts], [school_id])
    return set(held.values_list("user_id", flat=True))


# ---- whole pages ------------------------------------------------------------------------


def held_changes(events: list[AcceptanceEvent]) -> list[tuple[str, int]]:
    """What the hold let through, counted by kind ((label, n), in the kinds'
    order): many lines of one kind (60 changes of 组长) can't bury another."""
    counts = Counter(e.kind for e in events if e.kind != AcceptanceEvent.Kind.MOVE)
    return [(k.label, counts[k]) for k in AcceptanceEvent.Kind if counts[k]]


def events_of(acceptance: Acceptance | None) -> list[AcceptanceEvent]:
    """The acceptance's history, oldest first. One query."""
    if acceptance is None or not acceptance.pk:
        return []
    return list(AcceptanceEvent.objects.filter(acceptance=acceptance).select_related("by"))


@dataclass
class SchoolAcceptance:
    """What the school's acceptance page shows."""

    scheme: AcceptanceScheme | None
    acceptance: Acceptance | None
    rubric: Rubric
    lines: list[ChecklistLine]
    self_scores: dict[int, SelfScore]
    missing: Missing | None
    events: list[AcceptanceEvent]

    @property
    def changes(self) -> list[tuple[str, int]]:
        return held_changes(self.events)

    @property
    def status(self) -> str:
        return self.acceptance.status if self.acceptance else Status.DRAFT

    @property
    def editable(self) -> bool:
        return self.scheme is not None and acceptance_editable(self.acceptance)

    @property
    def self_total(self) -> Decimal:
        return sum((s.points for s in self.self_scores.values()), Decimal(0))

    @property
    def days_left(self) -> int | None:
        """Days until the district's deadline (negative once it passed)."""
        if self.scheme is None or self.scheme.deadline is None:
            return None
        return (self.scheme.deadline - timezone.localdate()).days


def school_acceptance(*, school: School, cycle: Cycle) -> SchoolAcceptance:
    """The school's scheme, acceptance, checklist with its files and the
    platform's records, self-scores, what is missing and the history. Nine
    queries whatever the size (scheme, acceptance, rubric, checklist, platform
    records, files, self-scores, the 95% gate, events); two when the district
    has published nothing."""
    scheme = scheme_of_school(school=school, cycle=cycle)
    if scheme is None:
        return SchoolAcceptance(None, None, Rubric([]), [], {}, None, [])
    acceptance = acceptance_of(school=school, cycle=cycle)
    rubric = rubric_of(scheme)
    lines = acceptance_checklist(
        acceptance=acceptance,
        items=proof_items_of(scheme),
        evidence=platform_evidence(school=school, cycle=cycle),
    )
    own = self_scores_of(acceptance)
    missing = acceptance_missing(
        lines=lines, rubric=rubric, self_scores=own, school=school, cycle=cycle
    )
    return SchoolAcceptance(scheme, acceptance, rubric, lines, own, missing, events_of(acceptance))


@dataclass
class AcceptanceReview:
    """What the expert's and the district's pages of one school show."""

    acceptance: Acceptance
    lines: list[ChecklistLine]
    table: ScoreTable
    events: list[AcceptanceEvent]

    @property
    def changes(self) -> list[tuple[str, int]]:
        return held_changes(self.events)

    @property
    def rubric(self) -> Rubric:
        return self.table.rubric


def acceptance_review(acceptance: Acceptance) -> AcceptanceReview:
    """The school's checklist with files and platform records, and the scores
    side by side. Eight queries whatever the size (rubric, checklist, platform
    records, files, self-scores, assignments, scores, events)."""
    scheme = acceptance.scheme
    lines = acceptance_checklist(
        acceptance=acceptance,
        items=proof_items_of(scheme),
        evidence=platform_evidence(school=acceptance.school, cycle=acceptance.cycle),
    )
    table = score_table(acceptance=acceptance, rubric=rubric_of(scheme))
    return AcceptanceReview(acceptance, lines, table, events_of(acceptance))


@dataclass
class ExpertReview:
    """What an expert's scoring page shows: the materials, the rubric with the
    school's self-score, and their own scores (never the other experts')."""

    assignment: ExpertAssignment
    lines: list[ChecklistLine]
    rubric: Rubric
    self_scores: dict[int, SelfScore]
    scores: dict[int, ExpertScore]

    @property
    def can_score(self) -> bool:
        return assignment_can_score(self.assignment)

    @property
    def materials_open(self) -> bool:
        """The school's materials are before the experts (submitted or later)."""
        return self.assignment.acceptance.status in UNDER_REVIEW

    @property
    def total(self) -> Decimal:
        return sum((s.points for s in self.scores.values()), Decimal(0))


def expert_review(assignment: ExpertAssignment) -> ExpertReview:
    """Seven queries whatever the size (rubric, checklist, platform records,
    files, self-scores, own scores; the assignment came with its acceptance);
    two when the school has not submitted yet."""
    acceptance = assignment.acceptance
    rubric = rubric_of(acceptance.scheme)
    if acceptance.status not in UNDER_REVIEW:
        return ExpertReview(assignment, [], rubric, {}, {})
    lines = acceptance_checklist(
        acceptance=acceptance,
        items=proof_items_of(acceptance.scheme),
        evidence=platform_evidence(school=acceptance.school, cycle=acceptance.cycle),
    )
    return ExpertReview(
        assignment, lines, rubric, self_scores_of(acceptance), expert_scores_of(assignment)
    )


# ---- home pages -----------------------------------------------------------------------

PAGE = "assessment:acceptance"


@dataclass(frozen=True)
class AcceptanceStep:
    """Where the school's acceptance leaves its admin: the next step, if any,
    and why its records stand as submitted, if they do (results_hold)."""

    step: tuple[str, str] | None = None
    held: str | None = None


def school_acceptance_step(*, school: School, cycle: Cycle | None) -> AcceptanceStep:
    """The school admin's next step of the acceptance, and whether it holds the
    school's records (the home then offers no step the hold refuses). One query."""
    if cycle is None:
        return AcceptanceStep()
    (row,) = _STEP.rows(region=school.region_id, school=school.pk, cycle=cycle.pk) or [None]
    if row is None:  # no published scheme, so nothing submitted
        return AcceptanceStep()
    status = row["status"] or Status.DRAFT
    deadline = f"（截止 {row['deadline']:%Y-%m-%d}）" if row["deadline"] else ""
    if status == Status.RETURNED:
        return AcceptanceStep((f"整校推进验收材料被退回，请补充后重新提交{deadline}", PAGE))
    if status == Status.DRAFT:
        return AcceptanceStep((f"整校推进验收：上传证明材料、自评并提交{deadline}", PAGE))
    held = results_hold(status)
    if status in DECIDED:
        return AcceptanceStep(held=held)
    return AcceptanceStep(("整校推进验收已提交，等待区县教育局评审：查看验收进度", PAGE), held)


# The school's home reads it on every visit: the published scheme with the
# school's acceptance status, compiled once per process (accounts.compiled).
_STEP = CompiledRead(
    lambda region, school, cycle: _published_scheme(region_id=region, cycle=cycle).values(
        "deadline",
        status=Subquery(
            Acceptance.objects.filter(school_id=school, cycle_id=cycle).values("status")[:1]
        ),
    )[:1],
    "region",
    "school",
    "cycle",
)


@dataclass(frozen=True)
class DistrictToDo:
    scheme: AcceptanceScheme | None
    without_experts: int  # submitted, no expert assigned
    scored: int  # every expert submitted: the district confirms


def district_to_do(*, schools, region_id: int, cycle: Cycle | None) -> DistrictToDo:
    """What waits for the district admin. Two queries (the scheme, one aggregate)."""
    scheme = scheme_of_region(region_id=region_id, cycle=cycle)
    if cycle is None:
        return DistrictToDo(scheme, 0, 0)
    has_expert = ExpertAssignment.objects.filter(acceptance=OuterRef("pk"))
    row = Acceptance.objects.filter(cycle=cycle, school__in=schools).aggregate(
        without_experts=Count("pk", filter=Q(status=Status.SUBMITTED) & ~Q(Exists(has_expert))),
        scored=Count("pk", filter=Q(status=Status.SCORED)),
    )
    return DistrictToDo(scheme, row["without_experts"], row["scored"])


def expert_home(*, expert, region_id: int, cycle: Cycle | None, limit: int = 10):
    """The expert's first `limit` schools and how many wait for their scores
    (not those they must recuse from). Two queries."""
    assignments = expert_assignments(expert=expert, region_id=region_id, cycle=cycle)
    waiting = assignments.filter(
        submitted_at__isnull=True, acceptance__status=Status.SUBMITTED, recused=False
    ).count()
    return list(assignments[:limit]), waiting


def places_held(user_ids, school_ids):
    """The active places (teacher, admin, info team) the people hold in the
    schools: what makes an expert recuse (回避)."""
    return SchoolMembership.objects.active().filter(
        user_id__in=list(user_ids), school_id__in=list(school_ids)
    )


def recusal_refusal(expert_ids: list[int], school_ids: list[int]) -> str:
    """回避: an expert never scores a school where they hold an active place
    (teacher, admin, info team): the expert average decides the pass and so
    every teacher's 学时登记. The refusal names each such pair; '' if none.
    Asked again at scoring time, as a place may begin after the assignment."""
    places = (
        places_held(expert_ids, school_ids)
        .select_related("user", "school")
        .order_by("school_id", "user_id")
    )
    pairs = [f"{m.user.display_name}是{m.school.name}的在职人员" for m in places]
    if not pairs:
        return ""
    return f"{'；'.join(pairs)}，须回避，不能评审该校的整校推进验收。"
