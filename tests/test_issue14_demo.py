"""Issue 14 in the demo: an offline activity today with 扫码签到 open and some
members checked in; a lesson video with comments pinned to its moments; a 两案
with two deliberate inconsistencies, so the count shows on the home pages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, CheckIn, VideoComment

from .conftest import login
from .test_issue9_demo import load

pytestmark = pytest.mark.django_db


def test_the_demo_shows_check_in_moments_and_consistency():
    ctx = load()
    leader = ctx.users["leader"]
    today = Activity.objects.get(kind="offline", held_on=timezone.localdate())
    assert today.checkin_sheet.closed_at is None
    assert CheckIn.objects.filter(activity=today).count() == 3
    screen = login(leader).get(reverse("activities:checkin_screen", args=[today.pk]))
    assert screen.status_code == 200 and "<svg" in screen.content.decode()
    # The demo teacher has not scanned yet: they can try it.
    assert not CheckIn.objects.filter(user=ctx.users["teacher"]).exists()

    lesson = Activity.objects.get(kind="observation")
    assert lesson.video and VideoComment.objects.filter(activity=lesson).count() == 5
    page = login(leader).get(reverse("activities:detail", args=[lesson.pk])).content.decode()
    assert 'data-second="72"' in page and "在此处评论" not in page  # the leader is no member here

    report = (
        login(ctx.users["school_admin"]).get(reverse("activities:consistency")).context["report"]
    )
    kinds = [x.kind for x in report.school.findings] + [
        x.kind for g in report.groups for x in g.findings
    ]
    assert sorted(kinds) == ["month_unreadable", "plan_point_without_topic"]
    for person in ("school_admin", "info_team"):
        home = login(ctx.users[person]).get(reverse("home")).content.decode()
        assert "2 处不一致" in home
