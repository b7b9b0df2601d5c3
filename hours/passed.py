"""What the ledger knows of 研修考核 (the school's review of each teacher).

Only a complete teacher passes, and 25 counted hours are part of complete.
A pass locks the teacher's materials (assessment.services.review: revoking it,
with a reason, unlocks them); the hours behind it stand the same way: a
reversal that would take a passed teacher below 25 hours (a leader's evidence
withdrawn, a member taken off a 线下活动) is refused, naming them, until the
school revokes the pass. Without that, a teacher stood 通过 with 0/25 hours,
and after 学时登记 the registered hours disagreed with the ledger (outside
test 13 F2). 调岗移除 is not refused: it clears the review too.

The review lives in assessment, to the right of hours, which hours may not
import; assessment registers who passed here in its AppConfig.ready() (as it
registers its acceptance in hours.acceptance). Without one, nobody has passed.
"""

from collections.abc import Callable

_PASSED: list[Callable] = []


def review_passed_register(finder: Callable) -> None:
    """`finder(places)`: of these (teacher_id, cycle_id, school_id), the
    display names of the teachers whose review in that cycle is 通过.
    Idempotent: the last one wins."""
    _PASSED[:] = [finder]


def review_passed_names(places: list[tuple[int, int, int]]) -> list[str]:
    return _PASSED[0](places) if _PASSED and places else []
