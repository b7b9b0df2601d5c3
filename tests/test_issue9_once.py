"""A double tap or a retry stores once (issue 9 §5): every create form carries a
token rendered with the page (activities.forms.OnceForm) and the database keeps
one row per (creator, token). Sequential retries here; the same requests
arriving at the same instant are in test_issue9_once_concurrency.py
(PostgreSQL)."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from activities.models import Activity, Evidence, Post, Topic

from . import factories_activities as fa

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


def _token(response, form: str) -> str:
    token = str(response.context[form].initial["request_token"])
    assert f'value="{token}"' in response.content.decode()
    return token


def test_a_topic_form_sent_twice_makes_one_topic(s, as_user):
    leader = as_user(s.leader)
    url = reverse("activities:topic_new", args=[s.group.pk])
    data = {
        "title": "课堂评价",
        "key_points": [s.points[0].pk],
        "request_token": _token(leader.get(url), "form"),
    }
    first, second = leader.post(url, data), leader.post(url, data)
    assert first.status_code == second.status_code == 302
    assert Topic.objects.filter(group=s.group).count() == 1
    # A new form is a new topic.
    data["request_token"] = _token(leader.get(url), "form")
    leader.post(url, data)
    assert Topic.objects.filter(group=s.group).count() == 2


def test_an_activity_form_sent_twice_makes_one_activity_not_a_clash(s, as_user):
    topic = fa.topic(s)
    leader = as_user(s.leader)
    url = reverse("activities:activity_new", args=[topic.pk])
    day = fa.today() + datetime.timedelta(days=3)
    data = {
        "kind": "discussion",
        "title": "量规研讨",
        "held_on": f"{day:%Y-%m-%d}",
        "opens_on": f"{day:%Y-%m-%d}",
        "closes_on": f"{day:%Y-%m-%d}",
        "request_token": _token(leader.get(url), "form"),
    }
    first, second = leader.post(url, data), leader.post(url, data)
    made = Activity.objects.get(topic=topic)
    # The retry lands on the activity made, instead of "本教研组在 … 已有研修活动".
    assert first.url == second.url == reverse("activities:detail", args=[made.pk])


def test_an_evidence_upload_retried_stores_one_file(cast, s, as_user):
    a = fa.activity(s, "offline", hours=4)
    leader = as_user(s.leader)
    leader.post(reverse("activities:designate", args=[a.pk]), {"users": [s.member.pk]})
    token = _token(leader.get(reverse("activities:detail", args=[a.pk])), "evidence_form")
    for _ in range(2):
        leader.post(
            reverse("activities:evidence_add", args=[a.pk]),
            fa.evidence_data(a, "sign_in", fa.upload("签到表.pdf", fa.PDF), request_token=token),
        )
    assert Evidence.objects.filter(activity=a).count() == 1
    stored = list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))
    assert len(stored) == 1  # the retry's copy was removed from storage


def test_a_post_without_a_token_is_refused(s, as_user):
    """Requests not made by the page (no token) could not be stored once, so they
    are not stored at all (attack report 1 §9; tests/test_attack1_tokens.py)."""
    a = fa.activity(s, "discussion")
    member = as_user(s.member)
    member.post(reverse("activities:join", args=[a.pk]))
    response = member.post(
        reverse("activities:post_new", args=[a.pk]),
        {"body": "没有表单标识的一条观点内容"},
        follow=True,
    )
    assert "页面已过期，请刷新后再提交" in " ".join(str(m) for m in response.context["messages"])
    assert Post.objects.filter(activity=a).count() == 0
