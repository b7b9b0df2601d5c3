"""Reminders that go out by themselves (issue 13): the daily job of the Celery
beat schedule reminds members of online activities closing in 3 days and
teachers who are not complete 14, 7 and 3 days before the cycle ends; run
twice on one day it sends nothing twice; per school it costs the same queries
at 30 and at 300 teachers; another app plugs in a kind of its own."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Notification, Reminder, SchoolMembership
from accounts.reminders import (
    REMINDER_SOURCES,
    Due,
    ReminderSource,
    reminder_day,
    reminder_source_register,
    reminders_run_school,
)
from accounts.tasks import reminders_daily
from activities import services
from activities.models import Extension
from config.celery import app
from groups.models import GroupMember

from . import factories as f
from . import factories_activities as fa
from . import factories_assessment as fm

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


def reminders_of(user, kind_prefix: str = "") -> list[str]:
    return list(
        Notification.objects.filter(user=user, kind="reminder", message__contains=kind_prefix)
        .order_by("pk")
        .values_list("message", flat=True)
    )


def test_the_beat_schedule_runs_the_daily_job():
    entry = settings.CELERY_BEAT_SCHEDULE["reminders-daily"]
    assert entry["task"] == "accounts.tasks.reminders_daily"
    assert entry["task"] in app.tasks
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"
    names = {source.name for source in REMINDER_SOURCES}
    assert {"activity_closing", "cycle_end"} <= names


def test_members_who_have_not_completed_an_activity_closing_in_3_days_are_reminded_once(
    cast, s, as_user
):
    today = fa.today()
    a = fa.activity(
        s, "homework", held_on=today, closes_on=today + days(3), title="三天后截止的作业"
    )
    later = fa.activity(
        s, "homework", held_on=today - days(1), closes_on=today + days(4), title="四天后截止的作业"
    )
    services.participation_join(activity=a, user=s.member)
    services.homework_submit(activity=a, user=s.member, text="已经交了")
    reminders_daily()
    assert reminders_of(s.member) == []  # completed
    told = reminders_of(s.member2)
    assert len(told) == 1 and "三天后截止的作业" in told[0] and "还剩 3 天" in told[0]
    assert "参与活动并提交作业" in told[0]
    assert "四天后截止的作业" not in "".join(reminders_of(s.member2) + reminders_of(s.leader))
    assert Notification.objects.get(user=s.member2, kind="reminder").link == a.get_absolute_url()
    assert len(reminders_of(s.leader)) == 1  # the leader is a member who has not done it
    # Twice on the same day: nothing more.
    before = Notification.objects.count()
    reminders_daily()
    reminders_daily(today.isoformat())
    assert Notification.objects.count() == before
    assert Reminder.objects.filter(kind=f"activity:{a.pk}").count() == 2
    assert later.pk  # closing in 4 days: tomorrow's job


def test_an_extended_member_is_reminded_three_days_before_their_own_day(cast, s, as_user):
    today = fa.today()
    a = fa.activity(s, "discussion", held_on=today, closes_on=today + days(3))
    services.extension_grant_activity(
        activity=a, teacher=s.member, until=today + days(8), reason="病假", by=s.leader
    )
    reminders_daily()
    assert reminders_of(s.member) == [] and len(reminders_of(s.member2)) == 1
    reminders_daily((today + days(5)).isoformat())
    told = reminders_of(s.member)
    assert len(told) == 1 and f"{(today + days(8)).month}月{(today + days(8)).day}日截止" in told[0]
    assert len(reminders_of(s.member2)) == 1  # the colleague's day has passed


@pytest.mark.parametrize("before", [14, 7, 3])
def test_teachers_not_complete_hear_14_7_and_3_days_before_the_cycle_ends(cast, before):
    mats = fm.mats_setup(cast)
    fm.complete(cast, cast.teacher2, mats.keys[:3])
    fm.give_hours(cast, cast.teacher, 10)
    day = cast.cycle.ends_on - days(before)
    reminders_daily(day.isoformat())
    told = reminders_of(cast.teacher)
    assert len(told) == 1
    assert f"还剩 {before} 天" in told[0] and "你还缺：学时 10/25、提升计划" in told[0]
    assert reminders_of(cast.teacher2) == []  # complete
    assert not Notification.objects.filter(user=cast.school_admin).exists()  # does not teach
    reminders_daily(day.isoformat())
    assert len(reminders_of(cast.teacher)) == 1


def test_no_cycle_reminder_on_the_other_days(cast):
    fm.mats_setup(cast)
    for before in (15, 8, 5, 2, 0):
        reminders_daily((cast.cycle.ends_on - days(before)).isoformat())
    assert not Notification.objects.filter(kind="reminder").exists()


def test_a_teacher_whose_materials_were_extended_hears_before_their_own_day(cast):
    fm.mats_setup(cast)
    end = cast.cycle.ends_on
    Extension.objects.create(
        scope="materials",
        teacher=cast.teacher,
        school=cast.school,
        cycle=cast.cycle,
        until=end + days(20),
        reason="产假",
        granted_by=cast.school_admin,
    )
    reminders_daily((end - days(7)).isoformat())
    assert reminders_of(cast.teacher) == [] and len(reminders_of(cast.teacher2)) == 1
    reminders_daily((end + days(13)).isoformat())
    told = reminders_of(cast.teacher)
    assert len(told) == 1 and "还剩 7 天" in told[0]


def test_the_command_runs_the_job_for_a_given_day(cast):
    fm.mats_setup(cast)
    day = cast.cycle.ends_on - days(3)
    out = io.StringIO()
    call_command("send_reminders", "--date", day.isoformat(), "--dry-run", stdout=out)
    assert "条提醒到期" in out.getvalue()
    assert not Notification.objects.filter(kind="reminder").exists()
    call_command("send_reminders", "--date", day.isoformat(), stdout=out)
    sent = Notification.objects.filter(kind="reminder").count()
    assert sent >= 2 and f"已发送 {sent} 条提醒" in out.getvalue()
    call_command("send_reminders", "--date", day.isoformat(), stdout=out)
    assert "已发送 0 条提醒" in out.getvalue()


def test_another_app_adds_a_kind_of_reminder_without_touching_the_job(cast):
    """The extension point: register a ReminderSource (what the whole-school
    acceptance's deadline will do); the job sends it, once a day."""

    def due(*, school_id, day):
        return [
            Due(u, "acceptance:1", "整校推进验收材料将于 3 天后截止。", "/")
            for u in SchoolMembership.objects.filter(
                school_id=school_id, is_school_admin=True
            ).values_list("user_id", flat=True)
        ]

    source = ReminderSource("acceptance_test", "验收截止（测试）", due)
    reminder_source_register(source)
    try:
        reminders_daily()
        reminders_daily()
    finally:
        REMINDER_SOURCES.remove(source)
    assert reminders_of(cast.school_admin) == ["整校推进验收材料将于 3 天后截止。"]


# ---- a fixed number of queries per school --------------------------------------------


def _school_with(cast, n: int, prefix: str):
    """A school of n teachers in two groups, each with an activity closing in 3
    days and its cycle ending in 7, every teacher due for both reminders."""
    school = f.school(cast.district, f"{prefix}学校")
    teachers = [f.teacher(school, f"{prefix}{i:03d}") for i in range(n)]
    leader_a, leader_b = teachers[0], teachers[1]
    from groups.models import ResearchGroup

    groups = [
        ResearchGroup.objects.create(school=school, name=f"{prefix}甲组", leader=leader_a),
        ResearchGroup.objects.create(school=school, name=f"{prefix}乙组", leader=leader_b),
    ]
    GroupMember.objects.bulk_create(
        GroupMember(group=groups[i % 2], user=t) for i, t in enumerate(teachers)
    )
    setup = fa.Setup(groups[0], leader_a, teachers[2], teachers[3], [], groups[1], leader_b)
    closing = cast.cycle.ends_on - days(4)
    points = _points(school, cast)
    for group in groups:
        t = fa.topic(setup, group=group, leader=group.leader, points=points)
        for n, kind in enumerate(("discussion", "homework")):
            fa.activity(
                setup,
                kind,
                t=t,
                closes_on=closing,
                opens_on=closing - days(20),
                held_on=closing - days(n),
            )
    return school, teachers


def _points(school, cast):
    from groups.models import AbilityPoint, SchoolTheme

    points = list(AbilityPoint.objects.order_by("pk")[:1])
    theme = SchoolTheme.objects.create(school=school, cycle=cast.cycle, title="主题")
    theme.key_points.set(points)
    return points


def test_the_job_costs_the_same_queries_for_a_school_of_30_and_of_300(cast):
    small, _ = _school_with(cast, 30, "小")
    large, _ = _school_with(cast, 300, "大")
    day = reminder_day(cast.cycle.ends_on - days(7))
    runs = []
    for school in (small, large):
        with CaptureQueriesContext(connection) as queries:
            result = reminders_run_school(school_id=school.pk, day=day)
        runs.append(([q["sql"] for q in queries.captured_queries], result.count))
    (small_sql, small_sent), (large_sql, large_sent) = runs
    # Every teacher is due three reminders: two activities of their group, the cycle.
    assert (small_sent, large_sent) == (30 * 3, 300 * 3)
    # Per school: the activities closing, their groups' members, their
    # participations, their extensions (activity_closing); the materials
    # extensions, the teachers with what they lack (cycle_end); the district's
    # scheme due today (acceptance_deadline: none here); then, in one
    # transaction (a savepoint here), the reminder rows inserted, read back,
    # and the inbox's rows inserted (reminders_send).
    reads = [[q for q in sql if not q.startswith("INSERT")] for sql, _ in runs]
    assert len(reads[0]) == len(reads[1]) == 10, reads
    inserts = [[q for q in sql if q.startswith("INSERT")] for sql, _ in runs]
    if connection.vendor == "postgresql":
        # One multi-row INSERT per table whatever the size: the same count.
        assert len(small_sql) == len(large_sql) == 12
    else:
        # SQLite: Django splits a multi-row INSERT at 999 parameters, so the
        # 900 rows of each table take a few statements (never one per row).
        assert len(inserts[0]) == 2
        assert len(inserts[1]) < 900 / 50
