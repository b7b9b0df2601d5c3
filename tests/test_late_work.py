"""Late work (issue 16 §8): after an activity's closing date a member's join,
post, like, homework and 听课评课表 are refused through the URL, with a
message naming the date, and nothing is stored or credited; likewise after
the cycle ends while the activity's own period would still run. The member
joined while the activity was open; then the clock moves on (time-machine),
as it does for a teacher who comes back too late."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Cycle
from activities.models import ObservationResponse, Participation, Post, Submission
from hours.models import HoursClaim, HoursEntry

from . import factories_activities as fa

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


@pytest.fixture
def open_work(s, as_user):
    """Four activities of one topic, each open from 10 days ago to 10 days
    ahead; the member joined three of them while they were open, and a
    colleague posted a view the member could like."""
    t = fa.topic(s)
    # Held on the last few days (one a day), so that each is open from 10 days
    # ago to 10 days ahead: the same closing date for all.
    days = iter(fa.today() - datetime.timedelta(days=n) for n in range(4))
    acts = {
        k: fa.activity(s, k, t=t, held_on=next(days))
        for k in ("discussion", "homework", "observation")
    }
    acts["unjoined"] = fa.activity(s, "discussion", t=t, held_on=next(days), title="还没参与的研讨")
    member = as_user(s.member)
    for k in ("discussion", "homework", "observation"):
        assert member.post(reverse("activities:join", args=[acts[k].pk])).status_code == 302
    colleague = as_user(s.member2)
    colleague.post(reverse("activities:join", args=[acts["discussion"].pk]))
    colleague.post(
        reverse("activities:post_new", args=[acts["discussion"].pk]),
        fa.once(body="同事先写下的一条研讨观点，内容足够长。"),
    )
    assert Participation.objects.filter(user=s.member).count() == 3
    return member, acts


def noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=SHANGHAI)


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def try_everything(member, acts) -> dict:
    """Every member action, as the pages send them; the messages each got back."""
    post = Post.objects.get(activity=acts["discussion"])
    answers = {
        "join": member.post(reverse("activities:join", args=[acts["unjoined"].pk]), follow=True),
        "post": member.post(
            reverse("activities:post_new", args=[acts["discussion"].pk]),
            fa.once(body="截止以后才写的观点，内容也足够长。"),
            follow=True,
        ),
        "like": member.post(reverse("activities:like", args=[post.pk]), follow=True),
        "homework": member.post(
            reverse("activities:homework_submit", args=[acts["homework"].pk]),
            {"text": "迟交的作业", "files": [fa.upload("设计.pdf", fa.PDF, "application/pdf")]},
            follow=True,
        ),
        "observation": member.post(
            reverse("activities:observation_submit", args=[acts["observation"].pk]),
            fa.answers_for(acts["observation"]),
            follow=True,
        ),
    }
    return {k: messages_of(r) for k, r in answers.items()}


def assert_nothing_stored(s, acts):
    assert not Participation.objects.filter(user=s.member, activity=acts["unjoined"]).exists()
    assert not Post.objects.filter(author=s.member).exists()
    assert Post.objects.get(activity=acts["discussion"]).like_count == 0
    assert not Submission.objects.filter(user=s.member).exists()
    assert not ObservationResponse.objects.filter(user=s.member).exists()
    assert not Participation.objects.filter(user=s.member, completed_at__isnull=False).exists()
    assert not HoursEntry.objects.filter(teacher=s.member).exists()
    assert not HoursClaim.objects.filter(teacher=s.member).exists()


def test_after_the_closing_date_every_member_action_is_refused_naming_it(s, open_work):
    member, acts = open_work
    closes = acts["homework"].closes_on
    assert all(a.closes_on == closes for a in acts.values())
    with time_machine.travel(noon(closes + datetime.timedelta(days=1))):
        said = try_everything(member, acts)
    for action, text in said.items():
        assert f"该活动已于 {closes:%Y-%m-%d} 结束，不能再提交。" in text, action
    assert_nothing_stored(s, acts)


def test_on_the_closing_date_itself_the_work_is_still_taken(s, open_work):
    member, acts = open_work
    with time_machine.travel(noon(acts["homework"].closes_on)):
        said = try_everything(member, acts)
    assert "作业已提交" in said["homework"]
    assert "听课评课表已提交" in said["observation"]
    assert "观点已发表" in said["post"]
    assert "已参与活动" in said["join"]
    assert Post.objects.get(author=s.member2).like_count == 1
    assert Submission.objects.filter(user=s.member).exists()


def test_after_the_cycle_ends_every_member_action_is_refused_naming_its_end(cast, s, open_work):
    """The operator shortened the cycle: it ended yesterday, while the
    activities' own periods would run on for days."""
    member, acts = open_work
    yesterday = fa.today() - datetime.timedelta(days=1)
    Cycle.objects.filter(pk=cast.cycle.pk).update(ends_on=yesterday)
    said = try_everything(member, acts)
    for action, text in said.items():
        assert f"研修周期“{cast.cycle.name}”已于 {yesterday:%Y-%m-%d} 结束" in text, action
    assert_nothing_stored(s, acts)
