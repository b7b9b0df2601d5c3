"""The school home page's progress line, and the fixed query cost of the school
home page and the group list at 30 and at 300 teachers."""

import pytest
from django.urls import reverse

from accounts.figures import school_figures_changed
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
    # The roster's services keep the school's figures as they place teachers.
    school_figures_changed(school_ids=[school.pk])
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
    # Home: session, user, role grants (one query), school, cycle, the school's
    # kept figures (teachers, full-time, the hours picture: one SchoolStats row),
    # theme, its key points, plan, groups, the first teachers in no group with
    # how many they are (the progress line's counts, with the kept figures),
    # leaders' hours waiting for confirmation (the review's count line and how
    # many teachers lack something are kept figures too), groups without a
    # typical case, the district's published acceptance scheme with the
    # school's acceptance (issue 12: one query); the plan-consistency count (issue 14: the plan and groups
    # above, their published topics with their points, their activities, their
    # group plans' points); the navbar's unread-message count.
    with django_assert_num_queries(18):
        page = client.get(reverse("home")).content.decode()
    assert "共组建 6 个教研组（30 人已加入教研组，3 人未加入）" in page
    # List: session, user, role grants, school, the
    # (searched) groups, the progress line's groups and counts, the cycle and
    # whether the acceptance holds the groups (no 创建教研组 then), the unread count.
    with django_assert_num_queries(10):
        client.get(reverse("groups:list"), {"q": "组"})
    # Export: session, user, role grants, school, groups,
    # their members, teachers in no group.
    with django_assert_num_queries(7):
        client.get(reverse("groups:list"), {"export": "xlsx"})
    _grow_school(cast.school, 270, groups=4, first=6)
    with django_assert_num_queries(18):
        page = client.get(reverse("home")).content.decode()
    assert "共组建 10 个教研组（300 人已加入教研组，3 人未加入）" in page
    assert '<div class="fs-3">303</div>' in page  # 教师, from the kept figures
    with django_assert_num_queries(10):
        client.get(reverse("groups:list"), {"q": "组"})
    with django_assert_num_queries(7):
        client.get(reverse("groups:list"), {"export": "xlsx"})
