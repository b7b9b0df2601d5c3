"""Nobody credits themselves unseen (DESIGN §2, issue 8 §5): a leader's own hours
from an activity of the group they lead are recorded as done but wait for the
school admin, who sees the activity and its evidence or work and confirms
(the ledger credits and tells the leader) or rejects with a reason. The
confirmer is never the leader."""

import pytest
from django.urls import reverse

from accounts.models import Notification, SchoolMembership
from activities.models import Participation
from hours.models import HoursClaim, HoursEntry
from hours.selectors import hours_totals

from . import factories as f
from . import factories_activities as fa

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


def _self_credit_three_times(s, as_user) -> list:
    """The attack from the issue: designate yourself on three 10-hour offline
    activities and upload a 1-pixel picture to each."""
    leader = as_user(s.leader)
    made = []
    for n in range(3):
        a = fa.activity(s, "offline", hours=10, title=f"线下活动{n}")
        leader.post(reverse("activities:designate", args=[a.pk]), {"users": [s.leader.pk]})
        leader.post(
            reverse("activities:evidence_add", args=[a.pk]),
            fa.evidence_data(a, "photo", fa.upload("1px.png", fa.PNG, "image/png")),
        )
        made.append(a)
    return made


def test_a_leader_crediting_themselves_gets_nothing_until_confirmed(cast, s, as_user):
    activities = _self_credit_three_times(s, as_user)
    assert hours_totals(teacher=s.leader, cycle=cast.cycle).recorded == 0
    assert not HoursEntry.objects.filter(teacher=s.leader).exists()
    # The completion is recorded; the hours wait.
    assert Participation.objects.filter(user=s.leader, completed_at__isnull=False).count() == 3
    assert HoursClaim.objects.filter(teacher=s.leader, status="pending").count() == 3
    mine = as_user(s.leader).get(reverse("hours:mine")).content.decode()
    assert "待学校管理员确认的学时" in mine and "线下活动0" in mine
    # The school admin's home page shows the queue.
    home = as_user(cast.school_admin).get(reverse("home")).content.decode()
    assert "确认 3 条组长本人的学时" in home and 'id="claims-queue"' in home
    page = as_user(cast.school_admin).get(reverse("activities:claims"))
    text = page.content.decode()
    for a in activities:
        assert reverse("activities:detail", args=[a.pk]) in text
    assert "1px.png" in text  # the evidence, to look at before confirming


def test_confirming_credits_once_and_tells_the_leader(cast, s, as_user):
    a, *_ = _self_credit_three_times(s, as_user)
    claim = HoursClaim.objects.get(object_id=a.pk)
    admin = as_user(cast.school_admin)
    url = reverse("activities:claim_confirm", args=[claim.pk])
    admin.post(url)
    admin.post(url)
    credit = HoursEntry.objects.get(teacher=s.leader, kind="credit")
    assert credit.hours == 10 and credit.by == cast.school_admin
    assert hours_totals(teacher=s.leader, cycle=cast.cycle).recorded == 10
    message = Notification.objects.get(user=s.leader, kind="hours_credit").message
    assert message.startswith("计入 10 学时：线下活动《线下活动0》") and "操作人：赵校管" in message


def test_rejecting_needs_a_reason_and_tells_the_leader(cast, s, as_user):
    a, *_ = _self_credit_three_times(s, as_user)
    claim = HoursClaim.objects.get(object_id=a.pk)
    admin = as_user(cast.school_admin)
    url = reverse("activities:claim_reject", args=[claim.pk])
    response = admin.post(url, {"note": " "}, follow=True)
    assert "请填写不予确认的原因" in response.content.decode()
    admin.post(url, {"note": "佐证只有一张空白图片"})
    claim.refresh_from_db()
    assert claim.status == "rejected" and claim.decided_by == cast.school_admin
    assert not HoursEntry.objects.filter(teacher=s.leader).exists()
    message = Notification.objects.filter(user=s.leader).latest("pk").message
    assert "未予确认" in message and "佐证只有一张空白图片" in message


def test_a_school_admin_who_leads_the_group_cannot_confirm_their_own(cast, s, as_user):
    SchoolMembership.objects.filter(user=s.leader).update(is_school_admin=True)
    _self_credit_three_times(s, as_user)
    claim = HoursClaim.objects.filter(teacher=s.leader).first()
    leader = as_user(s.leader)
    leader.post(reverse("accounts:role_switch"), {"role": f"school_admin:{cast.school.pk}"})
    page = leader.get(reverse("activities:claims")).content.decode()
    assert "这是你本人的学时，须由本校其他学校管理员确认" in page
    response = leader.post(reverse("activities:claim_confirm", args=[claim.pk]), follow=True)
    assert "不能确认或驳回自己的学时" in response.content.decode()
    assert not HoursEntry.objects.filter(teacher=s.leader).exists()


def test_a_leader_posting_in_their_own_discussion_waits_too(cast, s, as_user):
    a = fa.activity(s, "discussion")
    leader = as_user(s.leader)
    leader.post(reverse("activities:join", args=[a.pk]))
    leader.post(
        reverse("activities:post_new", args=[a.pk]),
        {**fa.once(), "body": "组长自己写的一条研讨观点"},
    )
    assert HoursClaim.objects.filter(teacher=s.leader, object_id=a.pk, status="pending").exists()
    assert not HoursEntry.objects.filter(teacher=s.leader).exists()
    # An ordinary member is credited at once, as before.
    member = as_user(s.member)
    member.post(reverse("activities:join", args=[a.pk]))
    member.post(
        reverse("activities:post_new", args=[a.pk]),
        {**fa.once(), "body": "组员写的一条研讨观点内容"},
    )
    assert HoursEntry.objects.filter(teacher=s.member, object_id=a.pk).exists()


def test_withdrawing_the_evidence_withdraws_the_claim(cast, s, as_user):
    a, *_ = _self_credit_three_times(s, as_user)
    evidence = a.evidence.get()
    as_user(s.leader).post(reverse("activities:evidence_withdraw", args=[evidence.pk]))
    claim = HoursClaim.objects.get(object_id=a.pk)
    assert claim.status == "withdrawn"
    assert (
        as_user(cast.school_admin).get(reverse("activities:claims")).context["rows"].__len__() == 2
    )


def test_claims_are_the_schools_own(cast, s, as_user):
    _self_credit_three_times(s, as_user)
    claim = HoursClaim.objects.first()
    other_admin = f.school_admin(cast.other_school, "霞山校管")
    url = reverse("activities:claim_confirm", args=[claim.pk])
    assert as_user(other_admin).post(url).status_code == 404
    for who in (s.member, s.leader, cast.info_team):
        assert as_user(who).post(url).status_code == 403
    assert as_user(cast.teacher).get(reverse("activities:claims")).status_code == 403
    assert not HoursEntry.objects.filter(teacher=s.leader).exists()


def test_the_claims_page_costs_the_same_queries_at_any_size(
    cast, s, as_user, django_assert_num_queries
):
    admin = as_user(cast.school_admin)
    _self_credit_three_times(s, as_user)
    homework = fa.activity(s, "homework")
    leader = as_user(s.leader)
    leader.post(reverse("activities:join", args=[homework.pk]))
    leader.post(
        reverse("activities:homework_submit", args=[homework.pk]),
        {"text": "组长的作业", "files": [fa.upload("设计.pdf", fa.PDF, "application/pdf")]},
    )
    page = admin.get(reverse("activities:claims"))
    assert "组长的作业" in page.content.decode()
    assert reverse(
        "activities:homework_file", args=[homework.submissions.get().files.get().pk]
    ) in (page.content.decode())
    # session, user, role grants (one query), claims (+teacher),
    # activities, evidence, submissions, their files, posts, responses, content type
    # (cached after the first), unread count
    with django_assert_num_queries(11):
        admin.get(reverse("activities:claims"))
    _self_credit_three_times(s, as_user)
    with django_assert_num_queries(11):
        admin.get(reverse("activities:claims"))


def test_the_admin_may_open_a_leaders_own_homework_only(cast, s, as_user):
    homework = fa.activity(s, "homework")
    for user in (s.leader, s.member):
        client = as_user(user)
        client.post(reverse("activities:join", args=[homework.pk]))
        client.post(
            reverse("activities:homework_submit", args=[homework.pk]),
            {"text": "作业", "files": [fa.upload("设计.pdf", fa.PDF, "application/pdf")]},
        )
    admin = as_user(cast.school_admin)
    own = homework.submissions.get(user=s.leader).files.get()
    theirs = homework.submissions.get(user=s.member).files.get()
    assert admin.get(reverse("activities:homework_file", args=[own.pk])).status_code == 200
    assert admin.get(reverse("activities:homework_file", args=[theirs.pk])).status_code == 404
