"""The school home page's progress line, and the fixed query cost of the school
home page and the group list at 30 and at 300 teachers."""

import pytest
from django.urls import reverse

from groups.selectors import group_progress

from . import factories as f
from .factories_groups import group

pytest_plugins = ["tests.fixtures_groups"]  # `grouped`

pytestmark = pytest.mark.django_db


def test_school_home_shows_the_progress_line_and_who_is_in_no_group(cast, as_user, grouped):
    response = as_user(cast.school_admin).get(reverse("home"))
    text = response.content.decode()
    # Teachers: 李老师, 王老师 (语文组), 数学组长 (数学组), 信息组老师 (none).
    assert "共组建 2 个教研组（3 人已加入教研组，1 人未加入）" in text
    without = response.context["setup"].progress.without_group
    assert [m.user.real_name for m in without] == ["信息组老师"]
    assert "数学组长" in text and "语文组" in text


def test_archived_groups_and_other_schools_do_not_count(cast, grouped):
    grouped.maths.archived_at = grouped.maths.created_at
    grouped.maths.save(update_fields=["archived_at"])
    progress = group_progress(school_id=cast.school.pk)
    assert progress.line == "共组建 1 个教研组（2 人已加入教研组，2 人未加入）"


def _grow_school(school, teachers: int, groups: int = 6, first: int = 0):
    people = [f.teacher(school) for _ in range(teachers)]
    for i in range(groups):
        group(
            school, f"第{first + i}组", leader=people[i], members=people[i::groups][: teachers // 3]
        )
    return people


def _theme(cast):
    from groups.services import theme_save

    from .factories_groups import points

    theme_save(
        school=cast.school,
        cycle=cast.cycle,
        title="多技术融合",
        description="",
        key_points=points("A3", "A13", "G2"),
        by=cast.school_admin,
    )


def test_school_home_group_list_and_export_cost_the_same_queries_at_30_and_300_teachers(
    cast, as_user, django_assert_num_queries
):
    client = as_user(cast.school_admin)
    _theme(cast)
    _grow_school(cast.school, 30)
    client.get(reverse("home"))  # the session is written on the first request
    # Home: session, user, role grants (one query), school, counts,
    # cycle, theme, its key points, plan, groups, progress counts, teachers in no group,
    # leaders' hours waiting for confirmation, the teachers' hours progress (one
    # aggregate), the review's count line, groups without a typical case, the
    # navbar's unread-message count; the plan-consistency count (issue 14): plan,
    # live groups, their published topics, their activities, their group plans' points;
    # how many teachers lack something (issue 13, one aggregate); the district's
    # published acceptance scheme (issue 12: none here, so nothing more).
    with django_assert_num_queries(24):
        assert "共组建 6 个教研组" in client.get(reverse("home")).content.decode()
    # List: session, user, role grants, school, the
    # (searched) groups, the progress line's groups and counts, the unread count.
    with django_assert_num_queries(8):
        client.get(reverse("groups:list"), {"q": "组"})
    # Export: session, user, role grants, school, groups,
    # their members, teachers in no group.
    with django_assert_num_queries(7):
        client.get(reverse("groups:list"), {"export": "xlsx"})
    _grow_school(cast.school, 270, groups=4, first=6)
    with django_assert_num_queries(24):
        assert "共组建 10 个教研组" in client.get(reverse("home")).content.decode()
    with django_assert_num_queries(8):
        client.get(reverse("groups:list"), {"q": "组"})
    with django_assert_num_queries(7):
        client.get(reverse("groups:list"), {"export": "xlsx"})
