"""Issue 14 under twenty requests at the same instant, for real on PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiaoben \\
        .venv/bin/pytest -m postgres tests/test_issue14_concurrency.py

A phone that re-opens the scanned link twenty times stores one check-in; twenty
leaders' taps on "add the 签到表 as evidence" store one file and credit once; a
comment re-sent twenty times is stored once."""

from django.urls import reverse
from django.utils import timezone

from activities import services
from activities.checkin_codes import checkin_token
from activities.models import CheckIn, Evidence, VideoComment
from hours.models import HoursEntry

from . import factories_activities as fa
from .concurrency import postgres_only, run_at_once
from .conftest import login

pytestmark = postgres_only("twenty requests cannot overlap there")

N = 20


def _offline_open(s):
    a = fa.activity(s, "offline", held_on=timezone.localdate(), hours=4)
    services.participants_designate(activity=a, by=s.leader, users=[s.member, s.member2])
    services.checkin_open(activity=a, by=s.leader)
    return a


def test_twenty_scans_at_once_store_one_check_in(cast):
    s = fa.group_setup(cast)
    a = _offline_open(s)
    url = reverse("activities:checkin_scan", args=[checkin_token(activity_id=a.pk)])
    pages = run_at_once(*[lambda: login(s.member).get(url)] * N)
    assert {p.status_code for p in pages} == {200}
    assert sum("签到成功" in p.content.decode() for p in pages) == 1
    assert sum("无需重复签到" in p.content.decode() for p in pages) == N - 1
    assert CheckIn.objects.filter(activity=a, user=s.member).count() == 1


def test_twenty_taps_on_the_sheet_as_evidence_store_one_and_credit_once(cast):
    s = fa.group_setup(cast)
    a = _offline_open(s)
    services.checkin_scan(activity=a, user=s.member)
    services.checkin_close(activity=a, by=s.leader)
    leader = login(s.leader)
    form = leader.get(reverse("activities:checkin_sheet", args=[a.pk])).context["evidence_form"]
    data = {"request_token": str(form.initial["request_token"]), "confirm_credit": 2}
    url = reverse("activities:checkin_evidence", args=[a.pk])
    codes = run_at_once(*[lambda: login(s.leader).post(url, data).status_code] * N)
    assert set(codes) == {302}
    assert Evidence.objects.filter(activity=a).count() == 1
    credits = HoursEntry.objects.filter(object_id=a.pk, kind="credit")
    assert sorted(e.teacher_id for e in credits) == sorted([s.member.pk, s.member2.pk])


def test_twenty_identical_comments_store_one(cast):
    s = fa.group_setup(cast)
    a = fa.activity(s, "observation")
    client = login(s.member)
    client.post(reverse("activities:join", args=[a.pk]))
    client.post(reverse("activities:enter", args=[a.pk]))
    token = client.get(reverse("activities:detail", args=[a.pk])).context["comment_form"]
    data = {
        "at": "03:20",
        "body": "这里的提问很好",
        "request_token": str(token.initial["request_token"]),
    }
    url = reverse("activities:video_comment_add", args=[a.pk])
    codes = run_at_once(*[lambda: login(s.member).post(url, data).status_code] * N)
    assert set(codes) == {302}
    assert VideoComment.objects.filter(activity=a).count() == 1
    assert VideoComment.objects.get(activity=a).second == 200
