"""The district's dashboard: every school of the region with its stage and its
figures, the schools by stage and the district's counted hours, a fixed number
of queries whatever the number of schools and teachers.

The figures come from the summary rows (SchoolStats: why, in
assessment/models/stats.py); the stage is decided here, in SQL, so the list can
be filtered, counted and sorted by it:

- 组建中: the school has no live 教研组 yet;
- 研修中: its groups are training;
- 考核中: the school has started assessing: a teacher's 研修考核 or an
  ability-point evaluation decided, or its acceptance materials under way
  (准备中, 已退回);
- 已提交验收, 已评分, 已通过, 未通过: its acceptance's status.
"""

from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from accounts.models import Cycle, School
from hours.selectors import HoursStats

from ..models import HOURS_FIELDS, Acceptance, SchoolStats

Status = Acceptance.Status
FORMING, TRAINING, REVIEWING = "forming", "training", "reviewing"
# Every stage in the order a school moves through them (the filter, the chart).
STAGES = [
    (FORMING, "组建中"),
    (TRAINING, "研修中"),
    (REVIEWING, "考核中"),
    (Status.SUBMITTED.value, Status.SUBMITTED.label),
    (Status.SCORED.value, Status.SCORED.label),
    (Status.PASSED.value, Status.PASSED.label),
    (Status.FAILED.value, Status.FAILED.label),
]
STAGE_LABELS = dict(STAGES)
# Acceptance statuses that are a stage of their own; the others (准备中,
# 已退回) mean the school is assessing (考核中).
ACCEPTANCE_STAGES = (Status.SUBMITTED, Status.SCORED, Status.PASSED, Status.FAILED)

# How the dashboard may be sorted (?sort=): a key and its label; "-" first
# reverses. Ties by school code.
SORTS = {
    "": "学校代码",
    "stage": "阶段",
    "teachers": "教师数",
    "hours": "满 25 学时比例",
    "review": "研修考核通过率",
    "evaluation": "能力点测评合格率",
}
SORT_FIELDS = {
    "stage": "stage_order",
    "teachers": "teachers",
    "hours": "hours_rate",
    "review": "review_rate",
    "evaluation": "evaluation_rate",
}
# The sort menu: (value of ?sort=, what it says).
SORT_OPTIONS = [("", "按学校代码"), ("stage", "按阶段")] + [
    option
    for key in ("teachers", "hours", "review", "evaluation")
    for option in ((f"-{key}", f"{SORTS[key]}从高到低"), (key, f"{SORTS[key]}从低到高"))
]
PAGE_SIZE = 20


def _rate(part: str, whole: str):
    """part / whole as a float for sorting (0 when whole is 0)."""
    return Case(
        When(**{f"{whole}__gt": 0}, then=Cast(part, FloatField()) / Cast(whole, FloatField())),
        default=Value(0.0),
        output_field=FloatField(),
    )


def with_stage(schools, *, cycle: Cycle):
    """Annotate schools with `acceptance_status` (None: none yet) and
    `stage_order` (the index of their stage in STAGES; stage_of() names it)
    for `cycle`, from two LEFT JOINs: the acceptance and the school's kept
    row (whose stage inputs: live groups, decided reviews and evaluations).
    One CASE over columns, no subquery per school."""
    order = {key: i for i, (key, _) in enumerate(STAGES)}
    qs = schools.annotate(
        own=FilteredRelation("acceptances", condition=Q(acceptances__cycle=cycle)),
        figures=FilteredRelation("stats", condition=Q(stats__cycle=cycle)),
    ).annotate(acceptance_status=F("own__status"))
    stage = Case(
        *(When(own__status=s, then=Value(order[s.value])) for s in ACCEPTANCE_STAGES),
        When(
            Q(own__status__isnull=False)
            | Q(figures__reviews_decided__gt=0)
            | Q(figures__evaluations_decided__gt=0),
            then=Value(order[REVIEWING]),
        ),
        When(figures__live_groups__gt=0, then=Value(order[TRAINING])),
        default=Value(order[FORMING]),
        output_field=IntegerField(),
    )
    return qs.annotate(stage_order=stage)


def stage_of(row) -> str:
    """The STAGES key of a row annotated by with_stage."""
    return STAGES[row.stage_order][0]


def with_figures(schools):
    """Annotate schools (from with_stage, which joins their kept row) with the
    row's figures (None where the row is missing: see school_stats_missing)
    and the rates the dashboard sorts by."""
    return schools.annotate(**{name: F(f"figures__{name}") for name in _FIGURES}).annotate(
        hours_rate=_rate("hours_25", "teachers"),
        review_rate=_rate("review_passed", "teachers"),
        evaluation_rate=_rate("evaluation_passed", "full_time"),
    )


_FIGURES = (
    "teachers",
    "full_time",
    *HOURS_FIELDS,
    "hours_counted",
    "review_passed",
    "evaluation_passed",
)


def school_stats_missing(*, schools, cycle: Cycle) -> list[int]:
    """The ids of `schools` with no SchoolStats row for `cycle` yet (new schools,
    a new cycle, data loaded in bulk): the page computes them before reading.
    One query."""
    kept = SchoolStats.objects.filter(school_id=OuterRef("pk"), cycle=cycle)
    return list(schools.filter(~Exists(kept)).order_by().values_list("pk", flat=True))


@dataclass(frozen=True)
class SchoolLine:
    """One school of the dashboard with its figures (0 while its row is being
    computed by a worker: see school_stats_ensure)."""

    school: School
    stage: str
    acceptance: object  # the Acceptance (with expert counts), or None

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS[self.stage]

    def figure(self, name: str) -> int:
        return getattr(self.school, name) or 0

    @property
    def hours(self) -> HoursStats:
        return hours_of(self.school)

    @property
    def teachers(self) -> int:
        return self.figure("teachers")

    @property
    def hours_25(self) -> int:
        return self.figure("hours_25")

    @property
    def hours_percent(self) -> int:
        return _percent(self.hours_25, self.teachers)

    @property
    def review_percent(self) -> int:
        return _percent(self.figure("review_passed"), self.teachers)

    @property
    def evaluation_percent(self) -> int:
        return _percent(self.figure("evaluation_passed"), self.figure("full_time"))


def _percent(part: int, whole: int) -> int:
    return part * 100 // whole if whole else 0


def hours_of(row) -> HoursStats:
    """HoursStats of a row annotated by with_figures (or a SchoolStats, or sums)."""
    return HoursStats.of_buckets(
        [getattr(row, f) or 0 for f in HOURS_FIELDS], row.hours_counted or 0
    )


@dataclass(frozen=True)
class StageSummary:
    """The schools of a scope by stage, and their figures together."""

    counts: dict[str, int]
    # Schools without a kept row yet (their figures read as 0): the page
    # computes them (school_stats_ensure) and reads again.
    missing: int
    teachers: int
    full_time: int
    hours: HoursStats
    review_passed: int
    evaluation_passed: int

    @property
    def schools(self) -> int:
        return sum(self.counts.values())

    @property
    def stages(self) -> list[tuple[str, str, int]]:
        return [(key, label, self.counts.get(key, 0)) for key, label in STAGES]

    @property
    def hours_percent(self) -> int:
        return _percent(self.hours.complete, self.teachers)

    @property
    def review_percent(self) -> int:
        return _percent(self.review_passed, self.teachers)

    @property
    def evaluation_percent(self) -> int:
        return _percent(self.evaluation_passed, self.full_time)


def stage_summary(*, schools, cycle: Cycle) -> StageSummary:
    """How many of `schools` are at each stage, and their figures summed (the
    district's hours histogram, teachers, passes). One query over a few hundred
    schools' rows, never their teachers."""
    sums = {name: Coalesce(Sum(f"figures__{name}"), 0) for name in _FIGURES}
    rows = (
        with_stage(schools, cycle=cycle)
        .order_by()
        .values("stage_order")
        .annotate(
            n=Count("pk"),
            missing=Count("pk", filter=Q(figures__id__isnull=True)),
            **{f"sum_{k}": v for k, v in sums.items()},
        )
    )
    counts: dict[str, int] = {}
    missing = 0
    totals = dict.fromkeys(_FIGURES, 0)
    for row in rows:
        counts[STAGES[row["stage_order"]][0]] = row["n"]
        missing += row["missing"]
        for name in _FIGURES:
            totals[name] += row[f"sum_{name}"]
    buckets = [totals[f] for f in HOURS_FIELDS]
    return StageSummary(
        counts=counts,
        missing=missing,
        teachers=totals["teachers"],
        full_time=totals["full_time"],
        hours=HoursStats.of_buckets(buckets, totals["hours_counted"]),
        review_passed=totals["review_passed"],
        evaluation_passed=totals["evaluation_passed"],
    )


def district_schools(
    *,
    schools,
    cycle: Cycle,
    stage: str = "",
    region_id: int | None = None,
    search: str = "",
    sort: str = "",
):
    """The dashboard's list: `schools` (a "visible to" queryset) with stage and
    figures, filtered by stage, sub-region and name, sorted by SORTS (ties by
    code). One query (plus the paginator's count, over schools alone)."""
    qs = with_figures(with_stage(schools, cycle=cycle))
    if region_id:
        qs = qs.filter(region_id=region_id)
    if search:
        qs = qs.filter(Q(name__contains=search) | Q(code=search))
    if stage in STAGE_LABELS:
        qs = qs.filter(stage_order=[key for key, _ in STAGES].index(stage))
    key = sort.lstrip("-")
    if key in SORT_FIELDS:
        field = SORT_FIELDS[key]
        return qs.order_by(f"-{field}" if sort.startswith("-") else field, "code")
    return qs.order_by("region__code", "code")


def district_lines(page, *, acceptances: dict) -> list[SchoolLine]:
    """The page's schools as lines, with their acceptances (from
    acceptances_by_school: one query for the page). No query."""
    return [SchoolLine(s, stage_of(s), acceptances.get(s.pk)) for s in page]
