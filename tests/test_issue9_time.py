"""Time (DESIGN §2, issue 9 §2 and §4, issue 8 §12): an activity's open period
lies inside its cycle; after the cycle ends nothing is submitted or credited,
and each refusal names the day; a refusal after the leader ended an activity
early names the day it really ended. The cycle's end shows where teachers and
leaders plan their work."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Cycle
from activities import services
from activities.models import Activity, ObservationResponse, Participation, Post, Submission
from hours.models import HoursEntry

from . import factories_activities as fa

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


def _end_cycle_yesterday(cast) -> str:
    """The cycle ended yesterday while the activities' own periods run on."""
    yesterday = fa.today() - datetime.timedelta(days=1)
    Cycle.objects.filter(pk=cast.cycle.pk).update(ends_on=yesterday)
    return f"{yesterday:%Y-%m-%d}"


def _texts(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_homework_after_the_cycle_ended_is_refused_naming_the_end(cast, s, as_user):
    a = fa.activity(s, "homework")  # open from 10 days ago to 10 days ahead
    member = as_user(s.member)
    member.post(reverse("activities:join", args=[a.pk]))
    end = _end_cycle_yesterday(cast)
    response = member.post(
        reverse("activities:homework_submit", args=[a.pk]),
        {"text": "迟交的作业", "files": [fa.upload("设计.pdf", fa.PDF, "application/pdf")]},
        follow=True,
    )
    assert f"研修周期“2026 学年”已于 {end} 结束" in _texts(response)
    assert not Submission.objects.filter(activity=a).exists()
    assert not HoursEntry.objects.filter(teacher=s.member).exists()
    # The page says so too, instead of offering the form.
    page = member.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert 'id="homework-form"' not in page


def test_every_member_action_closes_with_the_cycle(cast, s, as_user):
    talk = fa.activity(s, "discussion")
    observe = fa.activity(s, "observation")
    other_post_by = as_user(s.member2)
    other_post_by.post(reverse("activities:join", args=[talk.pk]))
    other_post_by.post(
        reverse("activities:post_new", args=[talk.pk]),
        {**fa.once(), "body": "同事先写下的一条研讨观点内容"},
    )
    member = as_user(s.member)
    member.post(reverse("activities:join", args=[observe.pk]))
    end = _end_cycle_yesterday(cast)
    refusal = f"已于 {end} 结束"
    # 参与活动
    response = member.post(reverse("activities:join", args=[talk.pk]), follow=True)
    assert refusal in _texts(response)
    assert not Participation.objects.filter(activity=talk, user=s.member).exists()
    # 发表观点 (joined before the end)
    Participation.objects.create(activity=talk, user=s.member)
    response = member.post(
        reverse("activities:post_new", args=[talk.pk]),
        {**fa.once(), "body": "周期结束后写的观点内容"},
        follow=True,
    )
    assert refusal in _texts(response)
    assert not Post.objects.filter(author=s.member).exists()
    # 点赞
    post = Post.objects.get(author=s.member2)
    response = member.post(reverse("activities:like", args=[post.pk]), follow=True)
    assert refusal in _texts(response)
    post.refresh_from_db()
    assert post.like_count == 0
    # 听课评课表
    response = member.post(
        reverse("activities:observation_submit", args=[observe.pk]),
        fa.answers_for(observe),
        follow=True,
    )
    assert refusal in _texts(response)
    assert not ObservationResponse.objects.exists()
    assert not HoursEntry.objects.filter(teacher=s.member).exists()


def test_leader_crediting_actions_close_with_the_cycle(cast, s, as_user):
    a = fa.activity(s, "offline", hours=8)
    leader = as_user(s.leader)
    leader.post(reverse("activities:designate", args=[a.pk]), {"users": [s.member.pk]})
    end = _end_cycle_yesterday(cast)
    response = leader.post(
        reverse("activities:evidence_add", args=[a.pk]),
        fa.evidence_data(a, "sign_in", fa.upload("签到表.pdf", fa.PDF)),
        follow=True,
    )
    assert f"已于 {end} 结束" in _texts(response)
    assert not a.evidence.exists()
    response = leader.post(
        reverse("activities:designate", args=[a.pk]), {"users": [s.member2.pk]}, follow=True
    )
    assert f"已于 {end} 结束" in _texts(response)
    assert not Participation.objects.filter(activity=a, user=s.member2).exists()
    assert not HoursEntry.objects.exists()


def _activity_form(**dates):
    data = fa.once(kind="discussion", title="周期外的活动")
    data.update({k: f"{v:%Y-%m-%d}" for k, v in dates.items()})
    return data


def test_an_activity_must_lie_inside_its_cycle_at_creation(cast, s, as_user):
    topic = fa.topic(s)
    leader = as_user(s.leader)
    url = reverse("activities:activity_new", args=[topic.pk])
    c = cast.cycle
    naming = f"研修周期“{c.name}”（{c.starts_on:%Y-%m-%d} 至 {c.ends_on:%Y-%m-%d}）之内"
    before = c.starts_on - datetime.timedelta(days=3)  # issue 8 §12: dated before its cycle
    after = c.ends_on + datetime.timedelta(days=3)
    for dates in (
        {"held_on": before, "opens_on": before, "closes_on": c.starts_on},
        {"held_on": c.ends_on, "opens_on": c.ends_on, "closes_on": after},
    ):
        response = leader.post(url, _activity_form(**dates))
        assert response.status_code == 200
        assert naming in response.content.decode()
    assert not Activity.objects.filter(topic=topic).exists()
    inside = fa.today()
    response = leader.post(url, _activity_form(held_on=inside, opens_on=inside, closes_on=inside))
    assert response.status_code == 302
    assert Activity.objects.get(topic=topic).cycle == c


def test_an_activity_must_stay_inside_its_cycle_when_edited(cast, s, as_user):
    a = fa.activity(s, "discussion", publish=False)
    after = cast.cycle.ends_on + datetime.timedelta(days=1)
    response = as_user(s.leader).post(
        reverse("activities:activity_edit", args=[a.pk]),
        {
            "title": a.title,
            "held_on": f"{a.held_on:%Y-%m-%d}",
            "opens_on": f"{a.opens_on:%Y-%m-%d}",
            "closes_on": f"{after:%Y-%m-%d}",
        },
    )
    assert f"{cast.cycle.ends_on:%Y-%m-%d}）之内" in response.content.decode()
    a.refresh_from_db()
    assert a.closes_on != after


def test_ending_early_names_the_day_it_really_ended(cast, s, as_user):
    a = fa.activity(s, "homework")  # planned to close 10 days from now
    member = as_user(s.member)
    member.post(reverse("activities:join", args=[a.pk]))
    as_user(s.leader).post(reverse("activities:activity_close", args=[a.pk]))
    a.refresh_from_db()
    assert a.closed_at is not None
    response = member.post(
        reverse("activities:homework_submit", args=[a.pk]), {"text": "作业"}, follow=True
    )
    text = _texts(response)
    assert f"该活动已于 {fa.today():%Y-%m-%d} 结束" in text
    assert f"{a.closes_on:%Y-%m-%d}" not in text
    page = member.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert f"{a.closes_on:%Y-%m-%d} 结束" not in page.split('id="refusal"')[-1][:200]


def test_the_cycles_end_shows_on_home_and_activity_pages(cast, s, as_user):
    a = fa.activity(s, "discussion")
    end = f"{cast.cycle.ends_on:%Y-%m-%d}"
    for user, role in ((s.member, "teacher"), (s.leader, "leader")):
        client = as_user(user)
        client.post(reverse("accounts:role_switch"), {"role": f"{role}:{cast.school.pk}"})
        home = client.get(reverse("home")).content.decode()
        assert 'id="cycle-end"' in home and end in home, role
        detail = client.get(reverse("activities:detail", args=[a.pk])).content.decode()
        assert f"于 {end} 结束，之后不能再提交或计入学时" in detail


def test_the_window_is_one_rule_for_the_page_and_the_service(cast, s, as_user):
    """What the page offers and what the service accepts come from activities.window."""
    a = fa.activity(s, "discussion")
    _end_cycle_yesterday(cast)
    a.refresh_from_db()
    page = as_user(s.member).get(reverse("activities:detail", args=[a.pk]))
    assert page.context["is_open"] is False
    with pytest.raises(services.ActivityError, match="已于"):
        services.participation_join(activity=a, user=s.member)
