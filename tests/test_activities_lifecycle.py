"""Closing, withdrawing, undesignating and deleting: what happens to completions
and credits is deliberate. Closing keeps earned work; withdrawing an offline
activity's last evidence reverses it for everyone; undesignating one member
reverses only theirs; only empty drafts can be deleted."""

import datetime

import pytest
from django.urls import reverse

from activities.models import Activity, Evidence, Participation, Topic
from hours.models import HoursEntry
from hours.selectors import hours_totals

from . import factories_activities as fa

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


def recorded(cast, user):
    return hours_totals(teacher=user, cycle=cast.cycle).recorded


def _evidence(client, a, name="签到表.pdf"):
    return client.post(
        reverse("activities:evidence_add", args=[a.pk]),
        fa.evidence_data(a, "sign_in", fa.upload(name, fa.PDF, "application/pdf")),
    )


@pytest.fixture
def offline_done(s, as_user):
    """An offline activity (6 学时) with both teachers designated and evidence uploaded."""
    a = fa.activity(s, "offline", hours=6, title="集中备课")
    leader = as_user(s.leader)
    leader.post(
        reverse("activities:designate", args=[a.pk]), {"users": [s.member.pk, s.member2.pk]}
    )
    _evidence(leader, a)
    return a


class TestClosing:
    def test_closing_keeps_every_completion_and_credit(self, cast, s, as_user, offline_done):
        discussion = fa.activity(s, "discussion")
        member = as_user(s.member)
        member.post(reverse("activities:join", args=[discussion.pk]))
        member.post(
            reverse("activities:post_new", args=[discussion.pk]),
            {**fa.once(), "body": "分层作业让每个学生都有收获，效果明显。"},
        )
        assert recorded(cast, s.member) == 2 + 6
        leader = as_user(s.leader)
        for a in (discussion, offline_done):
            leader.post(reverse("activities:activity_close", args=[a.pk]))
            a.refresh_from_db()
            assert a.status == "closed"
        assert recorded(cast, s.member) == 8 and recorded(cast, s.member2) == 6
        assert not HoursEntry.objects.filter(kind="reversal").exists()
        assert Participation.objects.filter(completed_at__isnull=False).count() == 3

    def test_a_closed_activity_refuses_members(self, s, as_user):
        a = fa.activity(s, "discussion")
        as_user(s.leader).post(reverse("activities:activity_close", args=[a.pk]))
        response = as_user(s.member).post(reverse("activities:join", args=[a.pk]), follow=True)
        assert "已于" in response.content.decode() and "结束" in response.content.decode()
        assert not Participation.objects.filter(activity=a).exists()

    def test_a_closed_offline_activity_freezes_evidence_and_participants(
        self, cast, s, as_user, offline_done
    ):
        leader = as_user(s.leader)
        leader.post(reverse("activities:activity_close", args=[offline_done.pk]))
        evidence = Evidence.objects.get(activity=offline_done)
        response = leader.post(
            reverse("activities:evidence_withdraw", args=[evidence.pk]), follow=True
        )
        today = f"{fa.today():%Y-%m-%d}"
        assert f"该活动已于 {today} 结束，参与组员和佐证材料不能再修改" in response.content.decode()
        leader.post(reverse("activities:undesignate", args=[offline_done.pk, s.member.pk]))
        response = _evidence(leader, offline_done)
        evidence.refresh_from_db()
        assert evidence.withdrawn_at is None
        assert Evidence.objects.filter(activity=offline_done).count() == 1
        assert recorded(cast, s.member) == 6  # still credited

    def test_a_draft_cannot_be_closed(self, s, as_user):
        a = fa.activity(s, "discussion", publish=False)
        as_user(s.leader).post(reverse("activities:activity_close", args=[a.pk]))
        a.refresh_from_db()
        assert a.status == "draft"


class TestWithdrawingEvidence:
    def test_withdrawing_one_of_two_keeps_credits_the_last_reverses_them(
        self, cast, s, as_user, offline_done
    ):
        leader = as_user(s.leader)
        _evidence(leader, offline_done, "照片说明.pdf")
        first, second = Evidence.objects.filter(activity=offline_done).order_by("pk")
        leader.post(reverse("activities:evidence_withdraw", args=[first.pk]))
        assert recorded(cast, s.member) == 6
        response = leader.post(
            reverse("activities:evidence_withdraw", args=[second.pk]), follow=True
        )
        assert "2 名组员的完成记录和学时已撤销" in response.content.decode()
        assert recorded(cast, s.member) == 0 and recorded(cast, s.member2) == 0
        # Uploading again credits again (a new credit, the reversal stays as history).
        _evidence(leader, offline_done)
        assert recorded(cast, s.member) == 6
        assert HoursEntry.objects.filter(teacher=s.member, kind="reversal").count() == 1


class TestUndesignate:
    def test_before_evidence_the_member_is_simply_taken_off(self, cast, s, as_user):
        a = fa.activity(s, "offline", hours=4)
        leader = as_user(s.leader)
        leader.post(reverse("activities:designate", args=[a.pk]), {"users": [s.member.pk]})
        response = leader.post(
            reverse("activities:undesignate", args=[a.pk, s.member.pk]), follow=True
        )
        assert "已取消指定" in response.content.decode()
        assert not Participation.objects.filter(activity=a).exists()
        _evidence(leader, a)
        assert recorded(cast, s.member) == 0
        assert not HoursEntry.objects.filter(teacher=s.member).exists()

    def test_after_evidence_only_that_members_credit_is_reversed(
        self, cast, s, as_user, offline_done
    ):
        response = as_user(s.leader).post(
            reverse("activities:undesignate", args=[offline_done.pk, s.member2.pk]), follow=True
        )
        page = response.content.decode()
        assert "其完成记录和 6 学时已撤销" in page
        assert recorded(cast, s.member2) == 0 and recorded(cast, s.member) == 6
        reversal = HoursEntry.objects.get(teacher=s.member2, kind="reversal")
        assert reversal.by == s.leader and "取消指定" in reversal.reason
        assert not Participation.objects.filter(activity=offline_done, user=s.member2).exists()
        # The member can be designated again and is credited at once (evidence
        # exists), once the leader confirmed it (attack report 1 §2).
        as_user(s.leader).post(
            reverse("activities:designate", args=[offline_done.pk]),
            {"users": [s.member2.pk], "confirm_credit": 1},
        )
        assert recorded(cast, s.member2) == 6

    def test_only_the_leader_may_undesignate(self, cast, s, as_user, offline_done):
        url = reverse("activities:undesignate", args=[offline_done.pk, s.member2.pk])
        assert as_user(s.member).post(url).status_code == 403
        assert as_user(s.other_leader).post(url).status_code == 404
        assert as_user(cast.outsider).post(url).status_code == 404
        assert as_user(s.leader).get(url).status_code == 405
        other = reverse("activities:undesignate", args=[offline_done.pk, cast.outsider.pk])
        assert as_user(s.leader).post(other).status_code == 404
        assert recorded(cast, s.member2) == 6


class TestDeleting:
    def test_an_empty_draft_topic_can_be_deleted(self, s, as_user):
        topic = fa.topic(s, publish=False)
        response = as_user(s.leader).post(
            reverse("activities:topic_delete", args=[topic.pk]), follow=True
        )
        assert "已删除" in response.content.decode()
        assert not Topic.objects.filter(pk=topic.pk).exists()

    def test_a_published_topic_or_one_with_activities_stays(self, s, as_user):
        published = fa.topic(s)
        draft = fa.topic(s, publish=False)
        fa.activity(s, "discussion", t=draft, publish=False)
        leader = as_user(s.leader)
        response = leader.post(reverse("activities:topic_delete", args=[published.pk]), follow=True)
        assert "已发布的研修专题不能删除" in response.content.decode()
        response = leader.post(reverse("activities:topic_delete", args=[draft.pk]), follow=True)
        assert "该专题下已有活动" in response.content.decode()
        assert Topic.objects.count() == 2

    def test_topic_delete_permission_ladder(self, client, cast, s, as_user):
        topic = fa.topic(s, publish=False)
        url = reverse("activities:topic_delete", args=[topic.pk])
        assert "/accounts/login/" in client.post(url)["Location"]
        assert as_user(cast.outsider).post(url).status_code == 404
        assert as_user(s.other_leader).post(url).status_code == 404
        assert as_user(s.member).post(url).status_code == 404  # drafts are the leader's only
        assert Topic.objects.filter(pk=topic.pk).exists()

    def test_a_draft_activity_can_be_deleted_and_frees_its_day(self, s, as_user):
        day = fa.today() + datetime.timedelta(days=2)
        a = fa.activity(s, "observation", held_on=day, publish=False)
        leader = as_user(s.leader)
        assert (
            as_user(s.member).post(reverse("activities:activity_delete", args=[a.pk])).status_code
            == 404
        )
        leader.post(reverse("activities:activity_delete", args=[a.pk]))
        assert not Activity.objects.filter(pk=a.pk).exists()
        fa.activity(s, "discussion", t=a.topic, held_on=day)  # the day is free again

    def test_a_published_activity_cannot_be_deleted(self, s, as_user):
        a = fa.activity(s, "discussion")
        response = as_user(s.leader).post(
            reverse("activities:activity_delete", args=[a.pk]), follow=True
        )
        assert "只能删除尚未发布的草稿活动" in response.content.decode()
        assert Activity.objects.filter(pk=a.pk).exists()
        assert (
            as_user(s.member).post(reverse("activities:activity_delete", args=[a.pk])).status_code
            == 403
        )


def test_publishing_twice_notifies_once(s, as_user):
    from accounts.models import Notification

    a = fa.activity(s, "discussion", publish=False)
    leader = as_user(s.leader)
    for _ in range(2):
        leader.post(reverse("activities:activity_publish", args=[a.pk]))
    assert Notification.objects.filter(link=a.get_absolute_url(), user=s.member).count() == 1


def test_of_two_same_day_drafts_the_first_published_wins(cast, s, as_user):
    from groups.models import SchoolSettings

    day = fa.today() + datetime.timedelta(days=9)
    rule = SchoolSettings.objects.create(school=cast.school, one_activity_per_day=False)
    topic = fa.topic(s)
    first = fa.activity(s, "discussion", t=topic, held_on=day, publish=False, title="先发布的")
    second = fa.activity(s, "homework", t=topic, held_on=day, publish=False, title="后发布的")
    rule.one_activity_per_day = True
    rule.save(update_fields=["one_activity_per_day"])
    leader = as_user(s.leader)
    leader.post(reverse("activities:activity_publish", args=[first.pk]))
    response = leader.post(reverse("activities:activity_publish", args=[second.pk]), follow=True)
    assert "《先发布的》" in response.content.decode()
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == ("published", "draft")
