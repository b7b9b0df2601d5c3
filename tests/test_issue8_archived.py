"""An archived group is read-only (issue 8 §6): its leader gets 403 on every
manage action, its members can no longer act, and every service refuses with
a clear message, so no hours are credited through it any more."""

import pytest
from django.urls import reverse

from activities import services
from activities.models import Activity, Evidence, Participation, Post, Topic
from groups.models import GroupMember
from groups.services import group_archive, group_plan_save
from hours.models import HoursEntry

from . import factories_activities as fa

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast, as_user):
    s = fa.group_setup(cast)
    topic = fa.topic(s)
    talk = fa.activity(s, "discussion", t=topic)
    homework = fa.activity(s, "homework", t=topic)
    offline = fa.activity(s, "offline", t=topic, hours=10)
    draft = fa.activity(s, "discussion", t=topic, publish=False)
    as_user(s.member).post(reverse("activities:join", args=[talk.pk]))
    as_user(s.member).post(
        reverse("activities:post_new", args=[talk.pk]),
        {**fa.once(), "body": "归档前写下的一条研讨观点"},
    )
    as_user(s.leader).post(
        reverse("activities:designate", args=[offline.pk]), {"users": [s.member2.pk]}
    )
    # A second, live group keeps the leader's role: the 403 comes from the archive.
    s.other_group.leader = s.leader
    s.other_group.save(update_fields=["leader"])
    GroupMember.objects.get_or_create(group=s.other_group, user=s.leader)
    as_user(cast.school_admin).post(reverse("groups:archive", args=[s.group.pk]))
    s.group.refresh_from_db()
    assert s.group.archived_at is not None
    return s, topic, talk, homework, offline, draft


def test_the_leader_gets_403_on_every_manage_action(cast, as_user, world):
    s, topic, talk, homework, offline, draft = world
    leader = as_user(s.leader)
    forbidden = [
        ("get", reverse("activities:topic_new", args=[s.group.pk])),
        ("post", reverse("activities:topic_new", args=[s.group.pk])),
        ("get", reverse("activities:topic_edit", args=[topic.pk])),
        ("post", reverse("activities:topic_publish", args=[topic.pk])),
        ("post", reverse("activities:topic_delete", args=[topic.pk])),
        ("get", reverse("activities:activity_new", args=[topic.pk])),
        ("post", reverse("activities:activity_new", args=[topic.pk])),
        ("get", reverse("activities:activity_edit", args=[talk.pk])),
        ("post", reverse("activities:activity_publish", args=[draft.pk])),
        ("post", reverse("activities:activity_close", args=[talk.pk])),
        ("post", reverse("activities:activity_delete", args=[draft.pk])),
        ("post", reverse("activities:designate", args=[offline.pk])),
        ("post", reverse("activities:undesignate", args=[offline.pk, s.member2.pk])),
        ("post", reverse("activities:evidence_add", args=[offline.pk])),
        ("post", reverse("groups:member_add", args=[s.group.pk])),
        ("get", reverse("groups:group_plan", args=[s.group.pk])),
        ("post", reverse("groups:member_remove", args=[s.group.pk, 1])),
    ]
    for method, url in forbidden:
        response = getattr(leader, method)(url)
        assert response.status_code == 403, url
    # Reading stays possible.
    assert leader.get(reverse("activities:group", args=[s.group.pk])).status_code == 200
    assert leader.get(reverse("activities:detail", args=[talk.pk])).status_code == 200
    page = leader.get(reverse("activities:detail", args=[talk.pk])).content.decode()
    assert "已归档" in page
    assert leader.get(reverse("groups:detail", args=[s.group.pk])).status_code == 200
    assert Participation.objects.filter(activity=offline).count() == 1
    assert Topic.objects.count() == 1 and Activity.objects.count() == 4
    assert not Evidence.objects.exists()


def test_members_can_no_longer_act(cast, as_user, world):
    s, topic, talk, homework, offline, draft = world
    member = as_user(s.member2)
    post = Post.objects.get()
    for url, data in (
        (reverse("activities:join", args=[homework.pk]), {}),
        (
            reverse("activities:post_new", args=[talk.pk]),
            {**fa.once(), "body": "归档后还想写的一条观点"},
        ),
        (reverse("activities:homework_submit", args=[homework.pk]), {"text": "作业"}),
        (reverse("activities:like", args=[post.pk]), {}),
    ):
        assert member.post(url, data).status_code == 403, url
    assert not HoursEntry.objects.filter(teacher=s.member2).exists()


def test_every_service_refuses_with_a_message(cast, world):
    s, topic, talk, homework, offline, draft = world
    credits_before = HoursEntry.objects.count()  # the post made before archiving
    archived = "已归档"
    calls = [
        lambda: services.topic_create(
            group=s.group, by=s.leader, title="新专题", key_points=s.points
        ),
        lambda: services.topic_publish(topic=topic, by=s.leader),
        lambda: services.activity_publish(activity=draft, by=s.leader),
        lambda: services.activity_close(activity=talk, by=s.leader),
        lambda: services.participants_designate(activity=offline, by=s.leader, users=[s.member]),
        lambda: services.evidence_add(
            activity=offline,
            by=s.leader,
            kind="photo",
            upload=fa.upload("a.png", fa.PNG),
            confirmed=1,
        ),
        lambda: services.participation_join(activity=homework, user=s.member2),
        lambda: services.homework_submit(activity=homework, user=s.member, text="作业"),
        lambda: services.activity_update(
            activity=talk,
            by=s.leader,
            title="改名",
            held_on=talk.held_on,
            opens_on=talk.opens_on,
            closes_on=talk.closes_on,
        ),
    ]
    for call in calls:
        with pytest.raises(services.ActivityError, match=archived):
            call()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=archived):
        group_plan_save(group=s.group, plan="归档后的计划", by=s.leader)
    with pytest.raises(ValidationError, match="已归档"):
        group_archive(group=s.group, by=cast.school_admin)
    assert HoursEntry.objects.count() == credits_before
