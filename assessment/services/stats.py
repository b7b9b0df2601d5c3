"""Keeping the per-school figures (SchoolStats; why, in assessment/models/stats.py).

Two ways in, both inside the caller's transaction:
- school_stats_refresh recomputes rows from the sources, under a lock on them;
- school_stats_hours_move applies the ledger's moves (a teacher's recorded
  hours from a to b) with one UPDATE per school, and falls back to a refresh
  when the school has no row yet.

Why these are correct together under concurrency (PostgreSQL, READ COMMITTED):
a refresh first makes sure the rows exist (INSERT … ON CONFLICT DO NOTHING,
which waits for another transaction inserting the same row), then locks them
(SELECT … FOR UPDATE, which waits for any writer holding them), and only then
reads the sources, in a statement that sees everything committed before it. A
ledger move that is not committed yet is not in that read; it applies its
delta after the refresh commits, on top of it. A move that committed earlier
is in the read. The ledger's own lock on the teacher's summary makes `before`
exact. Rows are locked in school order, so two writers never wait on each
other in a circle; every caller takes these locks last, after its own.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.compiled import CompiledModels
from accounts.figures import HoursMove, SchoolFigures
from accounts.selectors import cycle_current
from hours.selectors import HOURS_CAP, Totals, hours_bucket

from ..models import HOURS_FIELDS, STATS_FIELDS, SchoolStats
from ..selectors.district import school_stats_missing, stage_summary
from ..selectors.stats import review_and_lacking_figures, school_stats_compute

# Schools per refresh when many rows are computed at once (a first fill).
FILL_CHUNK = 50
# A page computes at most this many missing rows itself (a district's whole,
# a few seconds once); beyond (the operator's province at a cycle's start), it
# computes the schools it shows and queues the rest for a worker.
FILL_INLINE = 400


@transaction.atomic
def school_stats_refresh(*, school_ids: Iterable[int], cycle_id: int) -> None:
    """Recompute the rows of `school_ids` for the cycle from the sources
    (creating any missing). Four queries, whatever the number of schools."""
    ids = sorted(set(school_ids))
    if not ids:
        return
    SchoolStats.objects.bulk_create(
        [SchoolStats(school_id=pk, cycle_id=cycle_id) for pk in ids], ignore_conflicts=True
    )
    rows = list(
        SchoolStats.objects.select_for_update()
        .filter(school_id__in=ids, cycle_id=cycle_id)
        .order_by("school_id")
    )
    figures = school_stats_compute(school_ids=ids, cycle=cycle_id)
    now = timezone.now()
    for row in rows:
        for name, value in figures[row.school_id].items():
            setattr(row, name, value)
        row.refreshed_at = now
    SchoolStats.objects.bulk_update(rows, [*STATS_FIELDS, "refreshed_at"])


def school_stats_changed(*, school_ids: list[int], cycle_ids: list[int]) -> None:
    """accounts.figures.school_figures_changed: the rows of these schools for
    `cycle_ids`, or for every cycle they have a row for and the current one."""
    cycles = set(cycle_ids)
    if not cycles:
        kept = SchoolStats.objects.filter(school_id__in=school_ids).values_list("cycle_id")
        cycles = {c for (c,) in kept.distinct()}
        current = cycle_current()
        if current is not None:
            cycles.add(current.pk)
    for cycle_id in sorted(cycles):
        school_stats_refresh(school_ids=school_ids, cycle_id=cycle_id)


def school_stats_hours_move(*, moves: list[HoursMove]) -> None:
    """accounts.figures.school_hours_moved: each teacher leaves the bucket of
    `before` for the bucket of `after`, and the counted sum follows. One UPDATE
    per school and cycle (usually one in all). Where a teacher crossed 25 hours
    (once a cycle for most), the school's review and lacking counts are read
    again from the sources after that UPDATE has locked the row (two queries
    more), as school_stats_refresh does, but without recounting every
    teacher's hours: that read grows with the school and would hold the row,
    which every completion at the school waits for, in the rush at a cycle's
    end when most teachers cross."""
    changes: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    recount = set()
    for m in moves:
        if (m.before >= HOURS_CAP) != (m.after >= HOURS_CAP):
            # Across 25 hours a teacher may become complete (待考核) or lack
            # hours again: the review and lacking counts need the sources.
            recount.add((m.school_id, m.cycle_id))
        change = changes[(m.school_id, m.cycle_id)]
        change[HOURS_FIELDS[hours_bucket(m.before)]] -= 1
        change[HOURS_FIELDS[hours_bucket(m.after)]] += 1
        change["hours_counted"] += (
            Totals(recorded=m.after).counted - Totals(recorded=m.before).counted
        )
    for (school_id, cycle_id), change in sorted(changes.items()):
        fields = {name: F(name) + n for name, n in change.items() if n}
        if not fields:
            if (school_id, cycle_id) not in recount:
                continue
            # One teacher up across 25 and one down: the buckets even out,
            # the counts may not. A no-op SET still takes the row's lock.
            fields = {"hours_counted": F("hours_counted")}
        row = SchoolStats.objects.filter(school_id=school_id, cycle_id=cycle_id)
        if not row.update(**fields):
            school_stats_refresh(school_ids=[school_id], cycle_id=cycle_id)
        elif (school_id, cycle_id) in recount:
            # Under the row's lock: a statement that sees every move committed
            # before it, and this transaction's own (see the module's note).
            row.update(**review_and_lacking_figures(school_id, cycle_id))


def school_stats_read(*, school_id: int, cycle) -> SchoolStats:
    """One school's kept figures for the cycle, computed first when the row is
    missing (a new school, a new cycle). One query when kept, the steady state."""
    row = _KEPT.get(school=school_id, cycle=cycle.pk)
    if row is None:
        school_stats_refresh(school_ids=[school_id], cycle_id=cycle.pk)
        row = SchoolStats.objects.get(school_id=school_id, cycle=cycle)
    return row


# Every school page reads its row: compiled once per process (accounts.compiled).
_KEPT = CompiledModels(
    lambda school, cycle: SchoolStats.objects.filter(school_id=school, cycle_id=cycle),
    "school",
    "cycle",
)


def school_figures_of_row(*, school_id: int, cycle) -> SchoolFigures:
    """accounts.figures.school_figures_kept: the row, as the apps to the left read it."""
    return _figures(school_stats_read(school_id=school_id, cycle=cycle))


def school_figures_of_rows(*, school_ids: Iterable[int], cycle) -> dict[int, SchoolFigures]:
    """accounts.figures.school_figures_kept_many: the rows of these schools
    (a page of a list), the missing computed first. One query when all are kept."""
    ids = sorted(set(school_ids))
    rows = {r.school_id: r for r in SchoolStats.objects.filter(school_id__in=ids, cycle=cycle)}
    if missing := [pk for pk in ids if pk not in rows]:
        school_stats_refresh(school_ids=missing, cycle_id=cycle.pk)
        made = SchoolStats.objects.filter(school_id__in=missing, cycle=cycle)
        rows.update({r.school_id: r for r in made})
    return {pk: _figures(row) for pk, row in rows.items()}


def _figures(row: SchoolStats) -> SchoolFigures:
    return SchoolFigures(
        teachers=row.teachers,
        full_time=row.full_time,
        hours_buckets=tuple(getattr(row, name) for name in HOURS_FIELDS),
        hours_counted=row.hours_counted,
    )


def school_stats_ensure(*, schools, cycle, inline: int | None = None, shown=None) -> int:
    """Compute the rows `schools` lack for `cycle` (new schools, a new cycle,
    data loaded in bulk) before a page or export reads them. One query when
    none is missing. With `inline`, at most that many are computed here (the
    ids `shown()` returns first: the schools on the page) and the rest queued
    for a worker once the caller commits; returns how many were queued."""
    missing = school_stats_missing(schools=schools, cycle=cycle)
    if not missing:
        return 0
    now, later = missing, []
    if inline is not None and len(missing) > inline:
        wanted = set(shown() if shown else [])
        now = [pk for pk in missing if pk in wanted][:inline]
        later = [pk for pk in missing if pk not in set(now)]
    for start in range(0, len(now), FILL_CHUNK):
        school_stats_refresh(school_ids=now[start : start + FILL_CHUNK], cycle_id=cycle.pk)
    if later:
        from ..tasks import fill_school_stats

        transaction.on_commit(lambda: fill_school_stats.delay(later, cycle.pk))
    return len(later)


def stage_summary_complete(*, schools, cycle, inline: int | None = FILL_INLINE, shown=None):
    """The schools by stage with their figures (selectors.district.stage_summary),
    after computing the rows some schools lack (school_stats_ensure): one query
    when none is missing, the steady state. Returns (summary, how many queued)."""
    summary = stage_summary(schools=schools, cycle=cycle)
    if not summary.missing:
        return summary, 0
    queued = school_stats_ensure(schools=schools, cycle=cycle, inline=inline, shown=shown)
    return stage_summary(schools=schools, cycle=cycle), queued
