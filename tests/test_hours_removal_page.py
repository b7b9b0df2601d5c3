"""调岗移除 through its page: the school admin's confirmation reverses the
teacher's hours as well as clearing group membership (DESIGN.md §2)."""

import pytest
from django.urls import reverse

from accounts.models import SchoolMembership
from groups.models import ResearchGroup
from hours.models import HoursEntry
from hours.selectors import hours_totals
from hours.services import hours_credit

pytestmark = pytest.mark.django_db


def test_removal_page_shows_and_then_reverses_the_teachers_hours(cast, as_user):
    for n in range(3):
        src = ResearchGroup.objects.create(school=cast.school, name=f"活动{n}")
        hours_credit(
            teacher=cast.teacher,
            cycle=cast.cycle,
            school=cast.school,
            source=src,
            hours=5,
            category="研修作业",
        )
    membership = SchoolMembership.objects.get(user=cast.teacher, removed_at__isnull=True)
    url = reverse("hours:teacher_remove", args=[membership.pk])
    client = as_user(cast.school_admin)
    assert "3 条学时记录、共 15 学时将被冲销" in client.get(url).content.decode()

    response = client.post(url, {"reason": "调往霞山区", "confirm": "on"})

    assert response.status_code == 302
    assert hours_totals(teacher=cast.teacher, cycle=cast.cycle).recorded == 0
    assert HoursEntry.objects.filter(teacher=cast.teacher, kind="reversal").count() == 3
    membership.refresh_from_db()
    assert membership.removed_at is not None


@pytest.mark.parametrize("who", ["teacher", "info_team", "district_admin"])
def test_only_the_school_admin_may_remove(cast, as_user, who):
    membership = SchoolMembership.objects.get(user=cast.teacher2)
    url = reverse("hours:teacher_remove", args=[membership.pk])
    assert (
        as_user(getattr(cast, who)).post(url, {"reason": "x", "confirm": "on"}).status_code == 403
    )
    membership.refresh_from_db()
    assert membership.removed_at is None


def test_a_teacher_of_another_school_cannot_be_removed(cast, as_user):
    membership = SchoolMembership.objects.get(user=cast.outsider)
    url = reverse("hours:teacher_remove", args=[membership.pk])
    response = as_user(cast.school_admin).post(url, {"reason": "x", "confirm": "on"})
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.removed_at is None
