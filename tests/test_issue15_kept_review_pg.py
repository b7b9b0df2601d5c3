"""Issue 15, on PostgreSQL: teachers of one school crossing 25 hours at the
same instant each refresh the school's kept review and lacking counts; the
counts end as the sources say."""

from hours.services import hours_reverse

from . import factories_assessment as fm
from .concurrency import postgres_only, run_at_once
from .conftest import login
from .test_issue15_kept_review import agree, home_figures

pytestmark = postgres_only("concurrent refreshes cannot overlap there")


def test_teachers_crossing_25_at_once_leave_the_counts_right(cast):
    """Five teachers of one school complete their last hours at the same
    instant, each refreshing the school's figures in their own transaction:
    the kept counts end as the sources say (each refresh waits for the row,
    then reads what committed before it)."""
    mats = fm.mats_setup(cast)
    teachers = [cast.teacher, cast.teacher2, mats.maths_teacher, mats.leader, mats.maths_leader]
    for t in teachers:
        fm.complete(cast, t, mats.keys[:3])
        hours_reverse(teacher=t, source=t.hours_entries.get().source, reason="重来")
        fm.give_hours(cast, t, 20)
    admin = login(cast.school_admin)
    assert home_figures(admin)[1] == 0

    run_at_once(*[lambda t=t: fm.give_hours(cast, t, 5) for t in teachers])
    assert agree(cast, admin) == ("共 6 人 · 完成 5 · 通过 0 · 不通过 0", 5, 6)
