"""The daily job also reminds a school's admins of their district's acceptance
deadline (issue 13: "a school's acceptance deadline, if the district set
one"): 14, 7, 3 and 1 days before it, while the school has not submitted (or
was returned); never the teachers, never a school that submitted, never a
scheme without a deadline or not published, never another district's schools."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Notification
from accounts.reminders import REMINDER_SOURCES, reminder_day, reminders_run_school
from accounts.tasks import reminders_daily
from assessment.services import acceptance as acc

from . import factories as f
from . import factories_acceptance as fx

pytestmark = pytest.mark.django_db


def told(user) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind="reminder", message__contains="验收"))


def deadline_of(cast) -> datetime.date:
    return cast.cycle.ends_on + datetime.timedelta(days=20)


def day_before(deadline: datetime.date, n: int) -> str:
    return (deadline - datetime.timedelta(days=n)).isoformat()


def test_the_acceptance_deadline_is_a_kind_of_the_daily_job():
    assert "acceptance_deadline" in {s.name for s in REMINDER_SOURCES}


@pytest.mark.parametrize("before", [14, 7, 3, 1])
def test_a_school_that_has_not_submitted_hears_before_the_deadline(cast, before):
    deadline = deadline_of(cast)
    fx.scheme(cast, deadline=deadline)
    reminders_daily(day_before(deadline, before))
    [notice] = told(cast.school_admin)
    assert cast.school.name in notice.message
    assert f"还剩 {before} 天" in notice.message
    assert "尚未开始准备验收材料" in notice.message
    assert notice.link == "/school/acceptance/"
    # Teachers and the other district's school are not asked to submit anything.
    assert told(cast.teacher) == [] and told(cast.outsider) == []
    # Run again the same day: nothing twice.
    reminders_daily(day_before(deadline, before))
    assert len(told(cast.school_admin)) == 1


def test_no_acceptance_reminder_on_the_other_days(cast):
    deadline = deadline_of(cast)
    fx.scheme(cast, deadline=deadline)
    for before in (15, 10, 5, 2, 0, -1):
        reminders_daily(day_before(deadline, before))
    assert told(cast.school_admin) == []


def test_a_draft_hears_its_state_and_a_submitted_school_hears_nothing(cast):
    deadline = deadline_of(cast)
    fx.scheme(cast, deadline=deadline)
    acc.acceptance_open(school=cast.school, cycle=cast.cycle)
    reminders_daily(day_before(deadline, 14))
    [notice] = told(cast.school_admin)
    assert "验收准备中" in notice.message
    fx.submitted(cast)
    reminders_daily(day_before(deadline, 7))
    assert len(told(cast.school_admin)) == 1


def test_a_returned_school_is_reminded_again(cast):
    deadline = deadline_of(cast)
    fx.scheme(cast, deadline=deadline)
    a = fx.submitted(cast)
    acc.acceptance_return(acceptance=a, by=cast.district_admin, reason="证明材料第3项缺少签字")
    reminders_daily(day_before(deadline, 3))
    [notice] = told(cast.school_admin)
    assert "验收已退回" in notice.message


def test_no_deadline_or_an_unpublished_scheme_reminds_nobody(cast):
    fx.scheme(cast)  # published, no deadline
    other = fx.scheme(
        cast,
        district=cast.other_district,
        by=cast.other_district_admin,
        publish=False,
        deadline=deadline_of(cast),
    )
    admin_elsewhere = f.school_admin(cast.other_school, "霞山校管")
    reminders_daily(day_before(deadline_of(cast), 7))
    assert not other.is_published
    assert told(cast.school_admin) == [] and told(admin_elsewhere) == []


def test_the_deadline_reminder_costs_the_same_queries_for_one_admin_and_for_five(cast):
    deadline = deadline_of(cast)
    fx.scheme(cast, deadline=deadline)
    big = f.school(cast.district, "赤坎第二中学")
    admins = [f.school_admin(big, f"校管{i}") for i in range(5)]
    day = reminder_day(deadline - datetime.timedelta(days=7))
    counts = []
    for school in (cast.school, big):
        with CaptureQueriesContext(connection) as queries:
            reminders_run_school(school_id=school.pk, day=day)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
    assert all(len(told(a)) == 1 for a in admins)
