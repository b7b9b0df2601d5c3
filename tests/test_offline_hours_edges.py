"""线下活动 hours at their edges, through the leader's form (issue 16 §3): the
leader sets 1 to 10 (DESIGN §2); 10 is accepted and credited in full, 0, 11 and
anything that is not a whole number are refused with a message in Chinese,
nothing stored, the form kept; the same on the edit form."""

import datetime

import pytest
from django.urls import reverse

from activities.models import Activity
from hours.models import HoursEntry

from . import factories_activities as fa

pytestmark = pytest.mark.django_db

RANGE = "线下活动学时须在 1 到 10 之间。"
WHOLE = "线下活动学时须为 1 到 10 之间的整数。"


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


def form(day, hours, **extra):
    return {
        **fa.once(),
        "kind": "offline",
        "title": "集中备课",
        "held_on": f"{day:%Y-%m-%d}",
        "opens_on": f"{day:%Y-%m-%d}",
        "closes_on": f"{day + datetime.timedelta(days=3):%Y-%m-%d}",
        "hours_value": hours,
        **extra,
    }


def test_ten_hours_are_accepted_and_credited_in_full(cast, s, as_user):
    topic = fa.topic(s)
    day = fa.today() - datetime.timedelta(days=1)  # held already: it takes evidence
    leader = as_user(s.leader)
    response = leader.post(reverse("activities:activity_new", args=[topic.pk]), form(day, "10"))
    assert response.status_code == 302
    a = Activity.objects.get(topic=topic)
    assert a.hours_value == 10
    leader.post(reverse("activities:activity_publish", args=[a.pk]))
    leader.post(reverse("activities:designate", args=[a.pk]), {"users": [s.member.pk]})
    leader.post(
        reverse("activities:evidence_add", args=[a.pk]),
        fa.evidence_data(a, "sign_in", fa.upload("签到表.pdf", fa.PDF)),
    )
    assert HoursEntry.objects.get(teacher=s.member).hours == 10


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("0", RANGE),
        ("11", RANGE),
        ("-1", RANGE),
        ("100000", RANGE),
        ("", "请填写线下活动的学时（1 到 10）。"),
        ("abc", WHOLE),
        ("1.5", WHOLE),
        ("十", WHOLE),
    ],
)
def test_hours_outside_one_to_ten_are_refused_with_a_message(s, as_user, hours, message):
    topic = fa.topic(s)
    day = fa.today() + datetime.timedelta(days=2)
    response = as_user(s.leader).post(
        reverse("activities:activity_new", args=[topic.pk]), form(day, hours)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="集中备课"' in page  # what the leader typed is kept
    assert not Activity.objects.filter(topic=topic).exists()


@pytest.mark.parametrize(("hours", "message"), [("0", RANGE), ("11", RANGE), ("x", WHOLE)])
def test_the_edit_form_refuses_them_too(s, as_user, hours, message):
    a = fa.activity(s, "offline", hours=4, publish=False)
    data = form(a.held_on, hours)
    data.update(opens_on=f"{a.opens_on:%Y-%m-%d}", closes_on=f"{a.closes_on:%Y-%m-%d}")
    response = as_user(s.leader).post(reverse("activities:activity_edit", args=[a.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    a.refresh_from_db()
    assert a.hours_value == 4
    data["hours_value"] = "10"
    as_user(s.leader).post(reverse("activities:activity_edit", args=[a.pk]), data)
    a.refresh_from_db()
    assert a.hours_value == 10
