"""Reads of hours. The rest of the platform asks here and nowhere else."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least

from accounts.access import staff_of_school
from accounts.compiled import CompiledAggregate, CompiledModels
from accounts.figures import school_figures_kept_many
from accounts.models import School, SchoolMembership
from accounts.selectors import schools_with_counts
from groups.models import AbilityPoint, GroupMember

from .acceptance import acceptance_passed_status, acceptance_status_subquery
from .models import (
    HOURS_CAP,
    HoursClaim,
    HoursEntry,
    HoursRegistration,
    HoursSummary,
    RegistrationBatch,
)

__all__ = [
    "HOURS_CAP",
    "Totals",
    "hours_totals",
    "hours_totals_for",
    "hours_entries",
    "hours_registration",
    "with_hours",
]


@dataclass(frozen=True)
class Totals:
    """记录学时 (everything credited) and 计入学时 (at most 25 of it)."""

    recorded: int = 0

    @property
    def counted(self) -> int:
        return min(self.recorded, HOURS_CAP)

    @property
    def cap(self) -> int:
        return HOURS_CAP

    @property
    def over_cap(self) -> int:
        """Hours recorded above the cap, which don't count."""
        return max(self.recorded - HOURS_CAP, 0)

    @property
    def missing(self) -> int:
        """Hours still needed to reach 25."""
        return max(HOURS_CAP - self.recorded, 0)

    @property
    def complete(self) -> bool:
        return self.recorded >= HOURS_CAP

    @property
    def percent(self) -> int:
        return self.counted * 100 // HOURS_CAP

    def __str__(self):
        return f"{self.counted}/{HOURS_CAP}"


def hours_totals(*, teacher, cycle) -> Totals:
    """One teacher's totals for a cycle. One query."""
    recorded = (
        HoursSummary.objects.filter(teacher=teacher, cycle=cycle)
        .values_list("recorded", flat=True)
        .first()
    )
    return Totals(recorded=recorded or 0)


def hours_totals_for(*, teacher_ids: Iterable[int], cycle) -> dict[int, Totals]:
    """Totals for many teachers, every id present (0 if never credited). One query."""
    ids = list(teacher_ids)
    rows = dict(
        HoursSummary.objects.filter(teacher_id__in=ids, cycle=cycle).values_list(
            "teacher_id", "recorded"
        )
    )
    return {t: Totals(recorded=rows.get(t, 0)) for t in ids}


def hours_entries(*, teacher, cycle) -> list[HoursEntry]:
    """The teacher's ledger rows for a cycle, oldest first, which credits were
    reversed, and each row's ability points as `points` (a list). Two queries,
    each compiled once per process: building them (the reversal joins, the
    points' prefetch) cost twice running them, on every 我的学时."""
    entries = _ENTRIES.all(teacher=teacher.pk, cycle=cycle.pk)
    points = defaultdict(list)
    for point in _ENTRY_POINTS.all(teacher=teacher.pk, cycle=cycle.pk):
        points[point.entry_id].append(point)
    for entry in entries:
        entry.points = points[entry.pk]
    return entries


_ENTRIES = CompiledModels(
    lambda teacher, cycle: (
        HoursEntry.objects.filter(teacher=teacher, cycle=cycle)
        .select_related("reversed_by__by", "by")
        .order_by("at", "pk")
    ),
    "teacher",
    "cycle",
)
# In the catalogue's order (AbilityPoint's own), as the rows show them.
_ENTRY_POINTS = CompiledModels(
    lambda teacher, cycle: AbilityPoint.objects.filter(
        hoursentry__teacher=teacher, hoursentry__cycle=cycle
    ).annotate(entry_id=F("hoursentry__id")),
    "teacher",
    "cycle",
)


# How a reversal made by 调岗移除 begins its reason (hours.services._clear_hours).
REMOVAL_REASON = "调岗移除："


def hours_elsewhere(entries, *, school_id: int) -> dict:
    """What evaluated ledger rows of a teacher's cycle (hours_entries without a
    school) say 调岗移除 reversed at other schools: credits and hours, for one
    line on 我的学时, as the removal's record counts them (a credit reversed
    before, by a withdrawal, is not the removal's). No query."""
    reversed_ = [
        e
        for e in entries
        if e.kind == HoursEntry.Kind.REVERSAL
        and e.school_id != school_id
        and e.reason.startswith(REMOVAL_REASON)
    ]
    return {"credits": len(reversed_), "hours": -sum(e.hours for e in reversed_)}


def hours_claims_pending(*, teacher=None, school_id: int | None = None):
    """Claims waiting for a school admin (a leader's own hours): a teacher's, or a
    school's queue, oldest first. One query."""
    qs = HoursClaim.objects.filter(status=HoursClaim.Status.PENDING)
    if teacher is not None:
        qs = qs.filter(teacher=teacher)
    if school_id is not None:
        qs = qs.filter(school_id=school_id)
    return qs.select_related("teacher").order_by("requested_at", "pk")


def hours_claims_waiting_count(*, school_id: int) -> int:
    """How many claims wait in the school's queue (its admin's home). One query."""
    (row,) = _CLAIMS_WAITING.rows(school=school_id)
    return row["n"]


# The school's home counts them on every visit: compiled once per process.
_CLAIMS_WAITING = CompiledAggregate(
    lambda school: (hours_claims_pending(school_id=school), {"n": Count("pk")}), "school"
)


def hours_claims_of(*, teacher, cycle) -> list[HoursClaim]:
    """A teacher's own claims waiting in the cycle, oldest first, for 我的学时
    (one query, compiled once per process)."""
    return _CLAIMS_OF.all(teacher=teacher.pk, cycle=cycle.pk)


_CLAIMS_OF = CompiledModels(
    lambda teacher, cycle: hours_claims_pending(teacher=teacher).filter(cycle=cycle),
    "teacher",
    "cycle",
)


def hours_registration(*, teacher, cycle) -> HoursRegistration | None:
    """The teacher's 学时登记 for the cycle, if the school's hours were registered."""
    return HoursRegistration.objects.filter(teacher=teacher, cycle=cycle).first()


# ---- pages ------------------------------------------------------------------


@dataclass
class Breakdown:
    """A teacher's standing credits grouped for 我的学时."""

    by_category: list[tuple[str, int, int]]  # (label, activities, hours)
    by_point: list[tuple[object, int, int]]  # (AbilityPoint, activities, hours)


def hours_breakdown(entries) -> Breakdown:
    """Group evaluated ledger rows (from hours_entries) by type and ability point.
    Pure Python over rows already loaded: no query."""
    standing = [e for e in entries if e.kind == HoursEntry.Kind.CREDIT and not _reversed(e)]
    cats: dict[str, list[int]] = {}
    points: dict[int, list] = {}
    for e in standing:
        c = cats.setdefault(e.category or "其他", [0, 0])
        c[0] += 1
        c[1] += e.hours
        for p in e.points:
            row = points.setdefault(p.pk, [p, 0, 0])
            row[1] += 1
            row[2] += e.hours
    return Breakdown(
        by_category=[(k, n, h) for k, (n, h) in cats.items()],
        by_point=sorted((tuple(r) for r in points.values()), key=lambda r: r[0].sort_key),
    )


def _reversed(entry) -> bool:
    try:
        return entry.reversed_by is not None
    except HoursEntry.reversed_by.RelatedObjectDoesNotExist:
        return False


@dataclass(frozen=True)
class CreditLine:
    """One credit on 我的学时, explained: how much of it counts toward 25 and,
    if it was reversed, the reversal (with its reason, time and actor)."""

    entry: HoursEntry
    counted: int
    reversal: HoursEntry | None

    @property
    def over_cap(self) -> int:
        """Hours of this credit recorded but not counted (above 25)."""
        return 0 if self.reversal else self.entry.hours - self.counted


def hours_statement(entries) -> list[CreditLine]:
    """The credits among evaluated ledger rows (from hours_entries), oldest
    first, each with the part that counts. Standing credits count in the order
    they were earned until 25 is reached; the rest is recorded, not counted.
    (So the counted parts always add up to Totals.counted.) No query."""
    lines = []
    room = HOURS_CAP
    for e in entries:
        if e.kind != HoursEntry.Kind.CREDIT:
            continue
        reversal = e.reversed_by if _reversed(e) else None
        counted = 0 if reversal else min(e.hours, room)
        room -= counted
        lines.append(CreditLine(entry=e, counted=counted, reversal=reversal))
    return lines


def hours_recorded_of(*, cycle, user_field: str = "user_id"):
    """The recorded hours in `cycle` of the teacher OuterRef(user_field), as an
    expression (a subquery; 0 when never credited)."""
    recorded = HoursSummary.objects.filter(teacher_id=OuterRef(user_field), cycle=cycle).values(
        "recorded"
    )[:1]
    return Coalesce(Subquery(recorded), 0)


def _with_hours(qs, *, cycle, user_field: str = "user_id"):
    """Annotate rows that point at a teacher with their recorded hours and their
    registered hours for `cycle` (subqueries: still one query for the list)."""
    registered = HoursRegistration.objects.filter(
        teacher_id=OuterRef(user_field), cycle=cycle
    ).values("hours")[:1]
    return qs.annotate(
        hours_recorded=hours_recorded_of(cycle=cycle, user_field=user_field),
        hours_registered=Subquery(registered),
    )


def with_hours(qs, *, cycle, user_field: str = "user_id"):
    """For apps to the right (the school review): rows pointing at a teacher,
    annotated with `hours_recorded` and `hours_registered` for `cycle` in the
    same query. Read them back with totals_of(row)."""
    return _with_hours(qs, cycle=cycle, user_field=user_field)


# How the hours lists may be sorted (?sort=): by name (the default), or by
# recorded hours, fewest or most first; ties by name.
HOURS_SORTS = {"": "姓名", "hours": "学时从少到多", "-hours": "学时从多到少"}


def _sort_by_hours(sort: str) -> tuple[str, ...]:
    if sort == "hours":
        return ("hours_recorded",)
    if sort == "-hours":
        return ("-hours_recorded",)
    return ()


def school_hours(
    *,
    school_id: int,
    cycle,
    search: str = "",
    group_id: int | None = None,
    below: bool = False,
    sort: str = "",
    listed: bool = False,
):
    """Every active teacher of a school with their hours, for the admin's list
    and export, in name order or by hours (HOURS_SORTS). One query (plus the
    paginator's count). `listed`: only the columns the list shows (a page of
    rows builds faster without the rest)."""
    qs = _with_hours(staff_of_school(school_id).filter(is_teacher=True), cycle=cycle)
    if listed:
        qs = qs.only("user_id", "subject", "user__real_name")
    if by_hours := _sort_by_hours(sort):
        qs = qs.order_by(*by_hours, "user__real_name", "pk")
    if search:
        qs = qs.filter(Q(user__real_name__contains=search) | Q(user__phone__contains=search))
    if group_id:
        qs = qs.filter(
            user__group_memberships__group_id=group_id,
            user__group_memberships__group__school_id=school_id,
        )
    if below:
        qs = qs.filter(hours_recorded__lt=HOURS_CAP)
    return qs


def group_names_by_user(*, school_id: int, user_ids: Iterable[int] | None = None) -> dict:
    """{user_id: "语文组、数学组"} for live groups of the school. One query.

    A whole school's (the exports') is read in chunks and each distinct text
    is kept once, shared by everyone in the same groups: the map costs an
    entry per teacher, not a list and a string each (a school of 100,000
    teachers: ~10 MB instead of ~50)."""
    qs = GroupMember.objects.filter(group__school_id=school_id, group__archived_at__isnull=True)
    rows = qs.order_by("user_id", "group__name").values_list("user_id", "group__name")
    if user_ids is not None:
        # A page's few rows in one fetch (a chunked read is a server-side
        # cursor on PostgreSQL: three round trips instead of one).
        rows = rows.filter(user_id__in=list(user_ids))
    else:
        rows = rows.iterator(chunk_size=2000)
    names: dict[int, str] = {}
    texts: dict[str, str] = {}
    for user_id, groups in groupby(rows, key=itemgetter(0)):
        text = "、".join(name for _, name in groups)
        names[user_id] = texts.setdefault(text, text)
    return names


def group_members_hours(*, groups, cycle, below: bool = False, sort: str = ""):
    """Members of the given groups with their hours, ordered by group then name
    (or by hours within each group, HOURS_SORTS); `below`: only those with fewer
    than 25 recorded hours. One query."""
    qs = _with_hours(
        GroupMember.objects.filter(group__in=groups).select_related("user", "group"), cycle=cycle
    ).order_by("group__name", "group_id", *_sort_by_hours(sort), "user__real_name", "pk")
    if below:
        qs = qs.filter(hours_recorded__lt=HOURS_CAP)
    return qs


# ---- pictures: how a set of teachers stands against 25 -----------------------

# The histogram of counted hours: 0, then steps of five, then the 25 that count.
HOURS_BUCKETS: list[tuple[int, int | None]] = [
    (0, 0),
    (1, 5),
    (6, 10),
    (11, 15),
    (16, 20),
    (21, HOURS_CAP - 1),
    (HOURS_CAP, None),
]


@dataclass(frozen=True)
class HoursStats:
    """How a set of teachers stands: how many, their average counted hours (each
    at most 25), how many reached 25, are under way or have not started, and
    how their counted hours spread over HOURS_BUCKETS."""

    count: int = 0
    average: float = 0.0
    complete: int = 0
    not_started: int = 0
    buckets: tuple[int, ...] = (0,) * len(HOURS_BUCKETS)

    @property
    def in_progress(self) -> int:
        return self.count - self.complete - self.not_started

    @property
    def cap(self) -> int:
        return HOURS_CAP

    @classmethod
    def of_buckets(cls, buckets, counted: int) -> "HoursStats":
        """Stats from teachers per bucket (HOURS_BUCKETS order) and the sum of
        their counted hours: how summary rows (assessment's SchoolStats) keep them."""
        buckets = tuple(buckets)
        count = sum(buckets)
        return cls(
            count=count,
            average=round(counted / count, 1) if count else 0.0,
            complete=buckets[-1],
            not_started=buckets[0],
            buckets=buckets,
        )

    @property
    def histogram(self) -> list[tuple[str, int]]:
        """[(bucket label, teachers)], e.g. ("6–10", 4)."""
        return [
            (str(lo) if hi is None or hi == lo else f"{lo}–{hi}", n)
            for (lo, hi), n in zip(HOURS_BUCKETS, self.buckets, strict=True)
        ]


def hours_bucket(recorded: int) -> int:
    """The index in HOURS_BUCKETS of a teacher who recorded `recorded` hours
    (the same buckets as the aggregates below, for rows read one by one)."""
    if recorded <= 0:
        return 0
    for i, (lo, hi) in enumerate(HOURS_BUCKETS[1:], start=1):
        if lo <= recorded and (hi is None or recorded <= hi):
            return i
    return 0


def _stats_aggregates() -> dict:
    """Aggregates over rows annotated by _with_hours: counted = min(recorded, 25)."""
    aggregates = {
        "n": Count("pk"),
        "avg": Avg(Least(F("hours_recorded"), Value(HOURS_CAP))),
        "complete": Count("pk", filter=Q(hours_recorded__gte=HOURS_CAP)),
        "none": Count("pk", filter=Q(hours_recorded__lte=0)),
    }
    for i, (lo, hi) in enumerate(HOURS_BUCKETS):
        within = Q(hours_recorded__gte=lo) if lo else Q(hours_recorded__lte=0)
        if lo and hi is not None:
            within &= Q(hours_recorded__lte=hi)
        aggregates[f"b{i}"] = Count("pk", filter=within)
    return aggregates


def _stats(row: dict) -> HoursStats:
    return HoursStats(
        count=row["n"],
        average=round(float(row["avg"] or 0), 1),
        complete=row["complete"],
        not_started=row["none"],
        buckets=tuple(row[f"b{i}"] for i in range(len(HOURS_BUCKETS))),
    )


def hours_stats(*, rows) -> HoursStats:
    """The stats of a list of teachers: `rows` from school_hours() or
    group_members_hours() (filters kept). One query, whatever the size."""
    return _stats(rows.order_by().aggregate(**_stats_aggregates()))


def hours_stats_by_group(*, rows) -> dict[int, HoursStats]:
    """{group_id: stats} for rows of group_members_hours(); a group with no
    (matching) member is absent. One query."""
    grouped = rows.order_by().values("group_id").annotate(**_stats_aggregates())
    return {row["group_id"]: _stats(row) for row in grouped}


def school_hours_stats(*, school_id: int, cycle) -> HoursStats:
    """Every active teacher of the school: the school home's picture. One query."""
    return hours_stats(rows=school_hours(school_id=school_id, cycle=cycle))


def groups_hours_stats(*, groups, cycle) -> dict[int, HoursStats]:
    """{group_id: stats} of the members of each group: the leader home's
    picture (every group present, empty ones with zeros). One query."""
    groups = list(groups)
    stats = hours_stats_by_group(rows=group_members_hours(groups=groups, cycle=cycle))
    return {g.pk: stats.get(g.pk, HoursStats()) for g in groups}


def registration_batch(*, school_id: int, cycle) -> RegistrationBatch | None:
    """The school's 学时登记 batch for the cycle (one at most), with who started it."""
    return _BATCH.get(school=school_id, cycle=cycle.pk)


# 教师学时 reads it on every visit: compiled once per process (accounts.compiled).
_BATCH = CompiledModels(
    lambda school, cycle: RegistrationBatch.objects.filter(
        school_id=school, cycle_id=cycle
    ).select_related("by"),
    "school",
    "cycle",
)


# ---- 学时登记 progress, for the district ----------------------------------------

# A school's registration status on the district's page: 待验收 until its
# whole-school acceptance has passed (hours.acceptance says), then its batch's.
WAITING = "waiting"
REGISTRATION_STATUSES = [(WAITING, "待验收"), *RegistrationBatch.Status.choices]


def _with_registration(schools, *, cycle):
    """Annotate `acceptance_status` (None: no acceptance yet) and `registration`
    (WAITING, or the batch's status once the acceptance passed; a passed school
    whose batch is not made yet reads 排队中). Two subqueries, no extra query."""
    batch_status = RegistrationBatch.objects.filter(school_id=OuterRef("pk"), cycle=cycle).values(
        "status"
    )[:1]
    passed = acceptance_passed_status()
    acceptance = acceptance_status_subquery(cycle=cycle)
    qs = schools.annotate(
        acceptance_status=acceptance if acceptance is not None else Value(None, CharField()),
        batch_status=Subquery(batch_status),
    )
    if passed is None:
        return qs.annotate(registration=Value(WAITING))
    return qs.annotate(
        registration=Case(
            When(
                acceptance_status=passed,
                batch_status__isnull=True,
                then=Value(RegistrationBatch.Status.PENDING),
            ),
            When(acceptance_status=passed, then=F("batch_status")),
            default=Value(WAITING),
            output_field=CharField(),
        )
    )


def schools_registration(*, schools, cycle, status: str = "", search: str = ""):
    """Schools (a "visible to" queryset) with their acceptance status and their
    registration status (see _with_registration), by district and code. One
    query; `registration_batches` loads the batches of one page in one more,
    `school_teacher_counts` their teachers in another."""
    qs = _with_registration(schools.order_by("region__code", "code"), cycle=cycle)
    if search:
        qs = qs.filter(name__contains=search)
    if status in dict(REGISTRATION_STATUSES):
        qs = qs.filter(registration=status)
    return qs


def school_teacher_counts(*, school_ids: list[int], cycle) -> dict[int, int]:
    """{school_id: active teachers} for a page of schools: their kept figures
    (accounts.figures), or counted when no keeper is registered. One query."""
    kept = school_figures_kept_many(school_ids=school_ids, cycle=cycle)
    if kept is not None:
        return {pk: figures.teachers for pk, figures in kept.items()}
    counted = schools_with_counts(School.objects.filter(pk__in=school_ids))
    return dict(counted.values_list("pk", "teacher_count"))


def registration_batches(*, school_ids: Iterable[int], cycle) -> dict[int, RegistrationBatch]:
    """{school_id: batch} for the given schools and cycle, with who started it
    (their name only: a page of fifty schools reads no one's whole account). One query."""
    qs = RegistrationBatch.objects.filter(school_id__in=list(school_ids), cycle=cycle)
    return {b.school_id: b for b in qs.select_related("by").only(*_BATCH_SHOWN)}


# What the district's table shows of a batch (hours_tags.district_registration_row).
_BATCH_SHOWN = (
    *("school_id", "status", "total", "done", "registered", "created_at", "finished_at"),
    *("by__real_name", "by__username"),
)


def registration_counts(*, schools, cycle) -> dict[str, int]:
    """How many of the schools are at each registration status. One query."""
    counts = dict(
        _with_registration(schools.order_by(), cycle=cycle)
        .values_list("registration")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {value: counts.get(value, 0) for value, _ in REGISTRATION_STATUSES}


# ---- the ledger checked against the summaries (manage.py hours_check) ---------


def hours_mismatches(*, school_id: int | None = None) -> list[dict]:
    """Where the summary differs from the sum of the ledger, for the teachers
    (ever) of one school or for everyone. Three queries, each returning only
    the problems:
    - a summary whose `recorded` is not the sum of its ledger rows;
    - ledger rows of a teacher and cycle that have no summary at all;
    - two standing credits for one teacher and source."""
    entries = HoursEntry.objects.all()
    summaries = HoursSummary.objects.all()
    if school_id is not None:
        people = SchoolMembership.objects.filter(school_id=school_id).values("user_id")
        entries = entries.filter(teacher_id__in=people)
        summaries = summaries.filter(teacher_id__in=people)
    ledger_sum = (
        HoursEntry.objects.filter(teacher_id=OuterRef("teacher_id"), cycle_id=OuterRef("cycle_id"))
        .values("teacher_id")
        .annotate(s=Sum("hours"))
        .values("s")
    )
    problems = [
        {
            "teacher": row["teacher__real_name"],
            "teacher_id": row["teacher_id"],
            "cycle_id": row["cycle_id"],
            "problem": f"汇总 {row['recorded']} 学时，账本合计 {row['ledger']} 学时",
        }
        for row in summaries.annotate(ledger=Coalesce(Subquery(ledger_sum), 0))
        .exclude(recorded=F("ledger"))
        .values("teacher_id", "teacher__real_name", "cycle_id", "recorded", "ledger")
        .order_by("teacher_id", "cycle_id")
    ]
    has_summary = HoursSummary.objects.filter(
        teacher_id=OuterRef("teacher_id"), cycle_id=OuterRef("cycle_id")
    )
    problems += [
        {
            "teacher": row["teacher__real_name"],
            "teacher_id": row["teacher_id"],
            "cycle_id": row["cycle_id"],
            "problem": f"没有汇总行，账本合计 {row['s']} 学时",
        }
        for row in entries.filter(~Exists(has_summary))
        .values("teacher_id", "teacher__real_name", "cycle_id")
        .annotate(s=Sum("hours"))
        .order_by("teacher_id", "cycle_id")
    ]
    problems += [
        {
            "teacher": row["teacher__real_name"],
            "teacher_id": row["teacher_id"],
            "cycle_id": None,
            "problem": f"同一来源（{row['title']}）有 {row['n']} 条未撤销的计入记录",
        }
        for row in entries.filter(kind=HoursEntry.Kind.CREDIT, reversed_by__isnull=True)
        .values("teacher_id", "teacher__real_name", "content_type_id", "object_id")
        .annotate(n=Count("pk"), title=Min("title"))
        .filter(n__gt=1)
        .order_by("teacher_id")
    ]
    return problems


def totals_of(row) -> Totals:
    """Totals of a row annotated by _with_hours."""
    return Totals(recorded=row.hours_recorded)


def standing_hours(*, teacher) -> dict:
    """The teacher's credits not yet reversed, in every cycle: what a removal
    would reverse. One query."""
    return HoursEntry.objects.filter(
        teacher=teacher, kind=HoursEntry.Kind.CREDIT, reversed_by__isnull=True
    ).aggregate(credits=Count("pk"), hours=Coalesce(Sum("hours"), 0))
