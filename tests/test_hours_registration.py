"""学时登记: registering a school's counted hours, once, and only after the
school's whole-school acceptance has passed."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import SchoolMembership
from groups.models import ResearchGroup
from hours.models import HoursRegistration, RegistrationBatch
from hours.services import hours_credit, hours_register_school, hours_register_school_later

from . import factories_acceptance as fx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _passed(cast):
    """Registration follows a passed acceptance: the cast's school has one."""
    fx.passed(cast)


def credit(cast, teacher, n, hours):
    src = ResearchGroup.objects.create(school=cast.school, name=f"活动{teacher.pk}-{n}")
    hours_credit(
        teacher=teacher,
        cycle=cast.cycle,
        school=cast.school,
        source=src,
        hours=hours,
        category="研修作业",
    )


def registered(cast):
    return dict(
        HoursRegistration.objects.filter(cycle=cast.cycle).values_list("teacher_id", "hours")
    )


def test_registration_records_the_counted_hours_of_every_active_teacher(cast):
    for n in range(6):
        credit(cast, cast.teacher, n, 5)  # 30 recorded, 25 counted
    credit(cast, cast.teacher2, 0, 2)
    batch = hours_register_school(school=cast.school, cycle=cast.cycle, by=cast.district_admin)
    assert registered(cast) == {cast.teacher.pk: 25, cast.teacher2.pk: 2, cast.info_team.pk: 0}
    reg = HoursRegistration.objects.get(teacher=cast.teacher)
    assert reg.recorded == 30 and reg.school == cast.school and reg.batch == batch
    batch.refresh_from_db()
    assert batch.status == "done" and batch.registered == batch.total == 3
    assert batch.by == cast.district_admin and batch.finished_at is not None
    assert cast.outsider.pk not in registered(cast)


def test_registration_run_twice_registers_once_and_follows_later_hours(cast):
    credit(cast, cast.teacher, 0, 5)
    hours_register_school(school=cast.school, cycle=cast.cycle)
    first = HoursRegistration.objects.get(teacher=cast.teacher)
    assert first.updated_at is None
    credit(cast, cast.teacher, 1, 5)  # hours earned after the pass
    batch = hours_register_school(school=cast.school, cycle=cast.cycle)
    assert HoursRegistration.objects.count() == 3
    assert RegistrationBatch.objects.count() == 1
    again = HoursRegistration.objects.get(teacher=cast.teacher)
    assert (again.hours, again.recorded) == (10, 10)
    assert again.registered_at == first.registered_at and again.updated_at is not None
    untouched = HoursRegistration.objects.get(teacher=cast.teacher2)
    assert untouched.updated_at is None  # nothing changed for them
    assert batch.registered == 3


def test_the_nightly_refresh_registers_who_joined_and_what_changed_after_the_pass(cast):
    from django.conf import settings

    from accounts.models import Cycle
    from hours.tasks import registrations_refresh_daily

    from . import factories as f

    hours_register_school(school=cast.school, cycle=cast.cycle)
    newcomer = f.teacher(cast.school, "新来老师")
    credit(cast, cast.teacher, 0, 4)
    assert registrations_refresh_daily() == 1
    assert registered(cast)[newcomer.pk] == 0
    assert registered(cast)[cast.teacher.pk] == 4
    entry = settings.CELERY_BEAT_SCHEDULE["registrations-refresh"]
    assert entry["task"] == "hours.tasks.registrations_refresh_daily"
    # Past the last day anyone's hours may change, the registration stays as it is.
    import datetime

    ended = datetime.date.today() - datetime.timedelta(days=60)
    Cycle.objects.filter(pk=cast.cycle.pk).update(
        starts_on=ended - datetime.timedelta(days=200), ends_on=ended
    )
    credit(cast, cast.teacher, 1, 4)
    assert registrations_refresh_daily() == 0
    assert registered(cast)[cast.teacher.pk] == 4


def test_a_removed_teacher_is_not_registered(cast):
    SchoolMembership.objects.filter(user=cast.teacher2).update(removed_at="2026-01-01T00:00Z")
    hours_register_school(school=cast.school, cycle=cast.cycle)
    assert cast.teacher2.pk not in registered(cast)


def test_the_task_runs_once_the_caller_commits(cast, django_capture_on_commit_callbacks):
    credit(cast, cast.teacher, 0, 5)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        batch = hours_register_school_later(school=cast.school, cycle=cast.cycle, by=None)
        assert not HoursRegistration.objects.exists()
    assert len(callbacks) == 1
    batch.refresh_from_db()
    assert batch.status == "done" and registered(cast)[cast.teacher.pk] == 5


def test_the_command_registers_a_school_by_code(cast):
    out = StringIO()
    call_command("register_hours", school=cast.school.code, stdout=out)
    call_command("register_hours", school=cast.school.code, stdout=out)
    assert HoursRegistration.objects.count() == 3
    assert "已登记 3 人" in out.getvalue()


def test_the_command_refuses_a_school_whose_acceptance_has_not_passed(cast):
    from django.core.management.base import CommandError

    from accounts.models import School

    other = School.objects.get(pk=cast.other_school.pk)
    with pytest.raises(CommandError, match="整校推进验收.*尚未通过.*验收通过后会自动登记"):
        call_command("register_hours", school=other.code, stdout=StringIO())
    with pytest.raises(CommandError, match="尚未通过"):
        call_command("register_hours", school=other.code, queue=True, stdout=StringIO())
    assert not RegistrationBatch.objects.filter(school=other).exists()
