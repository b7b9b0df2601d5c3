"""Each role's home page says what to do next, from what the apps know."""

import pytest
from django.urls import reverse

from . import factories_activities as fa

pytestmark = pytest.mark.django_db


def test_teacher_home_lists_their_groups_with_full_member_counts(cast, as_user):
    s = fa.group_setup(cast)
    body = as_user(cast.teacher).get(reverse("home")).content.decode()
    assert f"{s.group.name}" in body
    # 周组长, 李老师 and 王老师: not only the teacher's own row.
    assert "组长：周组长 · 3 人" in body


def test_leader_home_names_what_the_groups_coverage_still_misses(cast, as_user):
    s = fa.group_setup(cast)
    fa.activity(s, "discussion", t=fa.topic(s, points=s.points[:1]))
    steps = as_user(s.leader).get(reverse("home")).context["steps"]
    # The coverage step (other steps, e.g. the typical case, name the group too).
    [label] = [label for label, url in steps if url == "activities:leading"]
    assert "研修作业" in label and "听课评课" in label and "线下活动" in label
    assert "教学研讨" not in label
    assert s.points[0].code not in label
    assert s.points[1].code in label and s.points[2].code in label


def test_leader_home_has_no_coverage_step_once_everything_is_covered(cast, as_user):
    s = fa.group_setup(cast)
    t = fa.topic(s, points=s.points)
    for kind in ("discussion", "homework", "observation", "offline"):
        fa.activity(s, kind, t=t, **({"hours": 4} if kind == "offline" else {}))
    steps = as_user(s.leader).get(reverse("home")).context["steps"]
    assert not [label for label, url in steps if url == "activities:leading"]


def test_district_home_counts_schools_that_have_no_group_yet(cast, as_user):
    from groups.services import group_create

    steps = dict(as_user(cast.district_admin).get(reverse("home")).context["steps"])
    assert "督促 1 所尚未组建教研组的学校" in steps
    group_create(school=cast.school, name="语文组", leader=None, by=cast.school_admin)
    steps = dict(as_user(cast.district_admin).get(reverse("home")).context["steps"])
    assert not any("尚未组建教研组" in label for label in steps)


def test_operator_is_asked_to_set_a_cycle_when_none_is_open(cast, as_user):
    from accounts.models import Cycle

    assert as_user(cast.operator).get(reverse("home")).context["steps"] == []
    Cycle.objects.all().delete()
    [(label, _)] = as_user(cast.operator).get(reverse("home")).context["steps"]
    assert label == "设置当前的研修周期"


def test_a_school_must_hang_on_a_district(cast):
    from django.core.exceptions import ValidationError

    from accounts.models import School

    school = School(name="挂错的学校", code="X1", region=cast.district.parent)
    with pytest.raises(ValidationError, match="学校必须属于一个区县"):
        school.full_clean()


def test_teacher_home_counts_unread_messages_once(cast, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    s = fa.group_setup(cast)
    fa.activity(s, "discussion")  # publishing notifies the members
    client = as_user(cast.teacher)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(reverse("home")).content.decode()
    counts = [
        q
        for q in ctx.captured_queries
        if "accounts_notification" in q["sql"] and "COUNT" in q["sql"].upper()
    ]
    assert len(counts) == 1  # the navbar badge and the next step share it
    assert "查看 1 条未读消息" in body
