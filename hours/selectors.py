"""Reads of hours. The rest of the platform asks here and nowhere else."""

from collections.abc import Iterable
from dataclasses import dataclass

from .models import HOURS_CAP, HoursEntry, HoursRegistration, HoursSummary

__all__ = [
    "HOURS_CAP",
    "Totals",
    "hours_totals",
    "hours_totals_for",
    "hours_entries",
    "hours_registration",
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


def hours_entries(*, teacher, cycle):
    """The teacher's ledger rows for a cycle, oldest first, with ability points
    and which credits were reversed. Two queries when evaluated."""
    return (
        HoursEntry.objects.filter(teacher=teacher, cycle=cycle)
        .select_related("reversed_by", "by")
        .prefetch_related("ability_points")
        .order_by("at", "pk")
    )


def hours_registration(*, teacher, cycle) -> HoursRegistration | None:
    """The teacher's 学时登记 for the cycle, if the school's hours were registered."""
    return HoursRegistration.objects.filter(teacher=teacher, cycle=cycle).first()
