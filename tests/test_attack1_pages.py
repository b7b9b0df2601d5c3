"""Outside attack report 1, what pages say: §10 a stale form answers in the
site's own layout, in Chinese, with a way back; §14 the activity form states
the one-activity-a-day rule only when the school keeps it."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from groups.models import SchoolSettings

from . import factories_activities as fa

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"  # tests/factories.person


def _token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())[1]


def _log_in(client: Client, user) -> None:
    page = client.get(reverse("accounts:login"))
    response = client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": _token(page)},
    )
    assert response.status_code == 302


# ---- §10: a stale form --------------------------------------------------------------


def test_a_form_sent_after_logging_out_and_in_again_gets_a_chinese_page_with_a_way_back(cast):
    s = fa.group_setup(cast)
    leader = Client(enforce_csrf_checks=True)
    _log_in(leader, s.leader)
    form_url = reverse("activities:topic_new", args=[s.group.pk])
    stale = _token(leader.get(form_url))
    # Logged out and in again (another tab, the next morning): the token changed.
    leader.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": _token(leader.get("/"))})
    _log_in(leader, s.leader)

    response = leader.post(
        form_url,
        {
            "title": "过期页面提交的专题",
            "key_points": [s.points[0].pk],
            "csrfmiddlewaretoken": stale,
        },
        HTTP_REFERER=f"http://testserver{form_url}",
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert "页面已过期（可能您已重新登录或打开太久），请返回刷新后再提交。" in body
    assert "校本研修平台" in body and 'class="navbar' in body  # the site's layout
    assert f'href="http://testserver{form_url}"' in body and 'href="/"' in body
    assert "CSRF验证失败" not in body and "Forbidden" not in body  # Django's bare page
    assert not s.group.topics.exists()


def test_a_stale_form_links_back_only_to_this_site(cast):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:login"),
        {"username": "x", "password": "y"},
        HTTP_REFERER="https://evil.example/phish",
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert "页面已过期" in body
    assert "evil.example" not in body


# ---- §14: the rule the activity form states ---------------------------------------


def test_the_activity_form_states_the_one_a_day_rule_only_while_the_school_keeps_it(cast, as_user):
    s = fa.group_setup(cast)
    a = fa.activity(s, "offline", hours=2)
    leader = as_user(s.leader)
    pages = [
        reverse("activities:activity_edit", args=[a.pk]),
        reverse("activities:activity_new", args=[a.topic_id]),
    ]
    for url in pages:
        assert "同一教研组一天只能安排一个研修活动" in leader.get(url).content.decode()

    SchoolSettings.objects.create(school=cast.school, one_activity_per_day=False)
    for url in pages:
        body = leader.get(url).content.decode()
        assert "同一教研组一天只能安排一个研修活动" not in body
        assert "本校允许同一教研组一天安排多个研修活动" in body
