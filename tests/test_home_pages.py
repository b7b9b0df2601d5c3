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
    [label] = [label for label, _ in steps if s.group.name in label]
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
    assert not [label for label, _ in steps if s.group.name in label]
