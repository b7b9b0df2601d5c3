"""The district's page of one school says which assigned expert cannot score it
and why (outside test 2, L2 and the later-place case left by outside test 3):
an expert whose role was removed, or who now holds a place in the school
(回避). Without it the district waits for scores that cannot come. The assign
form marks the district's experts who work in the school, as the district admin
sees it."""

import re

import pytest
from django.urls import reverse

from accounts.models import RegionRole, SchoolMembership, User
from assessment.models import ExpertAssignment

from . import factories as f
from . import factories_acceptance as fx
from .conftest import login

pytestmark = pytest.mark.django_db


def page(cast) -> str:
    district = login(cast.district_admin)
    response = district.get(reverse("assessment:district_acceptance", args=[cast.school.pk]))
    assert response.status_code == 200
    return response.content.decode()


def blocked_lines(html: str) -> list[str]:
    return re.findall(r"<span[^>]*data-blocked>(.*?)</span>", html)


def test_an_expert_placed_in_the_school_after_the_assignment_is_flagged(cast):
    fx.scheme(cast)
    fx.submitted(cast)
    fx.assign(cast, experts=[cast.expert, fx.expert(cast)])
    assert blocked_lines(page(cast)) == []
    SchoolMembership.objects.create(user=cast.expert, school=cast.school, is_teacher=True)
    assert blocked_lines(page(cast)) == [
        "陈专家是本校在职人员，须回避，不能评分：请取消分配，另派专家。"
    ]
    # The district acts on it: the assignment is cancelled from the same page.
    assignment = ExpertAssignment.objects.get(expert=cast.expert)
    login(cast.district_admin).post(reverse("assessment:expert_unassign", args=[assignment.pk]))
    assert not ExpertAssignment.objects.filter(expert=cast.expert).exists()
    assert blocked_lines(page(cast)) == []


def test_an_expert_whose_role_was_removed_is_flagged(cast):
    fx.scheme(cast)
    fx.submitted(cast)
    fx.assign(cast)
    RegionRole.objects.filter(user=cast.expert, kind=RegionRole.Kind.EXPERT).delete()
    assert blocked_lines(page(cast)) == [
        "陈专家已不再担任本区县的考核专家（或账号已停用），无法评分：请取消分配，另派专家。"
    ]


def test_an_expert_who_submitted_is_not_flagged(cast):
    fx.scheme(cast)
    fx.scored(cast)
    SchoolMembership.objects.create(user=cast.expert, school=cast.school, is_teacher=True)
    assert blocked_lines(page(cast)) == []


def test_the_assign_form_marks_an_expert_who_works_in_the_school(cast):
    fx.scheme(cast)
    fx.submitted(cast)
    other = fx.expert(cast)
    SchoolMembership.objects.create(user=cast.expert, school=cast.school, is_info_team=True)
    html = page(cast)
    mine = f'value="{cast.expert.pk}" id="expert-{cast.expert.pk}" disabled'
    assert mine in html and "（本校在职，须回避）" in html
    assert f'value="{other.pk}" id="expert-{other.pk}">' in html


def test_the_districts_list_marks_an_expert_to_replace(cast):
    fx.scheme(cast)
    fx.submitted(cast)
    other = fx.expert(cast)
    fx.assign(cast, experts=[cast.expert, other])
    district = login(cast.district_admin)
    url = reverse("assessment:district_acceptances")
    assert "须更换" not in district.get(url).content.decode()
    SchoolMembership.objects.create(user=cast.expert, school=cast.school, is_teacher=True)
    html = district.get(url).content.decode()
    marks = re.findall(r'<span class="text-danger small" data-blocked title="([^"]+)">', html)
    assert marks == ["陈专家是本校在职人员，须回避，不能评分：请取消分配，另派专家。"]


def test_an_expert_whose_account_is_switched_off_is_flagged_and_not_offered(cast):
    fx.scheme(cast)
    fx.submitted(cast)
    fx.assign(cast)
    User.objects.filter(pk=cast.expert.pk).update(is_active=False)
    html = page(cast)
    assert blocked_lines(html) == [
        "陈专家已不再担任本区县的考核专家（或账号已停用），无法评分：请取消分配，另派专家。"
    ]
    assert f'id="expert-{cast.expert.pk}"' not in html  # not offered in the form
    # Posted anyway, the form refuses it and stores nothing more.
    second = f.school(cast.district, "赤坎第二小学")
    district = login(cast.district_admin)
    response = district.post(
        reverse("assessment:expert_assign", args=[second.pk]), {"experts": [cast.expert.pk]}
    )
    assert "所选专家不是本区县的考核专家。" in district.get(response["Location"]).content.decode()
    assert ExpertAssignment.objects.filter(expert=cast.expert).count() == 1


def test_a_recused_expert_is_not_invited_to_score(cast):
    fx.scheme(cast)
    fx.submitted(cast)
    fx.assign(cast)
    expert = login(cast.expert)
    html = expert.get(reverse("assessment:expert_schools")).content.decode()
    assert "去评分" in html and "须回避" not in html
    SchoolMembership.objects.create(user=cast.expert, school=cast.school, is_teacher=True)
    html = expert.get(reverse("assessment:expert_schools")).content.decode()
    assert "须回避" in html and "去评分" not in html
    home = expert.get("/").content.decode()
    assert "为 1 所学校评分" not in home
