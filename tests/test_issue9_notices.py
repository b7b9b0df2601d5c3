"""Whoever's hours change is told (DESIGN §2, issue 9 §6): every credit and every
reversal leaves an inbox notice saying what, how many hours, why and by whom,
sent by the ledger (hours.services) whatever caused it. Opening the inbox
marks what it showed read."""

import pytest
from django.urls import reverse

from accounts.models import Notification, SchoolMembership
from activities.models import Evidence

from . import factories_activities as fa

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


def notices(user, kind=None) -> list[str]:
    qs = Notification.objects.filter(user=user).order_by("created_at", "pk")
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.values_list("message", flat=True))


def test_a_credit_tells_the_teacher_what_how_much_why_and_by_whom(s, as_user):
    a = fa.activity(s, "discussion", title="量规怎么用")
    member = as_user(s.member)
    member.post(reverse("activities:join", args=[a.pk]))
    member.post(
        reverse("activities:post_new", args=[a.pk]),
        {**fa.once(), "body": "量规要在课前发给学生看。"},
    )
    (message,) = notices(s.member, "hours_credit")
    assert message == (
        "计入 2 学时：教学研讨《量规怎么用》。原因：在教学研讨《量规怎么用》发表观点；操作人：本人。"
    )
    link = Notification.objects.get(user=s.member, kind="hours_credit").link
    assert link == reverse("hours:mine")


def test_offline_credits_and_their_withdrawal_tell_each_member(s, as_user):
    a = fa.activity(s, "offline", hours=8, title="集体备课")
    leader = as_user(s.leader)
    leader.post(
        reverse("activities:designate", args=[a.pk]), {"users": [s.member.pk, s.member2.pk]}
    )
    leader.post(
        reverse("activities:evidence_add", args=[a.pk]),
        fa.evidence_data(a, "sign_in", fa.upload("签到表.pdf", fa.PDF)),
    )
    for member in (s.member, s.member2):
        assert notices(member, "hours_credit") == [
            "计入 8 学时：线下活动《集体备课》。原因：线下活动《集体备课》上传了佐证材料；"
            "操作人：周组长。"
        ]
    leader.post(reverse("activities:evidence_withdraw", args=[Evidence.objects.get().pk]))
    for member in (s.member, s.member2):
        assert notices(member, "hours_reversal") == [
            "撤销 8 学时：线下活动《集体备课》。原因：线下活动《集体备课》的佐证材料已全部撤回；"
            "操作人：周组长。"
        ]


def test_undesignating_after_evidence_tells_that_member_only(s, as_user):
    a = fa.activity(s, "offline", hours=3, title="同课异构")
    leader = as_user(s.leader)
    leader.post(
        reverse("activities:designate", args=[a.pk]), {"users": [s.member.pk, s.member2.pk]}
    )
    leader.post(
        reverse("activities:evidence_add", args=[a.pk]),
        fa.evidence_data(a, "photo", fa.upload("现场.png", fa.PNG)),
    )
    leader.post(reverse("activities:undesignate", args=[a.pk, s.member.pk]))
    assert notices(s.member, "hours_reversal") == [
        "撤销 3 学时：线下活动《同课异构》。原因：线下活动《同课异构》取消指定参与；操作人：周组长。"
    ]
    assert notices(s.member2, "hours_reversal") == []


def test_a_removal_tells_the_removed_teacher(cast, s, as_user):
    a = fa.activity(s, "homework", title="教学反思")
    member = as_user(s.member)
    member.post(reverse("activities:join", args=[a.pk]))
    member.post(reverse("activities:homework_submit", args=[a.pk]), {"text": "我的反思"})
    place = SchoolMembership.objects.get(user=s.member)
    as_user(cast.school_admin).post(
        reverse("hours:teacher_remove", args=[place.pk]), {"reason": "调往外区", "confirm": "on"}
    )
    assert notices(s.member, "hours_reversal") == [
        "撤销 5 学时：研修作业《教学反思》。原因：调岗移除：调往外区；操作人：赵校管。"
    ]
    (removed,) = notices(s.member, "teacher_removed")
    assert "你已被赵校管移出赤坎第一小学" in removed and "调往外区" in removed


def test_opening_the_inbox_marks_what_it_showed_read(s, as_user):
    for n in range(3):
        a = fa.activity(s, "discussion", title=f"研讨{n}")
        member = as_user(s.member)
        member.post(reverse("activities:join", args=[a.pk]))
        member.post(
            reverse("activities:post_new", args=[a.pk]),
            {**fa.once(), "body": f"第{n}条研讨观点内容写在这里"},
        )
    client = as_user(s.member)
    home = client.get(reverse("home"))
    unread = Notification.objects.filter(user=s.member, read_at__isnull=True).count()
    assert unread >= 3 and f'aria-label="{unread} 条未读"' in home.content.decode()
    inbox = client.get(reverse("accounts:inbox"))
    assert f"{unread} 条新消息" in inbox.content.decode()
    # The navbar on the inbox page itself already counts what is left: nothing.
    assert "条未读" not in inbox.content.decode().split('id="inbox-link"')[1][:200]
    assert not Notification.objects.filter(user=s.member, read_at__isnull=True).exists()
    assert (
        "条未读"
        not in client.get(reverse("home")).content.decode().split('id="inbox-link"')[1][:200]
    )
