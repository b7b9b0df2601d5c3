"""线下活动: the leader sets the hours, designates members and uploads evidence;
the first evidence completes it for every designated member; withdrawing the
last evidence undoes the completions and reverses the credits."""

import pytest
from django.urls import reverse

from activities.models import Evidence, Participation
from hours.models import HoursEntry
from hours.selectors import hours_totals

from . import factories_activities as fa

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


@pytest.fixture
def offline(s):
    return fa.activity(s, "offline", hours=6, title="集中备课")


def _standing(user, a):
    return (
        HoursEntry.objects.filter(teacher=user, object_id=a.pk)
        .exclude(kind="reversal")
        .filter(reversed_by__isnull=True)
    )


def test_first_evidence_completes_every_designated_member(s, offline, as_user):
    leader = as_user(s.leader)
    leader.post(
        reverse("activities:designate", args=[offline.pk]),
        {"users": [s.member.pk, s.member2.pk]},
    )
    assert Participation.objects.filter(activity=offline).count() == 2
    assert not Participation.objects.filter(completed_at__isnull=False).exists()

    response = leader.post(
        reverse("activities:evidence_add", args=[offline.pk]),
        fa.evidence_data(offline, "sign_in", fa.upload("签到表.pdf", fa.PDF)),
    )
    assert response.status_code == 302
    assert Participation.objects.filter(activity=offline, completed_at__isnull=False).count() == 2
    for user in (s.member, s.member2):
        assert _standing(user, offline).get().hours == 6

    # A second file adds evidence, not hours.
    leader.post(
        reverse("activities:evidence_add", args=[offline.pk]),
        fa.evidence_data(offline, "photo", fa.upload("现场.png", fa.PNG)),
    )
    assert HoursEntry.objects.filter(object_id=offline.pk).count() == 2

    # The member sees they are done.
    page = as_user(s.member).get(reverse("activities:detail", args=[offline.pk])).content
    assert "你已完成此线下活动" in page.decode()


def test_member_designated_later_is_completed_at_once(s, offline, as_user):
    leader = as_user(s.leader)
    leader.post(reverse("activities:designate", args=[offline.pk]), {"users": [s.member.pk]})
    leader.post(
        reverse("activities:evidence_add", args=[offline.pk]),
        fa.evidence_data(offline, "record", fa.upload("记录.pdf", fa.PDF)),
    )
    url = reverse("activities:designate", args=[offline.pk])
    # Designating now credits at once: the leader confirms it first (attack report 1 §2).
    asked = leader.post(url, {"users": [s.member2.pk]})
    assert f"确认：将为 1 名组员计入 {offline.hours_value} 学时" in asked.content.decode()
    assert not Participation.objects.filter(activity=offline, user=s.member2).exists()
    leader.post(url, {"users": [s.member2.pk], "confirm_credit": 1})
    assert Participation.objects.get(activity=offline, user=s.member2).completed_at
    assert _standing(s.member2, offline).count() == 1
    assert _standing(s.member, offline).count() == 1


def test_withdrawing_the_last_evidence_undoes_completions(cast, s, offline, as_user):
    leader = as_user(s.leader)
    leader.post(reverse("activities:designate", args=[offline.pk]), {"users": [s.member.pk]})
    for name, content in (("a.pdf", fa.PDF), ("b.png", fa.PNG)):
        leader.post(
            reverse("activities:evidence_add", args=[offline.pk]),
            fa.evidence_data(offline, "photo", fa.upload(name, content)),
        )
    first, second = Evidence.objects.order_by("pk")
    leader.post(reverse("activities:evidence_withdraw", args=[first.pk]))
    assert Participation.objects.get(activity=offline, user=s.member).completed_at
    assert hours_totals(teacher=s.member, cycle=cast.cycle).recorded == 6

    leader.post(reverse("activities:evidence_withdraw", args=[second.pk]))
    assert Participation.objects.get(activity=offline, user=s.member).completed_at is None
    assert hours_totals(teacher=s.member, cycle=cast.cycle).recorded == 0
    # Withdrawn files stay, as history.
    assert Evidence.objects.filter(withdrawn_at__isnull=False).count() == 2

    # New evidence completes again.
    leader.post(
        reverse("activities:evidence_add", args=[offline.pk]),
        fa.evidence_data(offline, "report", fa.upload("报告.pdf", fa.PDF)),
    )
    assert hours_totals(teacher=s.member, cycle=cast.cycle).recorded == 6


def test_a_teacher_cannot_upload_evidence(s, offline, as_user):
    response = as_user(s.member).post(
        reverse("activities:evidence_add", args=[offline.pk]),
        fa.evidence_data(offline, "photo", fa.upload("a.png", fa.PNG)),
    )
    assert response.status_code == 403
    response = as_user(s.member).post(
        reverse("activities:designate", args=[offline.pk]), {"users": [s.member.pk]}
    )
    assert response.status_code == 403
    assert not Evidence.objects.exists() and not Participation.objects.exists()


def test_leader_of_another_group_cannot_upload_evidence(s, offline, as_user):
    response = as_user(s.other_leader).post(
        reverse("activities:evidence_add", args=[offline.pk]),
        fa.evidence_data(offline, "photo", fa.upload("a.png", fa.PNG)),
    )
    assert response.status_code == 404
    assert not Evidence.objects.exists()


def test_only_members_can_be_designated(s, offline, as_user):
    response = as_user(s.leader).post(
        reverse("activities:designate", args=[offline.pk]), {"users": [s.other_leader.pk]}
    )
    assert response.status_code == 302
    assert not Participation.objects.exists()


def test_members_cannot_join_an_offline_activity_online(s, offline, as_user):
    response = as_user(s.member).post(reverse("activities:join", args=[offline.pk]), follow=True)
    assert "线下活动由教研组长指定参与组员" in response.content.decode()


def test_evidence_exe_renamed_pdf_is_refused(s, offline, as_user):
    response = as_user(s.leader).post(
        reverse("activities:evidence_add", args=[offline.pk]),
        fa.evidence_data(offline, "report", fa.upload("报告.pdf", fa.EXE)),
        follow=True,
    )
    assert "实际内容与扩展名 .pdf 不符" in response.content.decode()
    assert not Evidence.objects.exists()


def test_evidence_is_served_to_members_only(cast, s, offline, as_user):
    as_user(s.leader).post(
        reverse("activities:evidence_add", args=[offline.pk]),
        fa.evidence_data(offline, "photo", fa.upload("a.png", fa.PNG)),
    )
    url = reverse("activities:evidence_file", args=[Evidence.objects.get().pk])
    response = as_user(s.member).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == fa.PNG
    assert as_user(cast.outsider).get(url).status_code == 404
    assert as_user(s.other_leader).get(url).status_code == 404


def test_designate_form_offers_only_members_not_yet_designated(s, offline, as_user):
    leader = as_user(s.leader)
    url = reverse("activities:detail", args=[offline.pk])
    leader.post(reverse("activities:designate", args=[offline.pk]), {"users": [s.member.pk]})
    offered = set(leader.get(url).context["designate_form"].fields["users"].queryset)
    assert offered == {s.leader, s.member2}
    leader.post(
        reverse("activities:designate", args=[offline.pk]),
        {"users": [s.leader.pk, s.member2.pk]},
    )
    response = leader.get(url)
    assert response.context["designate_form"] is None
    assert "本组组员均已指定参与" in response.content.decode()
