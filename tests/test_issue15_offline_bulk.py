"""Offline evidence credits every designated member at once (issue 15): the
ledger's bulk credit and bulk reversal keep every rule of the one-by-one path,
through the leader's real URLs.

- each designated member is credited once and told once; summaries equal the
  ledger (manage.py hours_check's rules);
- the 25-hour cap is the same one rule: recorded above it, counted at 25;
- a removed teacher is never credited; a leader's own hours wait as a claim;
- withdrawing the last evidence reverses every credit once and tells each
  teacher once; a new evidence credits them again;
- designating members after the evidence credits them at once, in bulk too.

The same number of queries for 10 and 300 members is proven on PostgreSQL
(tests/test_issue15_bulk_queries.py); the races in
tests/test_issue15_bulk_concurrency.py.
"""

import pytest
from django.urls import reverse

from accounts.models import Notification
from activities.models import Activity, Participation
from groups.models import GroupMember
from groups.services import teacher_remove
from hours.models import HoursClaim, HoursEntry
from hours.selectors import hours_mismatches, hours_totals
from hours.services import hours_credit

from . import factories as f
from . import factories_activities as fa

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


def members(cast, group, n: int) -> list:
    made = [f.teacher(cast.school, f"组员{i:02d}") for i in range(n)]
    GroupMember.objects.bulk_create(GroupMember(group=group, user=u) for u in made)
    return made


def designate(client, a, users):
    """As the leader's page does it: once evidence stands, designating asks how
    many it will credit and the leader ticks that number (attack report 1 §2)."""
    url = reverse("activities:designate", args=[a.pk])
    data = {"users": [u.pk for u in users]}
    response = client.post(url, data)
    if response.status_code == 200 and "ask" in response.context:
        response = client.post(url, {**data, "confirm_credit": response.context["ask"].would})
    assert response.status_code == 302


def add_evidence(client, a):
    response = client.post(
        reverse("activities:evidence_add", args=[a.pk]),
        fa.evidence_data(a, "sign_in", fa.upload("签到表.pdf", fa.PDF)),
    )
    assert response.status_code == 302


def standing(a, user) -> int:
    return HoursEntry.objects.filter(
        object_id=a.pk, teacher=user, kind="credit", reversed_by__isnull=True
    ).count()


def test_the_first_evidence_credits_each_designated_member_once_and_tells_each(cast, s, as_user):
    team = members(cast, s.group, 6)
    a = fa.activity(s, Activity.Kind.OFFLINE, hours=4)
    leader = as_user(s.leader)
    designate(leader, a, team)
    add_evidence(leader, a)
    add_evidence(leader, a)  # a second file credits nobody again
    for user in team:
        assert standing(a, user) == 1
        assert hours_totals(teacher=user, cycle=cast.cycle).recorded == 4
        notices = Notification.objects.filter(user=user, kind="hours_credit")
        assert [n.message for n in notices] == [
            f"计入 4 学时：线下活动《{a.title}》。原因：线下活动《{a.title}》上传了佐证材料；"
            f"操作人：{s.leader.display_name}。"
        ]
    entry = HoursEntry.objects.filter(object_id=a.pk).first()
    assert list(entry.ability_points.all()) == list(a.topic.key_points.all())
    assert Participation.objects.filter(activity=a, completed_at__isnull=False).count() == 6
    assert hours_mismatches() == []


def test_the_cap_is_the_same_rule_for_a_bulk_credit(cast, s, as_user):
    for _ in range(4):  # 24 hours already, from other sources
        hours_credit(
            teacher=s.member,
            cycle=cast.cycle,
            school=cast.school,
            source=fa.activity(s, Activity.Kind.HOMEWORK, publish=False),
            hours=6,
            category="研修作业",
        )
    a = fa.activity(s, Activity.Kind.OFFLINE, hours=3)
    leader = as_user(s.leader)
    designate(leader, a, [s.member, s.member2])
    add_evidence(leader, a)
    totals = hours_totals(teacher=s.member, cycle=cast.cycle)
    assert (totals.recorded, totals.counted, totals.over_cap) == (27, 25, 2)
    assert hours_totals(teacher=s.member2, cycle=cast.cycle).recorded == 3


def test_a_removed_teacher_is_skipped_and_the_leaders_own_hours_wait_as_a_claim(cast, s, as_user):
    team = members(cast, s.group, 3)
    a = fa.activity(s, Activity.Kind.OFFLINE, hours=2)
    leader = as_user(s.leader)
    designate(leader, a, [s.leader, *team])
    gone = team[0]
    place = gone.memberships.get()
    teacher_remove(membership=place, by=cast.school_admin, reason="调往外校")
    add_evidence(leader, a)
    assert not HoursEntry.objects.filter(teacher=gone).exists()
    assert [standing(a, u) for u in team[1:]] == [1, 1]
    # DESIGN §2: nobody credits themselves unseen.
    assert standing(a, s.leader) == 0
    claim = HoursClaim.objects.get(teacher=s.leader, object_id=a.pk)
    assert (claim.status, claim.hours) == ("pending", 2)
    assert hours_mismatches() == []


def test_withdrawing_the_last_evidence_reverses_each_credit_once_and_tells_each(cast, s, as_user):
    team = members(cast, s.group, 5)
    a = fa.activity(s, Activity.Kind.OFFLINE, hours=3)
    leader = as_user(s.leader)
    designate(leader, a, [s.leader, *team])
    add_evidence(leader, a)
    evidence = a.evidence.get()
    url = reverse("activities:evidence_withdraw", args=[evidence.pk])
    assert leader.post(url).status_code == 302
    assert leader.post(url).status_code == 302  # a double click reverses nothing twice
    for user in team:
        assert standing(a, user) == 0
        assert HoursEntry.objects.filter(object_id=a.pk, teacher=user, kind="reversal").count() == 1
        assert hours_totals(teacher=user, cycle=cast.cycle).recorded == 0
        [notice] = Notification.objects.filter(user=user, kind="hours_reversal")
        assert notice.message.startswith(f"撤销 3 学时：线下活动《{a.title}》。")
    assert HoursClaim.objects.get(teacher=s.leader).status == "withdrawn"
    assert not Participation.objects.filter(activity=a, completed_at__isnull=False).exists()
    # New evidence: everyone is credited again, once (the ledger's next generation).
    add_evidence(leader, a)
    assert [standing(a, u) for u in team] == [1] * 5
    assert set(
        HoursEntry.objects.filter(object_id=a.pk, kind="credit").values_list(
            "generation", flat=True
        )
    ) == {0, 1}
    assert hours_mismatches() == []


def test_members_designated_after_the_evidence_are_credited_at_once(cast, s, as_user):
    first, later = members(cast, s.group, 2), members(cast, s.group, 4)
    a = fa.activity(s, Activity.Kind.OFFLINE, hours=2)
    leader = as_user(s.leader)
    designate(leader, a, first)
    add_evidence(leader, a)
    designate(leader, a, later)
    assert [standing(a, u) for u in first + later] == [1] * 6
    assert hours_mismatches() == []


def test_a_removal_reverses_all_of_a_teachers_credits_in_one_notice(cast, s, as_user):
    leader = as_user(s.leader)
    sources = [fa.activity(s, Activity.Kind.OFFLINE, hours=2) for _ in range(3)]
    for a in sources:
        designate(leader, a, [s.member])
        add_evidence(leader, a)
    assert hours_totals(teacher=s.member, cycle=cast.cycle).recorded == 6
    teacher_remove(membership=s.member.memberships.get(), by=cast.school_admin, reason="调岗")
    assert hours_totals(teacher=s.member, cycle=cast.cycle).recorded == 0
    [notice] = Notification.objects.filter(user=s.member, kind="hours_reversal")
    assert notice.message.startswith("撤销 6 学时：3 条学时记录。")
    assert hours_mismatches() == []
