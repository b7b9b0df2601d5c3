"""The operator's admin may not end a place that carries records only
调岗移除 may clear (the school's groups the teacher is in or leads, standing
credits, activity work, materials): deleted there, the person kept leading
and seeing the school's groups and their hours went on counting. The delete
page names what stops it and deletes nothing, for one place, for 删除所选
and for the person whose places would go with them. A place that carries
nothing (made by mistake) may still be deleted."""

import pytest
from django.urls import reverse

from accounts.models import SchoolMembership, User
from groups.models import GroupMember, ResearchGroup

from . import factories as f
from . import factories_assessment as fm
from .conftest import login

pytestmark = pytest.mark.django_db

REFUSED = "不能在此删除"


def place(user) -> SchoolMembership:
    return SchoolMembership.objects.get(user=user, removed_at__isnull=True)


def test_a_leaders_place_is_not_deleted_and_the_page_says_why(cast):
    chinese = ResearchGroup.objects.create(school=cast.school, name="语文组", leader=cast.teacher)
    GroupMember.objects.create(group=chinese, user=cast.teacher)
    url = reverse("admin:accounts_schoolmembership_delete", args=[place(cast.teacher).pk])
    operator = login(cast.operator)
    page = operator.get(url).content.decode()
    assert "担任组长：语文组" in page and "所在教研组：语文组" in page and REFUSED in page

    assert operator.post(url, {"post": "yes"}).status_code == 200  # the page again
    assert SchoolMembership.objects.filter(user=cast.teacher, removed_at__isnull=True).exists()
    assert ResearchGroup.objects.get(pk=chinese.pk).leader == cast.teacher


def test_a_place_with_standing_credits_is_not_deleted(cast):
    fm.give_hours(cast, cast.teacher, 5)
    url = reverse("admin:accounts_schoolmembership_delete", args=[place(cast.teacher).pk])
    page = login(cast.operator).post(url, {"post": "yes"}).content.decode()
    assert "研修学时：1 条学时记录、共 5 学时将被冲销" in page and REFUSED in page
    assert SchoolMembership.objects.filter(user=cast.teacher).exists()


def test_bulk_delete_deletes_nothing_when_one_place_carries_records(cast):
    fm.give_hours(cast, cast.teacher, 5)
    mistaken = f.teacher(cast.school, "误建的老师")
    ids = [place(cast.teacher).pk, place(mistaken).pk]
    page = login(cast.operator).post(
        reverse("admin:accounts_schoolmembership_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert REFUSED in page.content.decode()
    assert SchoolMembership.objects.filter(pk__in=ids).count() == 2


def test_a_person_whose_place_carries_records_is_not_deleted(cast):
    # (Their credits alone stop it already: the operator may not delete ledger rows.)
    ResearchGroup.objects.create(school=cast.school, name="语文组", leader=cast.teacher)
    url = reverse("admin:accounts_user_delete", args=[cast.teacher.pk])
    page = login(cast.operator).post(url, {"post": "yes"}).content.decode()
    assert "担任组长：语文组" in page and REFUSED in page
    assert User.objects.filter(pk=cast.teacher.pk).exists()


def test_a_place_that_carries_nothing_is_deleted(cast):
    mistaken = f.teacher(cast.school, "误建的老师")
    url = reverse("admin:accounts_schoolmembership_delete", args=[place(mistaken).pk])
    assert login(cast.operator).post(url, {"post": "yes"}).status_code == 302
    assert not SchoolMembership.objects.filter(user=mistaken).exists()
