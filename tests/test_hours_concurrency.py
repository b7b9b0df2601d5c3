"""The ledger under concurrent writers, for real on PostgreSQL.

Run with (pytest-django creates the test_xiaoben database):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiaoben \
        .venv/bin/pytest tests/test_hours_concurrency.py

Each test starts several threads (each with its own database connection, closed
at the end) at one barrier, so their transactions overlap. SQLite serialises
writers and ignores SELECT ... FOR UPDATE, so there is nothing concurrent to
prove on it: these tests are skipped there.
"""

from groups.models import ResearchGroup
from hours.models import HoursEntry, HoursRegistration, HoursSummary
from hours.selectors import HOURS_CAP, hours_totals
from hours.services import hours_credit, hours_register_school, hours_reverse

from . import factories as f
from . import factories_acceptance as fx
from .concurrency import postgres_only, run_at_once

pytestmark = postgres_only("concurrent credits cannot overlap there")


def activity(cast, n):
    return ResearchGroup.objects.create(school=cast.school, name=f"活动{n}")


def ledger_sum(teacher, cycle):
    return sum(
        HoursEntry.objects.filter(teacher=teacher, cycle=cycle).values_list("hours", flat=True)
    )


def summary_of(teacher, cycle):
    return HoursSummary.objects.get(teacher=teacher, cycle=cycle).recorded


def test_the_same_completion_from_eight_requests_at_once_credits_once(cast):
    src = activity(cast, 1)

    def complete():
        return hours_credit(
            teacher=cast.teacher,
            cycle=cast.cycle,
            school=cast.school,
            source=src,
            hours=5,
            category="研修作业",
        )

    results = run_at_once(*[complete] * 8)
    assert sum(1 for r in results if r is not None) == 1
    assert HoursEntry.objects.filter(teacher=cast.teacher).count() == 1
    assert summary_of(cast.teacher, cast.cycle) == ledger_sum(cast.teacher, cast.cycle) == 5


def test_the_database_refuses_a_second_standing_credit_even_across_cycles(cast):
    # Different cycles lock different summary rows, so only the unique
    # constraint stands between these two credits.
    other_cycle = f.cycle(name="另一周期")
    src = activity(cast, 1)

    def complete_in(cycle):
        return lambda: hours_credit(
            teacher=cast.teacher,
            cycle=cycle,
            school=cast.school,
            source=src,
            hours=2,
            category="教学研讨",
        )

    for _ in range(5):
        HoursEntry.objects.all().delete()  # test set-up only: the app never deletes
        results = run_at_once(complete_in(cast.cycle), complete_in(other_cycle))
        assert sum(1 for r in results if r is not None) == 1
        assert HoursEntry.objects.filter(teacher=cast.teacher, kind="credit").count() == 1


def test_concurrent_credits_near_the_cap_never_count_above_25(cast):
    for n in range(4):  # 20 hours already
        hours_credit(
            teacher=cast.teacher,
            cycle=cast.cycle,
            school=cast.school,
            source=activity(cast, n),
            hours=5,
            category="x",
        )
    sources = [activity(cast, 100 + n) for n in range(10)]

    def complete(src):
        return lambda: hours_credit(
            teacher=cast.teacher,
            cycle=cast.cycle,
            school=cast.school,
            source=src,
            hours=5,
            category="研修作业",
        )

    run_at_once(*[complete(s) for s in sources])
    totals = hours_totals(teacher=cast.teacher, cycle=cast.cycle)
    assert totals.recorded == 70
    assert totals.counted == HOURS_CAP
    assert summary_of(cast.teacher, cast.cycle) == ledger_sum(cast.teacher, cast.cycle)


def test_credits_and_reversals_racing_keep_the_summary_equal_to_the_ledger(cast):
    sources = [activity(cast, n) for n in range(6)]
    for s in sources[:3]:
        hours_credit(
            teacher=cast.teacher,
            cycle=cast.cycle,
            school=cast.school,
            source=s,
            hours=5,
            category="x",
        )
    calls = [
        lambda s=s: hours_reverse(teacher=cast.teacher, source=s, reason="撤回")
        for s in sources[:3]
    ] * 2 + [
        lambda s=s: hours_credit(
            teacher=cast.teacher,
            cycle=cast.cycle,
            school=cast.school,
            source=s,
            hours=2,
            category="x",
        )
        for s in sources
    ]
    results = run_at_once(*calls)
    reversals = HoursEntry.objects.filter(teacher=cast.teacher, kind="reversal")
    assert reversals.count() == sum(1 for r in results[:6] if r is not None) <= 3
    assert summary_of(cast.teacher, cast.cycle) == ledger_sum(cast.teacher, cast.cycle)
    standing = HoursEntry.objects.filter(
        teacher=cast.teacher, kind="credit", reversed_by__isnull=True
    )
    # Never two standing credits for one source.
    assert standing.count() == standing.values("object_id").distinct().count()


def test_two_registration_runs_at_once_register_each_teacher_once(cast):
    fx.passed(cast)

    def register():
        return hours_register_school(school=cast.school, cycle=cast.cycle, by=cast.school_admin)

    run_at_once(register, register)
    teachers = 3  # 李老师, 王老师 and the info-team member; the admin doesn't teach
    assert HoursRegistration.objects.filter(cycle=cast.cycle).count() == teachers
