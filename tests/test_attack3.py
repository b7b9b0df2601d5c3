"""Outside test 3 (/work/reports/attack-3.md): the member picker finds a
colleague by their whole phone number only (a part would let a leader read
numbers digit by digit from how many match); odd numbers in ?page= and ?cycle=
("²", a page past any offset) answer a page, never a 500; an admin who is a
member of a group cannot rate its typical case."""

import pytest
from django.urls import reverse

from accounts.models import SchoolMembership, User
from groups.models import GroupMember

from . import factories as f
from . import factories_activities as fa
from . import factories_assessment as fm
from .conftest import login

pytest_plugins = ["tests.fixtures_assessment"]
pytestmark = pytest.mark.django_db

ADD = "groups:member_add"


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


def test_the_picker_matches_a_whole_phone_number_only(cast, s):
    colleague = f.teacher(cast.school, "新来的老师")
    phone = User.objects.get(pk=colleague.pk).phone
    assert phone and len(phone) == 11
    leader = login(s.leader)
    url = reverse(ADD, args=[s.group.pk])
    whole = [u.pk for u in leader.get(url, {"q": phone}).context["page"]]
    assert whole == [colleague.pk]
    for part in (phone[:10], phone[1:], phone[:7]):
        assert list(leader.get(url, {"q": part}).context["page"]) == []


@pytest.mark.parametrize("page", ["²", "٣", "9223372036854775807", "-1", "0"])
def test_odd_page_numbers_answer_a_page(cast, s, page):
    response = login(s.leader).get(reverse(ADD, args=[s.group.pk]), {"page": page})
    assert response.status_code == 200


@pytest.mark.parametrize("cycle", ["²", "٣", "99999999999999999999", "abc"])
def test_odd_cycle_numbers_fall_back_to_the_current_cycle(cast, as_user, cycle):
    listing = as_user(cast.district_admin).get(
        reverse("assessment:district_acceptances"), {"cycle": cycle}
    )
    assert listing.status_code == 200 and listing.context["cycle"] == cast.cycle
    assert (
        as_user(cast.expert).get(reverse("assessment:expert_schools"), {"cycle": cycle}).status_code
        == 200
    )


def test_an_admin_who_is_a_member_cannot_rate_the_groups_case(cast, as_user, mats):
    case = fm.case(cast, mats)
    SchoolMembership.objects.filter(user=cast.teacher).update(is_school_admin=True)
    assert GroupMember.objects.filter(group=mats.chinese, user=cast.teacher).exists()
    response = as_user(cast.teacher).post(
        reverse("assessment:case_rate", args=[case.pk]), {"rating": "first"}, follow=True
    )
    assert "不能评定自己教研组的典型案例" in " ".join(str(m) for m in response.context["messages"])
    case.refresh_from_db()
    assert case.rating == "unrated"
