"""Completion of the school review is exactly: plan uploaded + 25 counted hours
+ a summary for each chosen point, with at least 3 chosen (seed 001 §十一).
One rule (assessment.selectors.COMPLETE) read by the teacher's path, the review
table and its counts."""

import pytest
from django.urls import reverse

from assessment.models import PointChoice
from assessment.selectors import review_counts, teacher_progress, teacher_progress_for

from . import factories_assessment as fm

pytest_plugins = ["tests.fixtures_assessment"]
pytestmark = pytest.mark.django_db


def progress(cast, teacher):
    return teacher_progress(teacher=teacher, cycle=cast.cycle)


def review_row(cast, as_user, teacher) -> dict:
    """The teacher's row of the school's review table, as the page shows it."""
    page = as_user(cast.school_admin).get(reverse("assessment:review"), {"q": teacher.real_name})
    [(_, _, _, cells)] = page.context["lines"]
    return dict(cells)


def test_a_complete_teacher_is_complete_everywhere(cast, as_user, mats):
    fm.complete(cast, cast.teacher, mats.keys[:3])
    assert progress(cast, cast.teacher).complete
    row = review_row(cast, as_user, cast.teacher)
    assert row["完成情况"] == "完成"
    assert (row["个人提升计划"], row["校本研修学时"], row["个人提升总结"]) == (
        "已上传",
        "25/25",
        "3/3",
    )
    assert review_counts(school_id=cast.school.pk, cycle=cast.cycle).complete == 1


def test_24_hours_is_not_complete(cast, as_user, mats):
    fm.give_hours(cast, cast.teacher, 24)
    fm.plan(cast, cast.teacher)
    fm.choose(cast, cast.teacher, mats.keys[:3])
    for p in mats.keys[:3]:
        fm.summary(cast, cast.teacher, p)
    p = progress(cast, cast.teacher)
    assert not p.complete and p.next_step.key == "hours"
    assert review_row(cast, as_user, cast.teacher)["校本研修学时"] == "24/25"
    assert review_row(cast, as_user, cast.teacher)["完成情况"] == "未完成"
    fm.give_hours(cast, cast.teacher, 1)
    assert progress(cast, cast.teacher).complete


def test_hours_above_25_count_as_25(cast, mats):
    fm.complete(cast, cast.teacher, mats.keys[:3])
    fm.give_hours(cast, cast.teacher, 10)
    p = progress(cast, cast.teacher)
    assert p.complete and str(p.totals) == "25/25" and p.totals.over_cap == 10


def test_three_of_four_summaries_is_not_complete(cast, as_user, mats):
    fm.give_hours(cast, cast.teacher, 25)
    fm.plan(cast, cast.teacher)
    fm.choose(cast, cast.teacher, mats.keys)
    for p in mats.keys[:3]:
        fm.summary(cast, cast.teacher, p)
    p = progress(cast, cast.teacher)
    assert not p.complete and p.summaries_text == "3/4" and p.next_step.key == "summaries"
    assert review_row(cast, as_user, cast.teacher)["个人提升总结"] == "3/4"
    fm.summary(cast, cast.teacher, mats.keys[3])
    assert progress(cast, cast.teacher).complete


def test_a_missing_plan_is_not_complete(cast, as_user, mats):
    fm.give_hours(cast, cast.teacher, 25)
    fm.choose(cast, cast.teacher, mats.keys[:3])
    for p in mats.keys[:3]:
        fm.summary(cast, cast.teacher, p)
    p = progress(cast, cast.teacher)
    assert not p.complete and not p.has_plan and p.next_step.key == "plan"
    assert review_row(cast, as_user, cast.teacher)["个人提升计划"] == "未上传"


def test_two_points_only_is_not_complete_even_with_both_summaries(cast, as_user, mats):
    fm.complete(cast, cast.teacher, mats.keys[:3])
    # The service refuses fewer than 3; a third choice lost (e.g. the point
    # was retired and removed by the operator) must not leave a complete 2/2.
    PointChoice.objects.filter(teacher=cast.teacher, point=mats.keys[2]).delete()
    p = progress(cast, cast.teacher)
    assert (p.point_count, p.summary_count) == (2, 2)
    assert not p.complete and p.next_step.key == "points"
    assert review_row(cast, as_user, cast.teacher)["个人提升总结"] == "2/3"


def test_the_service_refuses_fewer_than_three_points(cast, mats):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="请至少选择 3 个能力点（当前选了 2 个）"):
        fm.choose(cast, cast.teacher, mats.keys[:2])


def test_progress_of_many_teachers_costs_one_query(cast, mats, django_assert_num_queries):
    fm.complete(cast, cast.teacher, mats.keys[:3])
    fm.give_hours(cast, cast.teacher2, 7)
    with django_assert_num_queries(1):
        found = teacher_progress_for(
            teacher_ids=[cast.teacher.pk, cast.teacher2.pk, mats.leader.pk], cycle=cast.cycle
        )
    assert found[cast.teacher.pk].complete
    assert str(found[cast.teacher2.pk].totals) == "7/25"
    assert found[mats.leader.pk].summaries_text == "0/3"
