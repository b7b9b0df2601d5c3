"""Nobody decides their own case (DESIGN §2): a school admin who also teaches
cannot pass or fail their own 研修考核 (one by one or through 一键通过), and an
admin who leads a group or uploaded its case cannot rate that 典型案例 — another
admin of the school does. Driven through the pages' URLs."""

import pytest
from django.urls import reverse

from accounts.models import SchoolMembership
from assessment.models import TeacherReview

from . import factories_assessment as fm

pytest_plugins = ["tests.fixtures_assessment"]
pytestmark = pytest.mark.django_db


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def make_admin(user) -> None:
    SchoolMembership.objects.filter(user=user).update(is_school_admin=True)


def test_an_admin_who_teaches_cannot_pass_or_fail_themselves(cast, as_user, mats):
    fm.complete(cast, mats.leader, mats.keys[:3])
    make_admin(mats.leader)
    me = as_user(mats.leader)
    place = fm.place(mats.leader).pk
    response = me.post(reverse("assessment:review_pass", args=[place]), follow=True)
    assert "不能考核自己" in messages_of(response)
    response = me.post(
        reverse("assessment:review_fail", args=[place]), {"reason": "测试"}, follow=True
    )
    assert "不能考核自己" in messages_of(response)
    assert not TeacherReview.objects.filter(teacher=mats.leader).exclude(result="pending").exists()
    # Another admin of the school passes them.
    as_user(cast.school_admin).post(reverse("assessment:review_pass", args=[place]))
    assert TeacherReview.objects.get(teacher=mats.leader).result == "passed"


def test_pass_all_leaves_the_admin_who_clicks_it_to_another_admin(cast, as_user, mats):
    fm.complete(cast, mats.leader, mats.keys[:3])
    fm.complete(cast, cast.teacher, mats.keys[:3])
    make_admin(mats.leader)
    response = as_user(mats.leader).post(reverse("assessment:review_pass_all"), follow=True)
    assert "已通过 1 位材料齐全的教师" in messages_of(response)
    results = dict(TeacherReview.objects.values_list("teacher_id", "result"))
    assert results[cast.teacher.pk] == "passed"
    assert results.get(mats.leader.pk, "pending") == "pending"


def test_an_admin_cannot_rate_the_case_of_the_group_they_lead(cast, as_user, mats):
    case = fm.case(cast, mats)
    make_admin(mats.leader)
    url = reverse("assessment:case_rate", args=[case.pk])
    response = as_user(mats.leader).post(url, {"rating": "first"}, follow=True)
    assert "不能评定自己教研组的典型案例" in messages_of(response)
    case.refresh_from_db()
    assert case.rating == "unrated" and case.rated_by is None
    as_user(cast.school_admin).post(url, {"rating": "second"})
    case.refresh_from_db()
    assert (case.rating, case.rated_by) == ("second", cast.school_admin)
