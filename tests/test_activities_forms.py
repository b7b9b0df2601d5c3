"""Forms that ask no more than they need: the activity form shows each type only
its own fields (学时 only for 线下活动, 作业类型 only for 研修作业), and the server
ignores the others when JavaScript is off; once someone has completed an
activity the form says so before submit and its hours can no longer change; a
topic is created and published in one step."""

import datetime
import re

import pytest
from django.urls import reverse

from activities import services
from activities.models import Activity, Participation, Topic

from . import factories_activities as fa

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


def post_data(day, **extra):
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


def field_tag(body: str, name: str) -> str:
    found = re.search(rf"<(input|select)[^>]*name=\"{name}\"[^>]*>", body)
    return found.group(0) if found else ""


# ---- each type only its own fields ------------------------------------------------


def test_the_new_activity_form_marks_which_type_each_extra_field_belongs_to(s, as_user):
    topic = fa.topic(s)
    body = as_user(s.leader).get(reverse("activities:activity_new", args=[topic.pk])).content
    body = body.decode()
    assert 'data-kinds="offline"' in field_tag(body, "hours_value")
    assert 'data-kinds="homework"' in field_tag(body, "task_kind")
    assert "data-kind-form" in body
    # The script that hides the others is a static file; no inline script.
    assert "/static/js/activity-form.js" in body
    assert not re.search(r"<script(?![^>]*(src=|application/json))", body)


def test_without_javascript_the_fields_of_other_types_are_ignored(s, as_user):
    """A 教学研讨 posted with whatever the hidden fields held (here nonsense)."""
    topic = fa.topic(s)
    response = as_user(s.leader).post(
        reverse("activities:activity_new", args=[topic.pk]),
        post_data(fa.today(), kind="discussion", hours_value="三", task_kind="reflection"),
    )
    assert response.status_code == 302
    activity = Activity.objects.get(topic=topic)
    assert activity.hours_value == 2 and activity.task_kind == ""


def test_a_homework_keeps_its_type_and_ignores_hours(s, as_user):
    topic = fa.topic(s)
    as_user(s.leader).post(
        reverse("activities:activity_new", args=[topic.pk]),
        post_data(fa.today(), kind="homework", hours_value="abc", task_kind="reflection"),
    )
    activity = Activity.objects.get(topic=topic)
    assert activity.hours_value == 5 and activity.task_kind == "reflection"


def test_an_offline_activity_still_needs_hours_from_one_to_ten(s, as_user):
    topic = fa.topic(s)
    url = reverse("activities:activity_new", args=[topic.pk])
    response = as_user(s.leader).post(url, post_data(fa.today(), kind="offline", hours_value=11))
    assert "线下活动学时须在 1 到 10 之间" in response.content.decode()
    assert not Activity.objects.exists()


def test_editing_shows_only_the_fields_of_the_activitys_type(s, as_user):
    client = as_user(s.leader)
    for kind, shown, hidden in [
        ("discussion", [], ["hours_value", "task_kind"]),
        ("homework", ["task_kind"], ["hours_value"]),
        ("offline", ["hours_value"], ["task_kind"]),
    ]:
        a = fa.activity(s, kind, hours=3 if kind == "offline" else None, publish=False)
        body = client.get(reverse("activities:activity_edit", args=[a.pk])).content.decode()
        assert all(field_tag(body, name) for name in shown), kind
        assert not any(field_tag(body, name) for name in hidden), kind
        assert not field_tag(body, "kind")


# ---- hours that can no longer change are said before submit ------------------------


@pytest.fixture
def completed_offline(s):
    """A 线下活动 of 3 hours whose evidence credited the designated member."""
    a = fa.activity(s, "offline", hours=3, held_on=fa.today() - datetime.timedelta(days=1))
    services.participants_designate(activity=a, by=s.leader, users=[s.member])
    services.evidence_add(
        activity=a,
        by=s.leader,
        kind="sign_in",
        upload=fa.upload("签到表.pdf", fa.PDF),
        confirmed=1,  # the leader saw "1 名组员计入 3 学时" and ticked it
    )
    assert Participation.objects.get(activity=a, user=s.member).completed_at
    return a


def test_the_edit_form_says_before_submit_that_hours_can_no_longer_change(
    s, as_user, completed_offline
):
    url = reverse("activities:activity_edit", args=[completed_offline.pk])
    body = as_user(s.leader).get(url).content.decode()
    assert "已有教师完成此活动" in body
    hours = field_tag(body, "hours_value")
    assert "disabled" in hours and 'value="3"' in hours


def test_the_rest_of_a_completed_activity_can_still_be_edited(s, as_user, completed_offline):
    a = completed_offline
    response = as_user(s.leader).post(
        reverse("activities:activity_edit", args=[a.pk]),
        post_data(a.held_on, title="集体备课（改）", hours_value=9),
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.title == "集体备课（改）" and a.hours_value == 3


def test_an_activity_nobody_completed_keeps_its_hours_editable(s, as_user):
    a = fa.activity(s, "offline", hours=3)
    body = as_user(s.leader).get(reverse("activities:activity_edit", args=[a.pk])).content
    body = body.decode()
    assert "已有教师完成此活动" not in body
    assert "disabled" not in field_tag(body, "hours_value")


# ---- a topic created and published in one step ---------------------------------------


def test_a_leader_creates_and_publishes_a_topic_in_one_step(s, as_user):
    client = as_user(s.leader)
    form = client.get(reverse("activities:topic_new", args=[s.group.pk])).content.decode()
    publish_url = reverse("activities:topic_new_publish", args=[s.group.pk])
    assert f'formaction="{publish_url}"' in form and "保存并发布" in form and "保存为草稿" in form
    response = client.post(
        publish_url, fa.once(title="评价量规专题", key_points=[s.points[0].pk]), follow=True
    )
    topic = Topic.objects.get(group=s.group)
    assert topic.status == "published" and topic.published_at
    page = response.content.decode()
    assert "已发布，现在可以在其下添加活动" in page
    # 添加活动 is right there.
    assert reverse("activities:activity_new", args=[topic.pk]) in page


def test_drafts_are_still_possible(s, as_user):
    as_user(s.leader).post(
        reverse("activities:topic_new", args=[s.group.pk]),
        {**fa.once(), "title": "草稿专题", "key_points": [s.points[0].pk]},
    )
    assert Topic.objects.get(group=s.group).status == "draft"


def test_a_refused_topic_is_not_published_and_keeps_what_was_typed(s, as_user):
    response = as_user(s.leader).post(
        reverse("activities:topic_new_publish", args=[s.group.pk]),
        {**fa.once(), "title": "没有能力点"},
    )
    assert response.status_code == 200
    assert "请至少选择一个关键能力点" in response.content.decode()
    assert 'value="没有能力点"' in response.content.decode()
    assert not Topic.objects.exists()


def test_only_the_groups_leader_may_publish_a_topic_in_one_step(cast, s, as_user, client):
    url = reverse("activities:topic_new_publish", args=[s.group.pk])
    data = {"title": "越权专题", "key_points": [s.points[0].pk]}
    assert client.post(url, data).status_code == 302  # anonymous: to the login page
    assert as_user(s.other_leader).post(url, data).status_code == 404
    assert as_user(cast.outsider).post(url, data).status_code == 404
    assert as_user(s.member).post(url, data).status_code == 403  # a member, not the leader
    assert as_user(s.leader).get(url).status_code == 405
    assert not Topic.objects.exists()
