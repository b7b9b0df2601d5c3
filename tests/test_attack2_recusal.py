"""回避 (outside test 2, M1): an expert who holds a place in a school (teacher,
admin, info team) is never assigned to it and never scores it. Through the
district's assign forms and the expert's scoring page, as those roles."""

import pytest
from django.urls import reverse

from accounts.models import SchoolMembership
from assessment.models import ExpertAssignment, ExpertScore
from assessment.selectors.acceptance import rubric_of

from . import factories as f
from . import factories_acceptance as fx
from .conftest import login

pytestmark = pytest.mark.django_db


def message_after(client, response) -> str:
    return client.get(response["Location"]).content.decode()


def place(user, school, **roles) -> None:
    """The expert's place in the school, as a roster add or transfer makes it."""
    SchoolMembership.objects.create(user=user, school=school, **roles)


def scores_post(acceptance) -> dict:
    data = {}
    for item in rubric_of(acceptance.scheme).items:
        data[f"points_{item.pk}"] = str(item.max_points)
        data[f"text_{item.pk}"] = "材料齐全"
    return data


@pytest.mark.parametrize(
    "roles",
    [{"is_teacher": True}, {"is_school_admin": True, "is_teacher": False}, {"is_info_team": True}],
)
def test_the_district_cannot_assign_an_expert_to_their_own_school(cast, roles):
    fx.scheme(cast)
    place(cast.expert, cast.school, **roles)
    district = login(cast.district_admin)
    response = district.post(
        reverse("assessment:expert_assign", args=[cast.school.pk]), {"experts": [cast.expert.pk]}
    )
    page = message_after(district, response)
    assert "陈专家是赤坎第一小学的在职人员，须回避，不能评审该校的整校推进验收。" in page
    assert not ExpertAssignment.objects.exists()


def test_assigning_many_schools_refuses_the_whole_choice_naming_the_pair(cast):
    fx.scheme(cast)
    second = f.school(cast.district, "赤坎第二小学")
    place(cast.expert, second)
    other_expert = fx.expert(cast, "林专家")
    district = login(cast.district_admin)
    response = district.post(
        reverse("assessment:experts_assign_many"),
        {"schools": [cast.school.pk, second.pk], "experts": [cast.expert.pk, other_expert.pk]},
    )
    assert "陈专家是赤坎第二小学的在职人员，须回避" in message_after(district, response)
    assert not ExpertAssignment.objects.exists()
    # Without the school they work in, the same expert is assigned.
    district.post(
        reverse("assessment:experts_assign_many"),
        {"schools": [cast.school.pk], "experts": [cast.expert.pk]},
    )
    assert ExpertAssignment.objects.filter(expert=cast.expert).count() == 1


def test_a_removed_place_does_not_hold_the_expert_back(cast):
    from django.utils import timezone

    fx.scheme(cast)
    place(cast.expert, cast.school)
    SchoolMembership.objects.filter(user=cast.expert).update(removed_at=timezone.now())
    district = login(cast.district_admin)
    district.post(
        reverse("assessment:expert_assign", args=[cast.school.pk]), {"experts": [cast.expert.pk]}
    )
    assert ExpertAssignment.objects.filter(expert=cast.expert).count() == 1


def test_an_expert_placed_in_the_school_after_the_assignment_cannot_score_it(cast):
    fx.scheme(cast)
    a = fx.submitted(cast)
    fx.assign(cast)
    place(cast.expert, cast.school)
    expert = login(cast.expert)
    # The score page says so before they type anything (outside test 3, L3).
    page = expert.get(reverse("assessment:expert_score", args=[a.pk])).content.decode()
    assert 'id="recusal"' in page and "须回避" in page and "取消对你的分配" in page
    for name in ("expert_score_save", "expert_score_submit"):
        response = expert.post(reverse(f"assessment:{name}", args=[a.pk]), scores_post(a))
        assert response.status_code == 400
        assert "陈专家是赤坎第一小学的在职人员，须回避" in response.content.decode()
    assert not ExpertScore.objects.exists()
    assignment = a.assignments.get()
    assert assignment.submitted_at is None
    a.refresh_from_db()
    assert a.status == "submitted"
