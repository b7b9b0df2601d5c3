"""The 403 page says why and offers the role menu only to someone who holds
another role: a teacher with one role is not sent looking for a menu that
is not there."""

import pytest
from django.urls import reverse

from . import factories as f
from .conftest import login

pytestmark = pytest.mark.django_db

# The school's 研修考核 list: school admins only.
SCHOOL_ONLY = "assessment:review"


def test_a_teacher_with_one_role_is_not_pointed_to_a_role_menu(cast):
    response = login(cast.teacher).get(reverse(SCHOOL_ONLY))
    page = response.content.decode()
    assert response.status_code == 403
    assert "没有权限" in page and "角色菜单" not in page


def test_someone_with_two_roles_is_told_to_switch(cast):
    from groups.models import ResearchGroup

    leader = f.teacher(cast.school, "组长")
    ResearchGroup.objects.create(school=cast.school, name="语文组", leader=leader)
    response = login(leader).get(reverse(SCHOOL_ONLY))
    assert response.status_code == 403
    assert "请使用右上角的角色菜单切换" in response.content.decode()
