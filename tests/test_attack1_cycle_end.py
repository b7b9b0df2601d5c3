"""Outside attack report 1 §4 (DESIGN §2 Time, to the letter): after the cycle
ends nothing is credited or reversed through activities and nothing new is
created in it. Each refusal names the cycle's end date: confirming a leader's
claim, taking a member off an offline activity, withdrawing evidence, creating
or publishing a topic (and an activity). Rejecting a claim credits nothing and
stays allowed; so does 调岗移除, which is its own rule."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Cycle, SchoolMembership
from activities import services
from activities.models import Activity, Evidence, Participation, Topic
from hours.models import HoursClaim, HoursEntry

from . import factories_activities as fa

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


def _end_cycle_yesterday(cast) -> str:
    yesterday = fa.today() - datetime.timedelta(days=1)
    Cycle.objects.filter(pk=cast.cycle.pk).update(ends_on=yesterday)
    return f"研修周期“{cast.cycle.name}”已于 {yesterday:%Y-%m-%d} 结束"


def _texts(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def _standing(user, a):
    return HoursEntry.objects.filter(
        teacher=user, object_id=a.pk, kind="credit", reversed_by__isnull=True
    )


def _credited_offline(s):
    """An offline activity, held, with evidence: both members credited."""
    a = fa.activity(s, "offline", hours=8)
    services.participants_designate(activity=a, by=s.leader, users=[s.member, s.member2])
    evidence = services.evidence_add(
        activity=a, by=s.leader, kind="photo", upload=fa.upload("现场.png", fa.PNG), confirmed=2
    )
    assert _standing(s.member, a).exists()
    return a, evidence


def test_a_leaders_claim_cannot_be_confirmed_after_the_cycle_but_can_be_rejected(cast, s, as_user):
    a = fa.activity(s, "offline", hours=10)
    services.participants_designate(activity=a, by=s.leader, users=[s.leader])
    services.evidence_add(
        activity=a, by=s.leader, kind="photo", upload=fa.upload("a.png", fa.PNG), confirmed=1
    )
    claim = HoursClaim.objects.get(teacher=s.leader)
    ended = _end_cycle_yesterday(cast)
    admin = as_user(cast.school_admin)
    response = admin.post(reverse("activities:claim_confirm", args=[claim.pk]), follow=True)
    assert f"{ended}，不能再确认学时" in _texts(response)
    claim.refresh_from_db()
    assert claim.status == "pending"
    assert not _standing(s.leader, a).exists()

    response = admin.post(
        reverse("activities:claim_reject", args=[claim.pk]), {"note": "周期已结束"}, follow=True
    )
    claim.refresh_from_db()
    assert claim.status == "rejected"


def test_no_undesignation_after_the_cycle(cast, s, as_user):
    a, _ = _credited_offline(s)
    ended = _end_cycle_yesterday(cast)
    response = as_user(s.leader).post(
        reverse("activities:undesignate", args=[a.pk, s.member.pk]), follow=True
    )
    assert ended in _texts(response)
    assert Participation.objects.filter(activity=a, user=s.member).exists()
    assert _standing(s.member, a).get().hours == 8


def test_no_evidence_withdrawal_after_the_cycle(cast, s, as_user):
    a, evidence = _credited_offline(s)
    ended = _end_cycle_yesterday(cast)
    response = as_user(s.leader).post(
        reverse("activities:evidence_withdraw", args=[evidence.pk]), follow=True
    )
    assert ended in _texts(response)
    evidence.refresh_from_db()
    assert evidence.withdrawn_at is None
    assert _standing(s.member, a).exists() and _standing(s.member2, a).exists()
    assert not HoursEntry.objects.filter(kind="reversal").exists()


def _token(client, url) -> str:
    return str(client.get(url).context["form"].initial["request_token"])


def test_no_topic_is_created_or_published_after_the_cycle(cast, s, as_user):
    draft = services.topic_create(
        group=s.group, by=s.leader, title="周期内的草稿", key_points=s.points[:1]
    )
    ended = _end_cycle_yesterday(cast)
    leader = as_user(s.leader)
    url = reverse("activities:topic_new", args=[s.group.pk])
    for target in (url, reverse("activities:topic_new_publish", args=[s.group.pk])):
        data = {
            "title": "周期结束后的专题",
            "key_points": [s.points[0].pk],
            "request_token": _token(leader, url),
        }
        response = leader.post(target, data)
        assert response.status_code == 200
        assert f"{ended}，不能再新建研修专题" in response.content.decode()
    assert not Topic.objects.filter(title="周期结束后的专题").exists()

    response = leader.post(reverse("activities:topic_publish", args=[draft.pk]), follow=True)
    assert f"{ended}，不能再发布研修专题" in _texts(response)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_no_activity_is_created_or_published_after_the_cycle(cast, s, as_user):
    topic = fa.topic(s)
    draft = fa.activity(s, "discussion", t=topic, publish=False)
    ended = _end_cycle_yesterday(cast)
    leader = as_user(s.leader)
    url = reverse("activities:activity_new", args=[topic.pk])
    day = f"{fa.today() - datetime.timedelta(days=5):%Y-%m-%d}"  # inside the ended cycle
    data = {"kind": "discussion", "title": "补建的活动", "held_on": day, "opens_on": day}
    data.update(closes_on=day, request_token=_token(leader, url))
    response = leader.post(url, data)
    assert f"{ended}，不能再新建研修活动" in response.content.decode()
    assert not Activity.objects.filter(title="补建的活动").exists()

    response = leader.post(reverse("activities:activity_publish", args=[draft.pk]), follow=True)
    assert f"{ended}，不能再发布研修活动" in _texts(response)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_removal_after_the_cycle_still_reverses(cast, s, as_user):
    """调岗移除 is its own rule: the removed teacher's hours go whatever the date."""
    a, _ = _credited_offline(s)
    _end_cycle_yesterday(cast)
    place = SchoolMembership.objects.get(user=s.member, removed_at__isnull=True)
    response = as_user(cast.school_admin).post(
        reverse("hours:teacher_remove", args=[place.pk]), {"reason": "调岗", "confirm": "on"}
    )
    assert response.status_code == 302
    assert not _standing(s.member, a).exists()
    assert Evidence.objects.filter(activity=a, withdrawn_at__isnull=True).exists()
