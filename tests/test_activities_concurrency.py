"""The one-activity-per-day rule and credit-once under concurrent requests, for real on PostgreSQL.

Run with:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiaoben \
        .venv/bin/pytest -m postgres tests/test_activities_concurrency.py

Two requests for the same group and day (two tabs, two people with the
leader's login, a double click) are released together at a barrier, each in
its own thread with its own connection, through the real URLs. Without the
group-row lock in activities.services.topics both pass the clash check and
both activities exist. SQLite serialises writers and ignores
SELECT ... FOR UPDATE, so these tests are skipped there.
"""

import datetime

from django.urls import reverse

from accounts.models import Notification
from activities import services
from activities.models import Activity, Participation, Submission
from groups.models import SchoolSettings
from hours.models import HoursEntry

from . import factories_activities as fa
from .concurrency import postgres_only, run_at_once
from .conftest import login

pytestmark = postgres_only("two requests cannot overlap there")


def _form(day, title):
    """The form as each tab sends it, with that tab's own token."""
    return {
        **fa.once(),
        "kind": "discussion",
        "title": title,
        "held_on": day.isoformat(),
        "opens_on": day.isoformat(),
        "closes_on": (day + datetime.timedelta(days=5)).isoformat(),
    }


def test_two_requests_creating_activities_on_one_day_at_once_make_one(cast):
    s = fa.group_setup(cast)
    topic = fa.topic(s)
    day = fa.today() + datetime.timedelta(days=4)
    url = reverse("activities:activity_new", args=[topic.pk])
    for attempt in range(3):
        Activity.objects.filter(group=s.group).delete()  # set-up only

        def create(title):
            return lambda: login(s.leader).post(url, _form(day, title)).status_code

        codes = run_at_once(*[create(f"第{attempt}轮 请求{i}") for i in range(4)])
        assert Activity.objects.filter(group=s.group, held_on=day).count() == 1
        assert sorted(codes) == [200, 200, 200, 302]  # three re-shown forms naming the clash


def test_two_drafts_of_one_day_published_at_once_publish_one(cast):
    # Both drafts were saved while the school had the rule off; it is back on.
    s = fa.group_setup(cast)
    topic = fa.topic(s)
    day = fa.today() + datetime.timedelta(days=6)
    rule = SchoolSettings.objects.create(school=cast.school, one_activity_per_day=False)
    drafts = [fa.activity(s, "discussion", t=topic, held_on=day, publish=False) for _ in range(2)]
    rule.one_activity_per_day = True
    rule.save(update_fields=["one_activity_per_day"])

    def publish(a):
        return lambda: login(s.leader).post(reverse("activities:activity_publish", args=[a.pk]))

    run_at_once(*[publish(a) for a in drafts])
    statuses = sorted(
        Activity.objects.filter(pk__in=[a.pk for a in drafts]).values_list("status", flat=True)
    )
    assert statuses == ["draft", "published"]
    # Members were told about the one that was published, once each.
    assert Notification.objects.filter(user=s.member).count() == 1


def test_a_double_click_on_publish_notifies_once(cast):
    s = fa.group_setup(cast)
    a = fa.activity(s, "discussion", publish=False)
    url = reverse("activities:activity_publish", args=[a.pk])
    run_at_once(*[lambda: login(s.leader).post(url)] * 3)
    a.refresh_from_db()
    assert a.status == "published"
    assert Notification.objects.filter(user=s.member, link=a.get_absolute_url()).count() == 1


def test_service_level_create_race_refuses_all_but_one(cast):
    s = fa.group_setup(cast)
    topic = fa.topic(s)
    day = fa.today() + datetime.timedelta(days=8)

    def create(i):
        def call():
            try:
                return services.activity_create(
                    topic=topic,
                    by=s.leader,
                    kind="homework",
                    title=f"作业{i}",
                    held_on=day,
                    opens_on=day,
                    closes_on=day,
                )
            except services.ActivityError as refusal:
                return str(refusal)

        return call

    results = run_at_once(*[create(i) for i in range(6)])
    made = [r for r in results if isinstance(r, Activity)]
    refused = [r for r in results if isinstance(r, str)]
    assert len(made) == 1 and len(refused) == 5
    assert all(f"《{made[0].title}》" in r for r in refused)


# DESIGN §2: a teacher is credited once per activity, whatever is clicked or
# retried at the same moment. The completion's conditional UPDATE is the guard
# (activities.services.completion), the ledger's unique credit the safety net.


def _standing_credits(user, a):
    return HoursEntry.objects.filter(
        teacher=user, object_id=a.pk, reversed_by__isnull=True
    ).exclude(kind="reversal")


def test_posts_from_several_tabs_at_once_complete_and_credit_once(cast):
    s = fa.group_setup(cast)
    a = fa.activity(s, "discussion")
    services.participation_join(activity=a, user=s.member)
    url = reverse("activities:post_new", args=[a.pk])

    def post(i):
        return lambda: (
            login(s.member).post(url, fa.once(body=f"第{i}个标签页里写下的观点内容")).status_code
        )

    codes = run_at_once(*[post(i) for i in range(6)])
    assert set(codes) == {302}
    assert Participation.objects.get(activity=a, user=s.member).completed_at
    assert _standing_credits(s.member, a).get().hours == 2


def test_homework_submitted_several_times_at_once_makes_one_submission_and_credit(cast):
    s = fa.group_setup(cast)
    a = fa.activity(s, "homework")
    services.participation_join(activity=a, user=s.member)
    url = reverse("activities:homework_submit", args=[a.pk])
    run_at_once(*[lambda: login(s.member).post(url, {"text": "我的教学反思。"})] * 6)
    assert Submission.objects.filter(activity=a, user=s.member).count() == 1
    assert _standing_credits(s.member, a).get().hours == 5
