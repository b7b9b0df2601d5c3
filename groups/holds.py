"""What the groups app knows of whole-school acceptance's hold on the school's
records: from 提交验收 until the district returns it, and for good once
decided, the experts judge the school on what it submitted (checklist items
the platform shows: the 两案, the 校本主题 and its key points, the groups'
研修计划 and their 典型案例), so those stand as submitted, as the proof files
and the review results do.

The acceptance lives in assessment, to the right of groups, which groups may
not import; assessment registers the hold here in its AppConfig.ready() (as it
registers its acceptance in hours.acceptance). Without one, nothing is held.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

# What groups holds, as the refusal names it.
PLAN = "校本研修方案（两案）"
THEME = "校本主题和关键能力点"
GROUP_PLAN = "教研组研修计划"
GROUPS = "教研组及其典型案例"


@dataclass(frozen=True)
class AcceptanceHold:
    # Why `what` of the school may not change now in the cycle, or None; for
    # a write: locks what it reads (call inside atomic()).
    write: Callable[..., str | None]
    # The same, read for a page (what it offers).
    page: Callable[..., str | None]


_HOLD: list[AcceptanceHold] = []


def acceptance_hold_register(hold: AcceptanceHold) -> None:
    """Idempotent (ready() may run twice in tests): the last one wins."""
    _HOLD[:] = [hold]


def held(*, school_id: int, cycle, what: str, for_page: bool = False) -> str | None:
    if not _HOLD or cycle is None:
        return None
    check = _HOLD[0].page if for_page else _HOLD[0].write
    return check(school_id=school_id, cycle=cycle, what=what)


def require_not_held(*, school_id: int, cycle, what: str) -> None:
    """held, as a refusal. Call inside atomic()."""
    if refusal := held(school_id=school_id, cycle=cycle, what=what):
        raise ValidationError(refusal)
