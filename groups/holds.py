"""What the groups app knows of whole-school acceptance's hold on the school's
两案 (校本研修方案): from 提交验收 until the district returns it, and for good
once decided, the experts judge the school on what it submitted, so the plan
stands as submitted (as the proof files and the review results do).

The acceptance lives in assessment, to the right of groups, which groups may
not import; assessment registers the hold here in its AppConfig.ready() (as it
registers its acceptance in hours.acceptance). Without one, nothing is held.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PlanHold:
    # Why the school's plan for the cycle may not change now, or None; for a
    # write: locks what it reads (call inside atomic()).
    write: Callable[..., str | None]
    # The same, read for a page (what it offers).
    page: Callable[..., str | None]


_HOLD: list[PlanHold] = []


def plan_hold_register(hold: PlanHold) -> None:
    """Idempotent (ready() may run twice in tests): the last one wins."""
    _HOLD[:] = [hold]


def plan_held(*, school_id: int, cycle, for_page: bool = False) -> str | None:
    if not _HOLD:
        return None
    check = _HOLD[0].page if for_page else _HOLD[0].write
    return check(school_id=school_id, cycle=cycle)
