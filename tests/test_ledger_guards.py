"""Credited once, guard by guard (issue 16 §4). Each guard is tested with the
others out of the way, so removing any one of them fails a test here:

- participation_complete's conditional UPDATE: a stale second call (the row
  loaded before the first completion) returns False and leaves completed_at
  as the first call wrote it;
- the ledger's standing-credit check: with the unique constraint dropped
  (PostgreSQL, inside the test's transaction) a second credit still finds the
  first and credits nothing;
- the unique constraint (teacher, source, kind, generation): with the
  standing-credit check bypassed, the database refuses the second credit, on
  SQLite and PostgreSQL alike;
- the lock on the teacher's summary row: a credit that arrives while a
  reversal of the same source is under way waits for it, then credits anew,
  instead of reading the old credit as standing and dropping the hours
  (PostgreSQL, two connections).
"""

import datetime
import threading
import time

import pytest
import time_machine
from django.db import connection, connections, transaction
from django.urls import reverse

from activities import services
from activities.models import Participation
from groups.models import ResearchGroup
from hours import services as ledger
from hours.models import HoursEntry, HoursSummary
from hours.selectors import hours_totals

from . import factories_activities as fa

# SQLite serialises writers and ignores SELECT ... FOR UPDATE, and cannot drop a
# table's constraint inside a transaction: these two prove something only there.
on_postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)"
)


def source(cast, n: int):
    """Any row stands in for an activity (the ledger knows nothing of kinds)."""
    return ResearchGroup.objects.create(school=cast.school, name=f"来源{n}")


def credit(cast, src, hours=2):
    return ledger.hours_credit(
        teacher=cast.teacher,
        cycle=cast.cycle,
        school=cast.school,
        source=src,
        hours=hours,
        category="教学研讨",
        reason="完成活动",
    )


def standing(cast):
    return HoursEntry.objects.filter(teacher=cast.teacher, kind="credit", reversed_by__isnull=True)


def recorded(cast) -> int:
    return hours_totals(teacher=cast.teacher, cycle=cast.cycle).recorded


# ---- participation_complete: the conditional update -----------------------------


@pytest.mark.django_db
def test_a_stale_second_completion_returns_false_and_keeps_the_first_timestamp(cast, as_user):
    s = fa.group_setup(cast)
    a = fa.activity(s, "homework")
    as_user(s.member).post(reverse("activities:join", args=[a.pk]))
    first = Participation.objects.get(activity=a, user=s.member)
    stale = Participation.objects.get(activity=a, user=s.member)  # read before completion
    assert services.participation_complete(participation=first, by=s.member, reason="提交作业")
    done_at = Participation.objects.get(pk=first.pk).completed_at
    assert stale.completed_at is None
    with time_machine.travel(datetime.timedelta(minutes=5)):
        assert not services.participation_complete(
            participation=stale, by=s.member, reason="提交作业"
        )
    assert Participation.objects.get(pk=first.pk).completed_at == done_at
    assert HoursEntry.objects.filter(teacher=s.member).count() == 1
    assert hours_totals(teacher=s.member, cycle=cast.cycle).recorded == 5


# ---- the unique constraint, with the standing-credit check bypassed -------------


@pytest.mark.django_db
def test_the_database_refuses_a_second_standing_credit_when_the_check_is_bypassed(
    cast, monkeypatch
):
    src = source(cast, 1)
    assert credit(cast, src) is not None
    # Bypass the earlier guard: the check now sees no standing credit.
    monkeypatch.setattr(ledger, "_standing", lambda qs: qs.none())
    assert credit(cast, src) is None
    assert standing(cast).count() == 1
    assert recorded(cast) == 2  # the summary did not move either
    assert cast.teacher.notifications.filter(kind="hours_credit").count() == 1


# ---- the standing-credit check, with the unique constraint dropped --------------


@pytest.mark.postgres
@on_postgres_only
@pytest.mark.django_db
def test_the_standing_credit_check_alone_credits_once(cast):
    with connection.cursor() as cursor:  # rolled back with the test's transaction
        cursor.execute(
            "ALTER TABLE hours_hoursentry DROP CONSTRAINT hours_entry_one_per_generation"
        )
    src = source(cast, 1)
    assert credit(cast, src) is not None
    assert credit(cast, src) is None
    assert credit(cast, src, hours=5) is None
    assert standing(cast).count() == 1
    assert recorded(cast) == 2


# ---- the summary lock: a credit racing a reversal --------------------------------


@pytest.mark.postgres
@on_postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # two real connections
def test_a_credit_arriving_during_a_reversal_waits_for_it_and_credits_anew(cast):
    """The reversal holds the teacher's summary row (every ledger write takes it
    first); the credit arrives in that window. With the lock it waits, then
    sees the old credit reversed and credits again (generation 1). Without it,
    it would read the old credit as still standing, return None, and the
    teacher would end with no hours for work that was done."""
    src = source(cast, 1)
    assert credit(cast, src, hours=3) is not None
    holding = threading.Event()
    results = {}

    def reverse_slowly():
        try:
            with transaction.atomic():
                HoursSummary.objects.select_for_update().get(teacher=cast.teacher, cycle=cast.cycle)
                holding.set()
                time.sleep(1.0)  # the credit arrives now
                results["reversal"] = ledger.hours_reverse(
                    teacher=cast.teacher, source=src, reason="佐证材料撤回"
                )
        finally:
            connections.close_all()

    def credit_meanwhile():
        try:
            holding.wait(10)
            results["credit"] = credit(cast, src, hours=3)
            results["credit_done_at"] = time.monotonic()
        finally:
            connections.close_all()

    started = time.monotonic()
    threads = [threading.Thread(target=reverse_slowly), threading.Thread(target=credit_meanwhile)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results["reversal"] is not None
    assert results["credit"] is not None, "the credit read the reversed one as standing"
    assert results["credit_done_at"] - started >= 1.0  # it waited for the reversal
    credits = standing(cast)
    assert [c.generation for c in credits] == [1]
    summary = HoursSummary.objects.get(teacher=cast.teacher, cycle=cast.cycle).recorded
    assert summary == recorded(cast) == 3
    assert sum(HoursEntry.objects.filter(teacher=cast.teacher).values_list("hours", flat=True)) == 3
