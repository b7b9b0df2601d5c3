"""Once a day per person and kind, held by the database (issue 13): twenty
clicks on 提醒 at the same instant, or twenty runs of the daily job at once
(a retried task, two beat processes by mistake), store one reminder and send
one notice per person — for real on PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiaoben \\
        .venv/bin/pytest -m postgres tests/test_issue13_concurrency.py
"""

import datetime

from django.urls import reverse

from accounts.models import Notification, Reminder
from accounts.reminders import reminder_day, reminders_run_school

from . import factories_activities as fa
from . import factories_assessment as fm
from .concurrency import postgres_only, run_at_once
from .conftest import login

pytestmark = postgres_only("twenty requests cannot overlap there")

N = 20


def test_twenty_simultaneous_reminder_clicks_send_once(cast):
    s = fa.group_setup(cast)
    a = fa.activity(s, "homework")
    url = reverse("activities:activity_remind", args=[a.pk])
    data = {"message": "{姓名}老师，请提交作业。", "everyone": "1"}
    codes = run_at_once(*[lambda: login(s.leader).post(url, data).status_code] * N)
    assert set(codes) == {302}
    for member in (s.member, s.member2):
        assert Reminder.objects.filter(user=member, kind=f"activity:{a.pk}").count() == 1
        assert Notification.objects.filter(user=member, kind="reminder").count() == 1


def test_twenty_simultaneous_school_reminders_send_once(cast):
    mats = fm.mats_setup(cast)
    url = reverse("assessment:lacking_remind")
    data = {"reason": "plan", "message": "请上传提升计划。", "everyone": "1"}
    run_at_once(*[lambda: login(cast.school_admin).post(url, data).status_code] * N)
    people = [cast.teacher, cast.teacher2, mats.leader, mats.maths_teacher]
    for person in people:
        assert Notification.objects.filter(user=person, kind="reminder").count() == 1
    assert Reminder.objects.count() == Notification.objects.filter(kind="reminder").count()


def test_twenty_simultaneous_runs_of_the_daily_job_send_once(cast):
    s = fa.group_setup(cast)
    fa.activity(
        s, "discussion", held_on=fa.today(), closes_on=fa.today() + datetime.timedelta(days=3)
    )
    day = reminder_day()
    sent = run_at_once(*[lambda: reminders_run_school(school_id=cast.school.pk, day=day).count] * N)
    assert sum(sent) == 3  # leader, member, member2: each once, by one of the runs
    for person in (s.leader, s.member, s.member2):
        assert Notification.objects.filter(user=person, kind="reminder").count() == 1
