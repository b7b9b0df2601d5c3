"""The ledger's rules, through hours.services and hours.selectors.

The ledger knows nothing of activity types (DESIGN.md §3), so any model row can
stand in for the activity a credit comes from; here research groups do.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import SchoolMembership
from groups.models import AbilityPoint, ResearchGroup
from groups.services import teacher_remove
from hours.models import HoursEntry, HoursSummary
from hours.selectors import HOURS_CAP, hours_totals, hours_totals_for
from hours.services import (
    hours_credit,
    hours_reverse,
    hours_reverse_source,
    hours_reverse_teacher,
)

pytestmark = pytest.mark.django_db


def source(cast, n: int):
    return ResearchGroup.objects.create(school=cast.school, name=f"活动{n}")


def credit(cast, src, hours=2, teacher=None, **kw):
    return hours_credit(
        teacher=teacher or cast.teacher,
        cycle=cast.cycle,
        school=cast.school,
        source=src,
        hours=hours,
        category=kw.pop("category", "教学研讨"),
        **kw,
    )


def ledger_sum(teacher, cycle) -> int:
    return sum(
        HoursEntry.objects.filter(teacher=teacher, cycle=cycle).values_list("hours", flat=True)
    )


def test_a_credit_is_recorded_once_however_often_it_is_asked_for(cast):
    src = source(cast, 1)
    assert credit(cast, src) is not None
    assert credit(cast, src) is None
    assert credit(cast, src, hours=5) is None
    assert HoursEntry.objects.count() == 1
    assert hours_totals(teacher=cast.teacher, cycle=cast.cycle).recorded == 2


def test_a_credit_keeps_its_source_category_and_ability_points(cast):
    src = source(cast, 1)
    points = list(AbilityPoint.objects.all()[:2])
    entry = credit(cast, src, ability_points=points, by=cast.school_admin)
    entry.refresh_from_db()
    assert entry.source == src
    assert entry.category == "教学研讨"
    assert entry.title == str(src)
    assert set(entry.ability_points.all()) == set(points)
    assert entry.by == cast.school_admin


def test_reversal_cancels_the_credit_and_keeps_both_rows(cast):
    src = source(cast, 1)
    c = credit(cast, src, hours=5)
    r = hours_reverse(teacher=cast.teacher, source=src, reason="撤回作业")
    assert r.hours == -5 and r.reverses == c and r.reason == "撤回作业"
    assert hours_reverse(teacher=cast.teacher, source=src, reason="again") is None
    assert HoursEntry.objects.count() == 2
    assert hours_totals(teacher=cast.teacher, cycle=cast.cycle).recorded == 0


def test_a_reversed_credit_may_be_credited_again_once(cast):
    src = source(cast, 1)
    credit(cast, src)
    hours_reverse(teacher=cast.teacher, source=src, reason="撤回观点")
    again = credit(cast, src)
    assert again is not None and again.generation == 1
    assert credit(cast, src) is None
    assert hours_totals(teacher=cast.teacher, cycle=cast.cycle).recorded == 2


def test_reversing_without_a_credit_does_nothing(cast):
    assert hours_reverse(teacher=cast.teacher, source=source(cast, 1), reason="x") is None
    assert not HoursEntry.objects.exists()


def test_hours_above_25_are_recorded_but_only_25_count(cast):
    for n, h in enumerate([10, 10, 5, 2], start=1):
        credit(cast, source(cast, n), hours=h)
    totals = hours_totals(teacher=cast.teacher, cycle=cast.cycle)
    assert (totals.recorded, totals.counted, totals.over_cap) == (27, HOURS_CAP, 2)
    assert str(totals) == "25/25"


def test_totals_for_many_teachers_in_one_query(cast, django_assert_num_queries):
    credit(cast, source(cast, 1), hours=5)
    with django_assert_num_queries(1):
        totals = hours_totals_for(teacher_ids=[cast.teacher.pk, cast.teacher2.pk], cycle=cast.cycle)
    assert totals[cast.teacher.pk].recorded == 5
    assert totals[cast.teacher2.pk].recorded == 0


def test_withdrawing_an_activity_reverses_every_teachers_credit(cast):
    src = source(cast, 1)
    credit(cast, src, hours=5)
    credit(cast, src, hours=5, teacher=cast.teacher2)
    other = source(cast, 2)
    credit(cast, other, hours=2)
    assert hours_reverse_source(source=src, reason="活动撤回") == 2
    assert hours_totals(teacher=cast.teacher, cycle=cast.cycle).recorded == 2
    assert hours_totals(teacher=cast.teacher2, cycle=cast.cycle).recorded == 0


def test_removing_a_teacher_reverses_all_their_credits(cast):
    for n in range(3):
        credit(cast, source(cast, n), hours=5)
    credit(cast, source(cast, 9), hours=5, teacher=cast.teacher2)
    assert hours_reverse_teacher(teacher=cast.teacher, reason="调岗", by=cast.school_admin) == 3
    assert hours_totals(teacher=cast.teacher, cycle=cast.cycle).recorded == 0
    assert hours_totals(teacher=cast.teacher2, cycle=cast.cycle).recorded == 5


def test_the_summary_always_equals_the_sum_of_the_ledger(cast):
    srcs = [source(cast, n) for n in range(6)]
    for s in srcs:
        credit(cast, s, hours=5)
    hours_reverse(teacher=cast.teacher, source=srcs[0], reason="x")
    credit(cast, srcs[0], hours=5)
    hours_reverse_source(source=srcs[1], reason="y")
    summary = HoursSummary.objects.get(teacher=cast.teacher, cycle=cast.cycle)
    assert summary.recorded == ledger_sum(cast.teacher, cast.cycle) == 25


def test_a_credit_must_be_positive(cast):
    with pytest.raises(ValueError):
        credit(cast, source(cast, 1), hours=0)


def test_removing_a_transferred_teacher_clears_their_hours_and_keeps_the_trail(cast):
    for n in range(2):
        credit(cast, source(cast, n), hours=5)
    membership = SchoolMembership.objects.get(user=cast.teacher, removed_at__isnull=True)
    removal = teacher_remove(membership=membership, by=cast.school_admin, reason="调往外校")
    assert hours_totals(teacher=cast.teacher, cycle=cast.cycle).recorded == 0
    assert removal.cleared["hours_credits"] == 2
    reversals = HoursEntry.objects.filter(teacher=cast.teacher, kind="reversal")
    assert reversals.count() == 2
    assert all(r.by == cast.school_admin and "调往外校" in r.reason for r in reversals)
    assert HoursEntry.objects.filter(teacher=cast.teacher).count() == 4  # nothing deleted


def test_the_removal_audit_row_is_written_once_and_never_updated(cast):
    credit(cast, source(cast, 1), hours=5)
    membership = SchoolMembership.objects.get(user=cast.teacher, removed_at__isnull=True)
    with CaptureQueriesContext(connection) as ctx:
        removal = teacher_remove(membership=membership, by=cast.school_admin, reason="调往外校")
    audit_writes = [
        q["sql"] for q in ctx.captured_queries if "groups_teacherremoval" in q["sql"].lower()
    ]
    assert len(audit_writes) == 1 and audit_writes[0].upper().startswith("INSERT")
    removal.refresh_from_db()
    assert removal.cleared["hours_credits"] == 1


def test_a_refused_removal_reverses_nothing(cast):
    credit(cast, source(cast, 1), hours=5)
    membership = SchoolMembership.objects.get(user=cast.teacher, removed_at__isnull=True)
    with pytest.raises(ValidationError):
        teacher_remove(membership=membership, by=cast.school_admin, reason="  ")
    assert hours_totals(teacher=cast.teacher, cycle=cast.cycle).recorded == 5
    assert not HoursEntry.objects.filter(kind="reversal").exists()
