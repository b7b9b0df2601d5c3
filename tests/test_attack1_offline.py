"""Outside attack report 1, 线下活动:

§2 a leader no longer credits people for an offline activity held before
they were at the school (moved in, imported, removed and added back since):
designating them is refused, and so is evidence that would credit them, naming
the person and both dates; designating once evidence stands asks the same
confirmation as the first evidence ("将为 N 名组员计入 X 学时"), and the
ledger and the notice say the credit came from that designation.

§3 once evidence stands (or anyone is credited) the activity's date can no
longer move: the edit page shows it read-only and why, and a changed date is
refused; crediting through an offline activity before its date is refused
anyway, a designation included.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, SchoolMembership
from activities import services
from activities.models import Activity, Participation
from groups.models import GroupMember
from groups.services import teacher_remove
from hours.models import HoursEntry

from . import factories as f
from . import factories_activities as fa

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


def _texts(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def _standing(user, a):
    return HoursEntry.objects.filter(
        teacher=user, object_id=a.pk, kind="credit", reversed_by__isnull=True
    )


def _held_days_ago(s, days: int, hours: int = 10) -> Activity:
    return fa.activity(
        s, "offline", hours=hours, held_on=fa.today() - datetime.timedelta(days=days)
    )


def _newcomer(cast, s, name="新调入的老师"):
    """A teacher whose place in the school began today, in the group."""
    user = f.teacher(cast.school, name, joined_at=timezone.now())
    GroupMember.objects.create(group=s.group, user=user)
    return user


def _d(day) -> str:
    return f"{day:%Y-%m-%d}"


# ---- §2: only people who were there ---------------------------------------------------


def test_designating_someone_who_joined_after_the_activity_is_refused_naming_both_dates(
    cast, s, as_user
):
    a = _held_days_ago(s, 15)
    moved_in = _newcomer(cast, s)
    response = as_user(s.leader).post(
        reverse("activities:designate", args=[a.pk]),
        {"users": [s.member.pk, moved_in.pk]},
        follow=True,
    )
    assert (
        f"新调入的老师于 {_d(fa.today())} 加入本校，晚于该线下活动的日期 {_d(a.held_on)}"
        in _texts(response)
    )
    assert not Participation.objects.filter(activity=a).exists()  # nothing half-stored


def test_a_teacher_removed_and_added_back_is_not_credited_again(cast, s, as_user):
    """The tester's case: removed, added back the same day by ID number, and
    designated again on an activity whose evidence stands."""
    a = _held_days_ago(s, 10)
    services.participants_designate(activity=a, by=s.leader, users=[s.member])
    services.evidence_add(
        activity=a, by=s.leader, kind="photo", upload=fa.upload("a.png", fa.PNG), confirmed=1
    )
    place = SchoolMembership.objects.get(user=s.member, removed_at__isnull=True)
    teacher_remove(membership=place, by=cast.school_admin, reason="调岗")
    assert not _standing(s.member, a).exists()
    admin = as_user(cast.school_admin)
    admin.post(
        reverse("accounts:teacher_create"),
        {
            "real_name": s.member.real_name,
            "phone": s.member.phone,
            "id_number": s.member.id_number,
            "is_full_time": "on",
        },
    )
    assert SchoolMembership.objects.filter(user=s.member, removed_at__isnull=True).exists()
    GroupMember.objects.get_or_create(group=s.group, user=s.member)

    response = as_user(s.leader).post(
        reverse("activities:designate", args=[a.pk]),
        {"users": [s.member.pk], "confirm_credit": 1},
        follow=True,
    )
    assert "晚于该线下活动的日期" in _texts(response)
    assert not _standing(s.member, a).exists()


def test_evidence_that_would_credit_a_later_arrival_is_refused(cast, s, as_user):
    """Designated while the date was later, then the date moved before their
    arrival (allowed while no evidence stands): the evidence credits nobody."""
    late = f.teacher(
        cast.school, "后来的老师", joined_at=timezone.now() - datetime.timedelta(days=5)
    )
    GroupMember.objects.create(group=s.group, user=late)
    a = _held_days_ago(s, 2)
    services.participants_designate(activity=a, by=s.leader, users=[s.member, late])
    earlier = fa.today() - datetime.timedelta(days=8)
    services.activity_update(
        activity=a,
        by=s.leader,
        title=a.title,
        held_on=earlier,
        opens_on=min(a.opens_on, earlier),
        closes_on=a.closes_on,
        hours_value=a.hours_value,
    )
    response = as_user(s.leader).post(
        reverse("activities:evidence_add", args=[a.pk]),
        fa.evidence_data(a, "sign_in", fa.upload("签到表.pdf", fa.PDF)),
        follow=True,
    )
    assert f"后来的老师于 {_d(fa.today() - datetime.timedelta(days=5))} 加入本校" in _texts(
        response
    )
    assert not a.evidence.exists()
    assert not HoursEntry.objects.filter(object_id=a.pk).exists()


def test_designating_once_evidence_stands_asks_the_same_confirmation_and_says_why(cast, s, as_user):
    a = _held_days_ago(s, 5, hours=10)
    services.participants_designate(activity=a, by=s.leader, users=[s.member])
    services.evidence_add(
        activity=a, by=s.leader, kind="photo", upload=fa.upload("a.png", fa.PNG), confirmed=1
    )
    leader = as_user(s.leader)
    url = reverse("activities:designate", args=[a.pk])
    asked = leader.post(url, {"users": [s.member2.pk]})
    page = asked.content.decode()
    assert asked.status_code == 200
    assert "确认：将为 1 名组员计入 10 学时" in page and "王老师" in page
    assert not Participation.objects.filter(activity=a, user=s.member2).exists()
    # A stale number (the page said 2) asks again rather than crediting.
    again = leader.post(url, {"users": [s.member2.pk], "confirm_credit": 2})
    assert "确认：将为 1 名组员计入 10 学时" in again.content.decode()
    assert not _standing(s.member2, a).exists()

    done = leader.post(url, {"users": [s.member2.pk], "confirm_credit": 1}, follow=True)
    assert "已指定 1 名组员参与" in _texts(done)
    credit = _standing(s.member2, a).get()
    assert credit.hours == 10
    assert "佐证材料已上传，组长随后指定参与" in credit.reason
    notice = Notification.objects.get(user=s.member2, kind="hours_credit")
    assert "佐证材料已上传，组长随后指定参与" in notice.message
    assert "上传了佐证材料" not in notice.message


def test_the_check_in_one_click_designation_asks_too(cast, s, as_user):
    a = fa.activity(s, "offline", hours=3, held_on=fa.today())
    services.participants_designate(activity=a, by=s.leader, users=[s.member])
    services.checkin_open(activity=a, by=s.leader)
    services.checkin_manual(activity=a, by=s.leader, user=s.member2, reason="手机没电")
    services.checkin_close(activity=a, by=s.leader)
    services.evidence_add(
        activity=a, by=s.leader, kind="photo", upload=fa.upload("a.png", fa.PNG), confirmed=1
    )
    url = reverse("activities:checkin_designate", args=[a.pk, s.member2.pk])
    asked = as_user(s.leader).post(url, {"back": "sheet"})
    assert "确认：将为 1 名组员计入 3 学时" in asked.content.decode()
    assert not _standing(s.member2, a).exists()
    done = as_user(s.leader).post(url, {"back": "sheet", "confirm_credit": 1})
    assert done.url == reverse("activities:checkin_sheet", args=[a.pk])
    assert _standing(s.member2, a).get().hours == 3


# ---- §3: the date stays once evidence stands ---------------------------------------


def _edit(client, a, **changes):
    data = {
        "title": a.title,
        "held_on": _d(a.held_on),
        "opens_on": _d(a.opens_on),
        "closes_on": _d(a.closes_on),
        "hours_value": a.hours_value,
    }
    data.update({k: _d(v) if isinstance(v, datetime.date) else v for k, v in changes.items()})
    return client.post(reverse("activities:activity_edit", args=[a.pk]), data)


def test_the_date_of_an_activity_with_evidence_cannot_move(cast, s, as_user):
    a = _held_days_ago(s, 5)
    services.participants_designate(activity=a, by=s.leader, users=[s.member])
    leader = as_user(s.leader)
    # Before evidence the date may still move.
    earlier = fa.today() - datetime.timedelta(days=6)
    assert _edit(leader, a, held_on=earlier).status_code == 302
    a.refresh_from_db()
    assert a.held_on == earlier
    services.evidence_add(
        activity=a, by=s.leader, kind="photo", upload=fa.upload("a.png", fa.PNG), confirmed=1
    )

    page = leader.get(reverse("activities:activity_edit", args=[a.pk])).content.decode()
    why = f"该活动已上传佐证材料或已有组员计入学时，活动日期（{_d(earlier)}）不能再修改"
    assert why in page and 'id="date-locked"' in page
    field = page[page.index('name="held_on"') - 200 : page.index('name="held_on"') + 200]
    assert "readonly" in field

    later = a.closes_on  # the tester moved it weeks later
    response = _edit(leader, a, held_on=later, title="改了标题")
    assert response.status_code == 200
    assert why in response.content.decode()
    a.refresh_from_db()
    assert (a.held_on, a.title) == (earlier, "线下活动活动")
    # Other fields still change when the date stays.
    assert _edit(leader, a, title="改了标题").status_code == 302
    a.refresh_from_db()
    assert a.title == "改了标题"


def test_an_activity_someone_completed_keeps_its_date_too(cast, s, as_user):
    a = fa.activity(s, "discussion")
    member = as_user(s.member)
    member.post(reverse("activities:join", args=[a.pk]))
    services.post_create(activity=a, user=s.member, body="先完成了研讨的一条观点内容")
    response = _edit(as_user(s.leader), a, held_on=a.held_on + datetime.timedelta(days=1))
    assert "活动日期" in response.content.decode() and "不能再修改" in response.content.decode()


def test_no_credit_through_an_offline_activity_before_its_date_even_by_designation(
    cast, s, as_user
):
    """Old data: evidence stood while the date was moved later (before this rule)."""
    a = _held_days_ago(s, 2)
    services.participants_designate(activity=a, by=s.leader, users=[s.member])
    services.evidence_add(
        activity=a, by=s.leader, kind="photo", upload=fa.upload("a.png", fa.PNG), confirmed=1
    )
    later = fa.today() + datetime.timedelta(days=7)
    Activity.objects.filter(pk=a.pk).update(held_on=later, closes_on=later)
    response = as_user(s.leader).post(
        reverse("activities:designate", args=[a.pk]),
        {"users": [s.member2.pk], "confirm_credit": 1},
        follow=True,
    )
    assert f"该线下活动定于 {_d(later)} 举行，活动举行后才能上传佐证材料、计入学时" in _texts(
        response
    )
    assert not Participation.objects.filter(activity=a, user=s.member2).exists()
    assert not _standing(s.member2, a).exists()
