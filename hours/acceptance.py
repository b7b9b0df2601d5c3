"""What the hours app knows of whole-school acceptance (整校推进验收).

学时登记 follows a passed acceptance (DESIGN §2; seed 001 校本推进安排 row 7), so
the registration pages must say where each school's acceptance stands. The
acceptance lives in assessment, to the right of hours, which hours may not
import; assessment describes its records here instead, in its AppConfig.ready()
(as apps register removal clearers in groups.removal). Without a registered
source no school has passed, and every page says 待验收: the truth, since
without acceptance nothing can pass.
"""

from dataclasses import dataclass, field
from typing import Protocol

from django.db.models import OuterRef, QuerySet, Subquery


class _OfCycle(Protocol):
    def __call__(self, cycle) -> QuerySet: ...


@dataclass(frozen=True)
class AcceptanceSource:
    # The acceptances of a cycle: a queryset with `school_id` and `status`.
    of_cycle: _OfCycle
    # The status that lets registration start.
    passed: str
    # What the pages call each status.
    labels: dict[str, str] = field(default_factory=dict)


_SOURCE: list[AcceptanceSource] = []


def acceptance_source_register(source: AcceptanceSource) -> None:
    """Idempotent (ready() may run twice in tests): the last one wins."""
    _SOURCE[:] = [source]


def acceptance_status_subquery(*, cycle):
    """The status of the acceptance of the school OuterRef("pk") in `cycle`
    (None when it has none, or nothing is registered): one subquery."""
    if not _SOURCE:
        return None
    qs = _SOURCE[0].of_cycle(cycle).filter(school_id=OuterRef("pk")).values("status")[:1]
    return Subquery(qs)


def acceptance_passed(*, school_id: int, cycle) -> bool:
    """Whether the school's acceptance for `cycle` has passed: what 学时登记
    waits for (never, when nothing is registered). One query."""
    if not _SOURCE:
        return False
    source = _SOURCE[0]
    return source.of_cycle(cycle).filter(school_id=school_id, status=source.passed).exists()


def acceptance_passed_status() -> str | None:
    return _SOURCE[0].passed if _SOURCE else None


def acceptance_label(status: str | None) -> str:
    """ "已提交验收", "未开始" when the school has no acceptance yet."""
    if status is None or not _SOURCE:
        return "未开始"
    return _SOURCE[0].labels.get(status, status)
