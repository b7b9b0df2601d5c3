"""调岗移除 clears the teacher's plan, choices, summaries, evaluations and review
(DESIGN §2): they stop counting and showing anywhere; the audit row records
what was cleared. The removal page lives in assessment now."""

import pytest
from django.urls import reverse

from accounts.models import SchoolMembership
from assessment.models import (
    AbilityEvaluation,
    AbilitySummary,
    ImprovementPlan,
    PointChoice,
    TeacherReview,
)
from assessment.selectors import evaluation_gate, review_counts, teacher_progress
from groups.models import TeacherRemoval

from . import factories_assessment as fm

pytest_plugins = ["tests.fixtures_assessment"]
pytestmark = pytest.mark.django_db


def remove(client, user, reason="调往霞山区"):
    url = reverse("assessment:teacher_remove", args=[fm.place(user).pk])
    return client.post(url, {"reason": reason, "confirm": "on"})


def test_the_confirmation_names_the_materials_that_will_be_cleared(cast, as_user, mats):
    fm.complete(cast, cast.teacher, mats.keys[:3])
    fm.fill_evidence(cast, cast.teacher, mats.keys[0])
    url = reverse("assessment:teacher_remove", args=[fm.place(cast.teacher).pk])
    body = as_user(cast.school_admin).get(url).content.decode()
    assert "个人提升计划 1 份、所选能力点 3 个、提升总结 3 份、能力点测评 1 项" in body
    assert "25 学时将被冲销" in body


def test_removal_clears_materials_from_every_page_and_keeps_them_on_record(cast, as_user, mats):
    fm.complete(cast, cast.teacher, mats.keys[:3])
    evaluation = fm.submit_evaluation(cast, cast.teacher, mats.keys[0])
    admin = as_user(cast.school_admin)
    admin.post(reverse("assessment:review_pass", args=[fm.place(cast.teacher).pk]))
    plan = ImprovementPlan.objects.get(teacher=cast.teacher)
    summary = AbilitySummary.objects.filter(teacher=cast.teacher).first()
    assert remove(admin, cast.teacher).status_code == 302

    removal = TeacherRemoval.objects.get(teacher=cast.teacher)
    assert removal.cleared["plans"] == 1
    assert removal.cleared["point_choices"] == 3
    assert removal.cleared["summaries"] == 3
    assert removal.cleared["evaluations"] == 1
    assert removal.cleared["reviews"] == 1
    assert removal.cleared["hours_credits"] == 1
    # Kept, archived: the record behind the audit row.
    for model in (ImprovementPlan, PointChoice, AbilitySummary, AbilityEvaluation, TeacherReview):
        assert model.objects.filter(teacher=cast.teacher).exists()
        assert not model.objects.live().filter(teacher=cast.teacher).exists()
    # Shown nowhere, counted nowhere.
    table = admin.get(reverse("assessment:review")).context["lines"]
    assert "李老师" not in [m.user.real_name for _, m, _, _ in table]
    assert review_counts(school_id=cast.school.pk, cycle=cast.cycle).passed == 0
    assert admin.get(reverse("assessment:plan_file", args=[plan.pk])).status_code == 404
    assert admin.get(reverse("assessment:summary_file", args=[summary.pk])).status_code == 404
    info = as_user(cast.info_team)
    assert "李老师" not in info.get(reverse("assessment:register")).content.decode()
    assert (
        info.get(reverse("assessment:evaluation_detail", args=[evaluation.pk])).status_code == 404
    )
    leader = as_user(mats.leader)
    assert (
        leader.get(reverse("assessment:leader_evaluation", args=[evaluation.pk])).status_code == 404
    )
    listing = admin.get(reverse("groups:removals")).content.decode()
    assert "研修材料：提升计划 1、能力点 3、提升总结 3、测评 1" in listing


def test_a_teacher_placed_again_starts_afresh(cast, as_user, mats):
    fm.complete(cast, cast.teacher, mats.keys[:3])
    remove(as_user(cast.school_admin), cast.teacher)
    SchoolMembership.objects.create(user=cast.teacher, school=cast.school, is_teacher=True)
    progress = teacher_progress(teacher=cast.teacher, cycle=cast.cycle)
    assert (progress.has_plan, progress.point_count, progress.summary_count) == (False, 0, 0)
    assert progress.result == "pending" and str(progress.totals) == "0/25"
    # The archived rows do not block new ones (uniqueness holds among live rows).
    fm.plan(cast, cast.teacher)
    fm.choose(cast, cast.teacher, mats.keys[:3])
    assert ImprovementPlan.objects.live().filter(teacher=cast.teacher).count() == 1


def test_a_removed_teacher_no_longer_counts_in_the_gate(cast, mats):
    from assessment.models import AbilityEvaluation as E
    from assessment.services import teacher_remove

    fm.choose(cast, cast.teacher, mats.keys[:3])
    for p in mats.keys[:3]:
        E.objects.create(
            teacher=cast.teacher, school=cast.school, cycle=cast.cycle, point=p, status="passed"
        )
    before = evaluation_gate(school=cast.school, cycle=cast.cycle)
    teacher_remove(membership=fm.place(cast.teacher), by=cast.school_admin, reason="调岗")
    after = evaluation_gate(school=cast.school, cycle=cast.cycle)
    assert (before.passed, after.passed) == (1, 0)
    assert after.full_time_total == before.full_time_total - 1


def test_a_removed_teacher_cannot_upload_any_more(cast, as_user, mats):
    from django.core.exceptions import ValidationError

    from assessment.services import plan_upload, teacher_remove

    teacher_remove(membership=fm.place(cast.teacher), by=cast.school_admin, reason="调岗")
    with pytest.raises(ValidationError, match="你已不是本校在职教师"):
        plan_upload(
            teacher=cast.teacher, school=cast.school, cycle=cast.cycle, upload=fm.upload("计划.pdf")
        )
    assert not ImprovementPlan.objects.exists()
