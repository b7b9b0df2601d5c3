"""Topics and activities: 保存 → 发布, the one-activity-per-day rule, the inbox,
and the permission ladder for leader actions."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Notification
from activities.models import Activity, Topic
from groups.models import SchoolSettings

from . import factories_activities as fa

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


def _activity_post(day, **extra):
    data = {
        **fa.once(),
        "kind": "discussion",
        "title": "课堂评价量规怎么用",
        "description": "结合本组课例谈谈。",
        "held_on": day.isoformat(),
        "opens_on": (day - datetime.timedelta(days=1)).isoformat(),
        "closes_on": (day + datetime.timedelta(days=7)).isoformat(),
    }
    data.update(extra)
    return data


def test_leader_creates_publishes_topic_and_activity_and_members_are_notified(cast, s, as_user):
    client = as_user(s.leader)
    response = client.post(
        reverse("activities:topic_new", args=[s.group.pk]),
        {**fa.once(), "title": "评价量规专题", "key_points": [s.points[0].pk, s.points[1].pk]},
    )
    assert response.status_code == 302
    topic = Topic.objects.get(group=s.group)
    assert topic.status == "draft" and topic.key_points.count() == 2
    client.post(reverse("activities:topic_publish", args=[topic.pk]))
    topic.refresh_from_db()
    assert topic.status == "published"

    day = fa.today()
    response = client.post(reverse("activities:activity_new", args=[topic.pk]), _activity_post(day))
    activity = Activity.objects.get(topic=topic)
    assert response.status_code == 302
    assert activity.status == "draft" and activity.hours_value == 2
    assert activity.cycle == cast.cycle
    # Drafts are not shown to members.
    assert (
        as_user(s.member).get(reverse("activities:detail", args=[activity.pk])).status_code == 404
    )

    client.post(reverse("activities:activity_publish", args=[activity.pk]))
    activity.refresh_from_db()
    assert activity.status == "published"
    notified = set(
        Notification.objects.filter(link=activity.get_absolute_url()).values_list("user", flat=True)
    )
    assert notified == {s.leader.pk, s.member.pk, s.member2.pk}
    inbox = as_user(s.member).get(reverse("accounts:inbox"))
    assert "课堂评价量规怎么用" in inbox.content.decode() and "1 条新消息" in inbox.content.decode()
    # Opening the inbox marked what it showed read.
    assert not Notification.objects.filter(user=s.member, read_at__isnull=True).exists()


def test_topic_must_target_a_key_point_of_the_school(s, as_user):
    from groups.models import AbilityPoint

    stranger = AbilityPoint.objects.exclude(pk__in=[p.pk for p in s.points]).first()
    client = as_user(s.leader)
    response = client.post(
        reverse("activities:topic_new", args=[s.group.pk]),
        {**fa.once(), "title": "专题", "key_points": []},
    )
    assert "请至少选择一个关键能力点" in response.content.decode()
    response = client.post(
        reverse("activities:topic_new", args=[s.group.pk]),
        {**fa.once(), "title": "专题", "key_points": [stranger.pk]},
    )
    assert response.status_code == 200  # not among the choices
    assert not Topic.objects.exists()


def test_second_activity_on_one_day_is_refused_naming_the_clash(s, as_user):
    topic = fa.topic(s)
    day = fa.today() + datetime.timedelta(days=3)
    fa.activity(s, "homework", t=topic, held_on=day, title="第一次作业")
    response = as_user(s.leader).post(
        reverse("activities:activity_new", args=[topic.pk]), _activity_post(day)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "同一教研组一天只能安排一个研修活动" in page and "《第一次作业》" in page
    assert Activity.objects.filter(held_on=day).count() == 1


def test_the_school_may_turn_the_one_a_day_rule_off(cast, s, as_user):
    SchoolSettings.objects.create(school=cast.school, one_activity_per_day=False)
    topic = fa.topic(s)
    day = fa.today() + datetime.timedelta(days=3)
    fa.activity(s, "homework", t=topic, held_on=day)
    as_user(s.leader).post(reverse("activities:activity_new", args=[topic.pk]), _activity_post(day))
    assert Activity.objects.filter(held_on=day).count() == 2


def test_moving_an_activity_onto_a_taken_day_is_refused_naming_the_clash(s, as_user):
    topic = fa.topic(s)
    taken = fa.today() + datetime.timedelta(days=3)
    fa.activity(s, "homework", t=topic, held_on=taken, title="第一次作业")
    a = fa.activity(s, "discussion", t=topic, held_on=taken + datetime.timedelta(days=1))
    data = _activity_post(taken)
    del data["kind"]
    response = as_user(s.leader).post(reverse("activities:activity_edit", args=[a.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "同一教研组一天只能安排一个研修活动" in page and "《第一次作业》" in page
    a.refresh_from_db()
    assert a.held_on == taken + datetime.timedelta(days=1)


def test_another_group_may_use_the_same_day(s):
    day = fa.today()
    fa.activity(s, "discussion", held_on=day)
    other_topic = fa.topic(s, group=s.other_group, leader=s.other_leader)
    fa.activity(s, "discussion", t=other_topic, held_on=day)
    assert Activity.objects.filter(held_on=day).count() == 2


def test_offline_hours_above_ten_are_refused(s, as_user):
    topic = fa.topic(s)
    day = fa.today() + datetime.timedelta(days=1)
    response = as_user(s.leader).post(
        reverse("activities:activity_new", args=[topic.pk]),
        _activity_post(day, kind="offline", hours_value=11),
    )
    assert "线下活动学时须在 1 到 10 之间" in response.content.decode()
    assert not Activity.objects.exists()
    as_user(s.leader).post(
        reverse("activities:activity_new", args=[topic.pk]),
        _activity_post(day, kind="offline", hours_value=8),
    )
    assert Activity.objects.get().hours_value == 8


def test_fixed_hours_ignore_what_the_form_says(s, as_user):
    topic = fa.topic(s)
    as_user(s.leader).post(
        reverse("activities:activity_new", args=[topic.pk]),
        _activity_post(fa.today(), kind="homework", hours_value=9),
    )
    assert Activity.objects.get().hours_value == 5


def test_the_database_refuses_hours_that_do_not_match_the_kind(s):
    from django.db import IntegrityError

    a = fa.activity(s, "discussion")
    with pytest.raises(IntegrityError):
        Activity.objects.filter(pk=a.pk).update(hours_value=5)


def test_activity_cannot_publish_under_a_draft_topic(s, as_user):
    topic = fa.topic(s, publish=False)
    a = fa.activity(s, "discussion", t=topic, publish=False)
    as_user(s.leader).post(reverse("activities:activity_publish", args=[a.pk]))
    a.refresh_from_db()
    assert a.status == "draft"


class TestPermissionLadder:
    def test_anonymous_goes_to_login(self, client, s):
        a = fa.activity(s, "discussion")
        response = client.get(reverse("activities:detail", args=[a.pk]))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_outsider_and_other_group_see_nothing(self, cast, s, as_user):
        a = fa.activity(s, "discussion")
        for user in (cast.outsider, s.other_leader):
            assert as_user(user).get(reverse("activities:detail", args=[a.pk])).status_code == 404
            response = as_user(user).post(reverse("activities:activity_publish", args=[a.pk]))
            assert response.status_code == 404

    def test_leader_of_another_group_cannot_add_to_this_group(self, s, as_user):
        client = as_user(s.other_leader)
        response = client.get(reverse("activities:topic_new", args=[s.group.pk]))
        assert response.status_code == 404

    def test_member_may_see_but_not_manage(self, s, as_user):
        a = fa.activity(s, "discussion", publish=False)
        fa.activity(s, "discussion", t=a.topic)
        client = as_user(s.member)
        assert client.get(reverse("activities:group", args=[s.group.pk])).status_code == 403
        published = Activity.objects.filter(status="published").get()
        assert client.get(reverse("activities:detail", args=[published.pk])).status_code == 200
        response = client.post(reverse("activities:activity_close", args=[published.pk]))
        assert response.status_code == 403

    def test_school_admin_sees_published_and_coverage(self, cast, s, as_user):
        a = fa.activity(s, "discussion")
        client = as_user(cast.school_admin)
        assert client.get(reverse("activities:detail", args=[a.pk])).status_code == 200
        assert client.get(reverse("activities:school_coverage")).status_code == 200
