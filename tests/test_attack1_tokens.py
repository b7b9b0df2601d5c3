"""Outside attack report 1 §9: the double-submit token is required on every
create that has one. A request without it (not sent from our pages, whose forms
always carry it) stores nothing and answers "页面已过期，请刷新后再提交"; the
pages' own forms, token included, still store once (tests/test_issue9_once*.py;
twenty at once on PostgreSQL in tests/test_attack1_concurrency.py)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from activities import services
from activities.models import Activity, Evidence, Post, Topic, VideoComment

from . import factories_activities as fa

pytestmark = pytest.mark.django_db

STALE = "页面已过期，请刷新后再提交"


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


def _said(response) -> str:
    if response.context and "messages" in response.context:
        return " ".join(str(m) for m in response.context["messages"]) + response.content.decode()
    return response.content.decode()


def _without_and_with_token(client, url, data, *, page, form):
    """POST without the token (refused), then as the page sends it (stored)."""
    refused = client.post(url, data, follow=True)
    assert STALE in _said(refused)
    token = str(client.get(page).context[form].initial["request_token"])
    return client.post(url, {**data, "request_token": token}, follow=True)


def test_a_post_without_its_token_is_not_stored(s, as_user):
    a = fa.activity(s, "discussion")
    member = as_user(s.member)
    member.post(reverse("activities:join", args=[a.pk]))
    page = reverse("activities:detail", args=[a.pk])
    done = _without_and_with_token(
        member,
        reverse("activities:post_new", args=[a.pk]),
        {"body": "没有令牌的观点内容，不应保存"},
        page=page,
        form="post_form",
    )
    assert "观点已发表" in _said(done)
    assert Post.objects.filter(activity=a).count() == 1


def test_topics_and_activities_without_their_token_are_not_stored(s, as_user):
    leader = as_user(s.leader)
    new_topic = reverse("activities:topic_new", args=[s.group.pk])
    for url in (new_topic, reverse("activities:topic_new_publish", args=[s.group.pk])):
        response = leader.post(url, {"title": "无令牌专题", "key_points": [s.points[0].pk]})
        assert STALE in response.content.decode()
    assert not Topic.objects.filter(title="无令牌专题").exists()
    _without_and_with_token(
        leader,
        new_topic,
        {"title": "有令牌专题", "key_points": [s.points[0].pk]},
        page=new_topic,
        form="form",
    )
    assert Topic.objects.filter(title="有令牌专题").count() == 1

    topic = fa.topic(s)
    url = reverse("activities:activity_new", args=[topic.pk])
    day = f"{timezone.localdate():%Y-%m-%d}"
    data = {"kind": "homework", "title": "无令牌活动", "held_on": day, "opens_on": day}
    data["closes_on"] = day
    _without_and_with_token(leader, url, data, page=url, form="form")
    assert Activity.objects.filter(title="无令牌活动").count() == 1


def test_evidence_and_moment_comments_without_their_token_are_not_stored(s, as_user):
    a = fa.activity(s, "offline", hours=2)
    leader = as_user(s.leader)
    response = leader.post(
        reverse("activities:evidence_add", args=[a.pk]),
        {"kind": "photo", "file": fa.upload("现场.png", fa.PNG)},  # as the tester sent it
        follow=True,
    )
    assert STALE in _said(response)
    assert not Evidence.objects.exists()

    watch = fa.activity(s, "observation")
    member = as_user(s.member)
    member.post(reverse("activities:join", args=[watch.pk]))
    member.post(reverse("activities:enter", args=[watch.pk]))
    response = member.post(
        reverse("activities:video_comment_add", args=[watch.pk]),
        {"at": "01:30", "body": "没有令牌的评论"},
        follow=True,
    )
    assert STALE in _said(response)
    assert not VideoComment.objects.exists()


def test_the_check_in_sheet_as_evidence_needs_its_token(s, as_user):
    a = fa.activity(s, "offline", hours=2, held_on=timezone.localdate())
    services.participants_designate(activity=a, by=s.leader, users=[s.member])
    services.checkin_open(activity=a, by=s.leader)
    services.checkin_close(activity=a, by=s.leader)
    response = as_user(s.leader).post(
        reverse("activities:checkin_evidence", args=[a.pk]), {"confirm_credit": 1}, follow=True
    )
    assert STALE in _said(response)
    assert not Evidence.objects.exists()
