"""What the apps to the left of assessment know of whole-school acceptance's
hold on a school's records: from 提交验收 until the district returns it, and
for good once decided, the experts judge the school on what it submitted, so
those records stand as submitted, as the proof files and the review results
do. Held here: the 专任 flag of the school's teachers (the 95% gate counts
专任教师: unticking those not 合格 would raise the rate the experts saw);
in groups (groups.holds names them): the 两案, the 校本主题 and its key
points, the groups' 研修计划 and their 典型案例.

The acceptance lives in assessment, to the right of accounts and groups,
which may not import it; assessment registers the hold here in its
AppConfig.ready() (as it registers its acceptance in hours.acceptance).
Without one, nothing is held.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from .idnumbers import mask_phone

# What accounts holds, as the refusal names it.
FULL_TIME = "教师的“专任教师”标记"
# Who a teacher is: changed, a 专任教师 could leave and come back as a
# "new" 非专任 person (outside test 12).
ID_NUMBER = "教师的身份证号"


@dataclass(frozen=True)
class AcceptanceHold:
    # Why `what` of the school may not change now in the cycle, or None; for
    # a write: locks what it reads (call inside atomic()).
    write: Callable[..., str | None]
    # The same, read for a page (what it offers).
    page: Callable[..., str | None]
    # Keeps `lines` in the acceptance's history (验收记录, which the district
    # reads) when the acceptance holds the school's records; nothing otherwise.
    # For the changes the hold lets through: a teacher leaving or joining.
    record: Callable[..., None]


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


# What a line of the history records (assessment's AcceptanceEvent.kind):
# the district's page counts each kind, so a flood of one can't hide another.
REMOVED = "removed"
JOINED = "joined"
LEADER = "leader"
CORRECTED = "corrected"
OPERATOR = "operator"


def held_record(*, school_id: int, cycle, kind: str, lines: list[str], by=None) -> None:
    """Keep `lines` in the school's acceptance history if the acceptance holds
    its records now (locks the acceptance's row once: call inside atomic())."""
    if _HOLD and cycle is not None and lines:
        _HOLD[0].record(school_id=school_id, cycle=cycle, kind=kind, lines=lines, by=by)


def person_line(user) -> str:
    """A person as the history names them: the name and phone the school
    typed may change, the account's number says who it was."""
    return f"{user.display_name}（{mask_phone(user.phone or '')}，账号编号 {user.pk}）"
