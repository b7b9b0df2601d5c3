"""Issue 15: the school admin's home reads the review's count line and how many
teachers lack something from the school's kept figures (SchoolStats), not by
counting every teacher's materials per view. Every write that changes them
refreshes the row in its own transaction: the home says, after each step of a
teacher's year, what the sources say — materials uploaded through the
teacher's pages, hours crossing 25 both ways, a review failed and reopened,
evaluations passed — and `school_stats_check` finds nothing to mend. The
concurrent case: test_issue15_kept_review_pg.py."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessment import services as materials
from assessment.models import SchoolStats
from assessment.selectors.lacking import review_and_lacking_counts
from assessment.selectors.stats import school_stats_mismatches
from hours.services import ReversalRefused, hours_reverse

from . import factories_assessment as fm
from .conftest import login

pytestmark = pytest.mark.django_db


def home_figures(client) -> tuple[str, int, int]:
    """(the review's count line, teachers waiting for review, teachers lacking
    something) as the school admin's home shows them."""
    page = client.get(reverse("home")).content.decode()
    line = re.search(r"共 \d+ 人 · 完成 \d+ · 通过 \d+ · 不通过 \d+", page).group(0)
    waiting = re.search(r"研修考核：(\d+) 位教师已完成，待考核", page)
    lacking = re.search(r"(\d+) 位教师还有未完成项", page)
    return line, int(waiting.group(1)) if waiting else 0, int(lacking.group(1)) if lacking else 0


def from_sources(cast) -> tuple[str, int, int]:
    review, lacks = review_and_lacking_counts(school_id=cast.school.pk, cycle=cast.cycle)
    return review.line, review.waiting, lacks.lacking


def agree(cast, admin) -> tuple[str, int, int]:
    shown = home_figures(admin)
    assert shown == from_sources(cast)
    # 研修考核 reads its count line from the same kept figures.
    assert shown[0] in admin.get(reverse("assessment:review")).content.decode()
    assert not list(school_stats_mismatches(cycle=cast.cycle))
    return shown


def test_the_homes_review_and_lacking_counts_follow_every_write(cast):
    mats = fm.mats_setup(cast)  # 6 teachers
    chosen = mats.keys[:3]
    admin, teacher = login(cast.school_admin), login(cast.teacher)
    assert agree(cast, admin) == ("共 6 人 · 完成 0 · 通过 0 · 不通过 0", 0, 6)

    # 25 hours, the points and the summaries, through the teacher's own
    # pages: not complete without the plan; the plan, last, completes it.
    fm.give_hours(cast, cast.teacher, 25)
    points = {"points": [p.pk for p in chosen]}
    assert teacher.post(reverse("assessment:points"), points).status_code == 302
    for point in chosen:
        url = reverse("assessment:summary_upload", args=[point.pk])
        assert teacher.post(url, {"file": fm.upload("总结.docx", fm.DOCX)}).status_code == 302
    assert agree(cast, admin) == ("共 6 人 · 完成 0 · 通过 0 · 不通过 0", 0, 6)
    plan = teacher.post(reverse("assessment:plan_upload"), {"file": fm.upload("计划.pdf")})
    assert plan.status_code == 302
    assert agree(cast, admin) == ("共 6 人 · 完成 1 · 通过 0 · 不通过 0", 1, 6)

    # Another teacher whose last summary completes them.
    second = login(cast.teacher2)
    fm.give_hours(cast, cast.teacher2, 25)
    fm.plan(cast, cast.teacher2)
    fm.choose(cast, cast.teacher2, chosen)
    for point in chosen[:2]:
        fm.summary(cast, cast.teacher2, point)
    assert agree(cast, admin) == ("共 6 人 · 完成 1 · 通过 0 · 不通过 0", 1, 6)
    url = reverse("assessment:summary_upload", args=[chosen[2].pk])
    assert second.post(url, {"file": fm.upload("总结.docx", fm.DOCX)}).status_code == 302
    assert agree(cast, admin) == ("共 6 人 · 完成 2 · 通过 0 · 不通过 0", 2, 6)

    # Failed, then a summary replaced: back to 待考核.
    place = fm.place(cast.teacher)
    materials.review_fail(membership=place, cycle=cast.cycle, by=cast.school_admin, reason="短")
    assert agree(cast, admin) == ("共 6 人 · 完成 2 · 通过 0 · 不通过 1", 1, 6)
    url = reverse("assessment:summary_upload", args=[chosen[0].pk])
    assert teacher.post(url, {"file": fm.upload("总结2.docx", fm.DOCX)}).status_code == 302
    assert agree(cast, admin) == ("共 6 人 · 完成 2 · 通过 0 · 不通过 0", 2, 6)

    # Every chosen point 合格: the teacher lacks nothing more; then passed.
    for point in chosen:
        evaluation = fm.submit_evaluation(cast, cast.teacher, point)
        materials.evaluation_assess(evaluation=evaluation, by=cast.info_team, result="passed")
    assert agree(cast, admin) == ("共 6 人 · 完成 2 · 通过 0 · 不通过 0", 2, 5)
    materials.review_pass(membership=place, cycle=cast.cycle, by=cast.school_admin)
    assert agree(cast, admin) == ("共 6 人 · 完成 2 · 通过 1 · 不通过 0", 1, 5)

    # The 25 hours taken back, then credited again: across 25 both ways, for
    # the teacher not yet passed (a pass keeps its hours: hours.passed).
    with pytest.raises(ReversalRefused):
        hours_reverse(
            teacher=cast.teacher, source=cast.teacher.hours_entries.get().source, reason="撤回"
        )
    source = cast.teacher2.hours_entries.get().source
    hours_reverse(teacher=cast.teacher2, source=source, reason="撤回")
    assert agree(cast, admin) == ("共 6 人 · 完成 1 · 通过 1 · 不通过 0", 0, 5)
    fm.give_hours(cast, cast.teacher2, 25)
    assert agree(cast, admin) == ("共 6 人 · 完成 2 · 通过 1 · 不通过 0", 1, 5)
    call_command("school_stats_check")


def test_a_row_kept_before_the_counts_existed_is_computed_afresh(cast):
    """The migration drops rows kept without these columns; a missing row is
    computed when the home first reads it (here: deleted, as after it)."""
    mats = fm.mats_setup(cast)
    fm.complete(cast, cast.teacher, mats.keys[:3])
    admin = login(cast.school_admin)
    agree(cast, admin)
    SchoolStats.objects.all().delete()
    assert agree(cast, admin) == ("共 6 人 · 完成 1 · 通过 0 · 不通过 0", 1, 6)
