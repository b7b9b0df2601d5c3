"""Offline evidence proves an activity happened (DESIGN §2, issue 9 §3): none
before the activity's date, and the first evidence, which credits every
designated member at once, goes through only once the leader has confirmed
how many it credits ("将为 N 名组员计入 8 学时")."""

import datetime

import pytest
from django.urls import reverse

from activities.models import Evidence
from hours.models import HoursEntry

from . import factories_activities as fa

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def _designated(s, as_user, a):
    as_user(s.leader).post(
        reverse("activities:designate", args=[a.pk]), {"users": [s.member.pk, s.member2.pk]}
    )


def test_evidence_before_the_activitys_date_is_refused_naming_it(cast, s, as_user):
    day = fa.today() + datetime.timedelta(days=4)
    a = fa.activity(s, "offline", hours=8, held_on=day)
    _designated(s, as_user, a)
    leader = as_user(s.leader)
    page = leader.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert 'id="evidence-form"' not in page and f"定于 {day:%Y-%m-%d} 举行" in page
    response = leader.post(
        reverse("activities:evidence_add", args=[a.pk]),
        fa.evidence_data(a, "sign_in", fa.upload("签到表.pdf", fa.PDF)),
        follow=True,
    )
    assert f"该线下活动定于 {day:%Y-%m-%d} 举行，活动举行后才能上传佐证材料" in _messages(response)
    assert not Evidence.objects.exists()
    assert not HoursEntry.objects.exists()


def test_evidence_on_the_day_itself_is_accepted(cast, s, as_user):
    a = fa.activity(s, "offline", hours=8, held_on=fa.today())
    _designated(s, as_user, a)
    as_user(s.leader).post(
        reverse("activities:evidence_add", args=[a.pk]),
        fa.evidence_data(a, "sign_in", fa.upload("签到表.pdf", fa.PDF)),
    )
    assert HoursEntry.objects.filter(object_id=a.pk, kind="credit").count() == 2


def test_the_first_evidence_asks_the_leader_to_confirm_how_many_it_credits(cast, s, as_user):
    a = fa.activity(s, "offline", hours=8)
    _designated(s, as_user, a)
    leader = as_user(s.leader)
    page = leader.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert "确认：上传后将为 2 名组员计入 8 学时" in page
    assert 'name="confirm_credit"' in page and 'value="2"' in page and "required" in page
    # Sent without the tick: refused, nothing stored, nobody credited.
    response = leader.post(
        reverse("activities:evidence_add", args=[a.pk]),
        {**fa.once(), "kind": "sign_in", "file": fa.upload("签到表.pdf", fa.PDF)},
        follow=True,
    )
    assert "上传第一份佐证材料将为 2 名组员计入 8 学时，请勾选确认后再上传" in _messages(response)
    assert not Evidence.objects.exists() and not HoursEntry.objects.exists()
    # With the tick: stored, both credited.
    leader.post(
        reverse("activities:evidence_add", args=[a.pk]),
        {
            **fa.once(),
            "kind": "sign_in",
            "file": fa.upload("签到表.pdf", fa.PDF),
            "confirm_credit": "2",
        },
    )
    assert Evidence.objects.count() == 1
    assert HoursEntry.objects.filter(object_id=a.pk, kind="credit").count() == 2
    # Later evidence credits nobody new and asks nothing.
    page = leader.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert "确认：上传后将为" not in page
    leader.post(
        reverse("activities:evidence_add", args=[a.pk]),
        {**fa.once(), "kind": "photo", "file": fa.upload("现场.png", fa.PNG)},
    )
    assert Evidence.objects.count() == 2


def test_a_confirmation_for_another_number_is_asked_again(cast, s, as_user):
    a = fa.activity(s, "offline", hours=8)
    leader = as_user(s.leader)
    leader.post(reverse("activities:designate", args=[a.pk]), {"users": [s.member.pk]})
    seen = fa.evidence_data(a, "sign_in", fa.upload("签到表.pdf", fa.PDF))  # "1 名"
    # Meanwhile a second member is designated (another tab): the tick said 1.
    leader.post(reverse("activities:designate", args=[a.pk]), {"users": [s.member2.pk]})
    response = leader.post(reverse("activities:evidence_add", args=[a.pk]), seen, follow=True)
    assert "将为 2 名组员计入 8 学时" in _messages(response)
    assert not Evidence.objects.exists() and not HoursEntry.objects.exists()
