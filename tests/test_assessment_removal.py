"""调岗移除 clears the teacher's plan, choices, summaries, evaluations and review
(DESIGN §2): assessment's clearer (registered with groups.removal) archives
them into the removal's audit trail and deletes them, so they count and show
nowhere; the audit row records what was cleared. Typical cases stay: they are
the group's."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from accounts.models import SchoolMembership
from assessment.models import (
    AbilityEvaluation,
    AbilitySummary,
    EvaluationEvidence,
    ImprovementPlan,
    PointChoice,
    ReviewDecision,
    TeacherReview,
    TypicalCase,
)
from assessment.selectors import evaluation_gate, review_counts, teacher_progress
from assessment.services import case_create
from groups.models import ClearedRecord, TeacherRemoval

from . import factories_assessment as fm

pytest_plugins = ["tests.fixtures_assessment"]
pytestmark = pytest.mark.django_db


def remove(client, user, reason="调往霞山区"):
    url = reverse("hours:teacher_remove", args=[fm.place(user).pk])
    return client.post(url, {"reason": reason, "confirm": "on"})


def test_the_confirmation_names_the_materials_that_will_be_cleared(cast, as_user, mats):
    fm.complete(cast, cast.teacher, mats.keys[:3])
    fm.fill_evidence(cast, cast.teacher, mats.keys[0])
    url = reverse("hours:teacher_remove", args=[fm.place(cast.teacher).pk])
    body = as_user(cast.school_admin).get(url).content.decode()
    assert "研修材料：个人提升计划 1 份、所选能力点 3 个、提升总结 3 份、能力点测评 1 项" in body
    other = reverse("hours:teacher_remove", args=[fm.place(cast.teacher2).pk])
    assert "研修材料：暂无" in as_user(cast.school_admin).get(other).content.decode()


def test_removal_clears_materials_from_every_page_and_keeps_them_on_record(cast, as_user, mats):
    fm.complete(cast, cast.teacher, mats.keys[:3])
    evaluation = fm.submit_evaluation(cast, cast.teacher, mats.keys[0])
    admin = as_user(cast.school_admin)
    admin.post(reverse("assessment:review_pass", args=[fm.place(cast.teacher).pk]))
    plan = ImprovementPlan.objects.get(teacher=cast.teacher)
    summary = AbilitySummary.objects.filter(teacher=cast.teacher).first()
    plan_file = plan.file.name
    assert remove(admin, cast.teacher).status_code == 302

    removal = TeacherRemoval.objects.get(teacher=cast.teacher)
    assert removal.cleared["assessment"] == {
        "review_decisions": 1,
        "reviews": 1,
        "evidence": 4,
        "evaluations": 1,
        "summaries": 3,
        "point_choices": 3,
        "plans": 1,
    }
    # Gone from the tables, kept in the audit trail (files left in storage).
    gone = [
        ImprovementPlan.objects.filter(teacher=cast.teacher),
        PointChoice.objects.filter(teacher=cast.teacher),
        AbilitySummary.objects.filter(teacher=cast.teacher),
        AbilityEvaluation.objects.filter(teacher=cast.teacher),
        TeacherReview.objects.filter(teacher=cast.teacher),
        EvaluationEvidence.objects.filter(evaluation__teacher=cast.teacher),
        ReviewDecision.objects.filter(review__teacher=cast.teacher),
    ]
    assert not any(qs.exists() for qs in gone)
    archived = ClearedRecord.objects.get(removal=removal, model="assessment.improvementplan")
    assert archived.object_id == plan.pk and archived.files == [plan_file]
    assert default_storage.exists(plan_file)
    assert (
        ClearedRecord.objects.filter(removal=removal, model="assessment.abilitysummary").count()
        == 3
    )
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
    assert "研修材料：提升计划 1、能力点 3、提升总结 3、测评 1 项已归档" in listing


def test_the_groups_typical_case_stays(cast, as_user, mats):
    case_create(
        group=mats.chinese,
        cycle=cast.cycle,
        by=mats.leader,
        title="秋天的雨",
        design=fm.upload("设计.pdf"),
        recording="offline",
    )
    remove(as_user(cast.school_admin), mats.leader)
    assert TypicalCase.objects.filter(title="秋天的雨").exists()


def test_a_teacher_placed_again_starts_afresh(cast, as_user, mats):
    fm.complete(cast, cast.teacher, mats.keys[:3])
    remove(as_user(cast.school_admin), cast.teacher)
    SchoolMembership.objects.create(user=cast.teacher, school=cast.school, is_teacher=True)
    progress = teacher_progress(teacher=cast.teacher, cycle=cast.cycle)
    assert (progress.has_plan, progress.point_count, progress.summary_count) == (False, 0, 0)
    assert progress.result == "pending" and str(progress.totals) == "0/25"
    fm.plan(cast, cast.teacher)
    fm.choose(cast, cast.teacher, mats.keys[:3])
    assert ImprovementPlan.objects.filter(teacher=cast.teacher).count() == 1


def test_a_removed_teacher_no_longer_counts_in_the_gate(cast, mats):
    from assessment.models import AbilityEvaluation as E
    from groups.services import teacher_remove

    fm.choose(cast, cast.teacher, mats.keys[:3])
    for p in mats.keys[:3]:
        E.objects.create(
            teacher=cast.teacher, school=cast.school, cycle=cast.cycle, point=p, status="passed"
        )
    before = evaluation_gate(school=cast.school, cycle=cast.cycle)
    # Any caller of the removal service clears assessment too (registered clearer).
    teacher_remove(membership=fm.place(cast.teacher), by=cast.school_admin, reason="调岗")
    after = evaluation_gate(school=cast.school, cycle=cast.cycle)
    assert (before.passed, after.passed) == (1, 0)
    assert after.full_time_total == before.full_time_total - 1
    assert not E.objects.filter(teacher=cast.teacher).exists()


def test_a_removed_teacher_cannot_upload_any_more(cast, as_user, mats):
    from django.core.exceptions import ValidationError

    from assessment.services import plan_upload
    from groups.services import teacher_remove

    teacher_remove(membership=fm.place(cast.teacher), by=cast.school_admin, reason="调岗")
    with pytest.raises(ValidationError, match="你已不是本校在职教师"):
        plan_upload(
            teacher=cast.teacher, school=cast.school, cycle=cast.cycle, upload=fm.upload("计划.pdf")
        )
    assert not ImprovementPlan.objects.exists()
