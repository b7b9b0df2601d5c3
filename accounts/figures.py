"""Per-school figures the district's pages read, kept as summary rows
(assessment.models.SchoolStats: teachers, counted hours by bucket, review and
evaluation passes, per school and cycle).

The rows are kept by assessment (the one app that sees every source: places,
the ledger, the review, the evaluation), but the services that change a
school's teachers or hours sit to its left: accounts (teachers added, 专任
changed), groups (调岗移除), hours (the ledger). They report what changed here,
inside their own transaction, and assessment registers what to do about it in
its AppConfig.ready() (as apps register removal clearers in groups.removal).
Explicit calls, not signals: the flow stays readable from the service.

- school_figures_changed: something about these schools' teachers changed;
  their rows are recomputed from the sources (a rare event: an import, a
  removal, a review decision).
- school_hours_moved: the ledger moved teachers' recorded hours (every credit
  and reversal); the rows follow in one UPDATE, without a recount.

And the other way: school_figures_kept reads one school's row (and
school_figures_kept_many a page of schools' rows) for the pages to the left
(the school's hours list, the district's 学时登记) that would otherwise count
their teachers.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class HoursMove:
    """A teacher's recorded hours in `cycle_id`, earned in `school_id`, went
    from `before` to `after` (under the ledger's lock on their summary row)."""

    school_id: int
    cycle_id: int
    before: int
    after: int


@dataclass(frozen=True)
class SchoolFigures:
    """One school's kept figures for a cycle: its active teachers, how many
    are 专任, the teachers per bucket of counted hours (hours.selectors
    HOURS_BUCKETS, in order) and the sum of their counted hours."""

    teachers: int
    full_time: int
    hours_buckets: tuple[int, ...]
    hours_counted: int


@dataclass
class _Keeper:
    changed: Callable[..., None] | None = None
    hours_moved: Callable[..., None] | None = None
    read: Callable[..., SchoolFigures] | None = None
    read_many: Callable[..., dict[int, SchoolFigures]] | None = None


_KEEPER = _Keeper()


def school_figures_keeper_register(
    *,
    changed: Callable[..., None],
    hours_moved: Callable[..., None],
    read: Callable[..., SchoolFigures] | None = None,
    read_many: Callable[..., dict[int, SchoolFigures]] | None = None,
) -> None:
    """Idempotent (ready() may run twice in tests): the last one wins."""
    _KEEPER.changed = changed
    _KEEPER.hours_moved = hours_moved
    _KEEPER.read = read
    _KEEPER.read_many = read_many


def school_figures_kept(*, school_id: int, cycle) -> SchoolFigures | None:
    """The school's kept figures for `cycle` (computed first if the row is
    missing: one query in the steady state), or None when no keeper is
    registered and the caller must count for itself."""
    if _KEEPER.read is None:
        return None
    return _KEEPER.read(school_id=school_id, cycle=cycle)


def school_figures_kept_many(*, school_ids: Iterable[int], cycle) -> dict | None:
    """school_figures_kept for a page of schools ({school_id: SchoolFigures}):
    one query in the steady state; None when no keeper is registered."""
    if _KEEPER.read_many is None:
        return None
    return _KEEPER.read_many(school_ids=school_ids, cycle=cycle)


def school_figures_changed(*, school_ids: Iterable[int], cycle_ids: Iterable[int] = ()) -> None:
    """The teachers of these schools changed (or their review, evaluation...):
    recompute their rows, for `cycle_ids` or every cycle they have one for.
    Call inside the transaction that made the change."""
    ids = sorted({pk for pk in school_ids if pk is not None})
    if ids and _KEEPER.changed is not None:
        _KEEPER.changed(school_ids=ids, cycle_ids=sorted(set(cycle_ids)))


def school_hours_moved(*, moves: Iterable[HoursMove]) -> None:
    """The ledger's moves, for the rows to follow. Call inside its transaction."""
    moves = [m for m in moves if m.school_id is not None and m.before != m.after]
    if moves and _KEEPER.hours_moved is not None:
        _KEEPER.hours_moved(moves=moves)
