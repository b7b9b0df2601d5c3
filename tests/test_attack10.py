"""Outside test 10: ways round the acceptance's hold (tests/test_attack9.py).
While the acceptance holds the school's records, these are refused too:
- F1: a teacher replacing the evidence behind a 测评 result and submitting it
  again (the 不合格 would leave the submitted register), and changing the
  points they chose (dropping a 不合格 point would raise the 95% figure);
- F2: archiving a group (its 典型案例 would leave the experts' pages);
- F3: a group's 研修计划 and the 校本主题 with its key points (checklist items).
Returned, everything opens again."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessment import services
from assessment.models import Acceptance, PointChoice
from assessment.selectors.acceptance import RESULTS_SUBMITTED
from groups.models import ResearchGroup, SchoolTheme
from groups.services import theme_save

from . import factories_assessment as fm
from .conftest import login

pytest_plugins = ["tests.fixtures_assessment"]
pytestmark = pytest.mark.django_db


def _held(what: str) -> str:
    return RESULTS_SUBMITTED.replace("研修考核和能力点测评结果", what)


def test_a_teachers_evidence_points_and_submit_wait_for_a_return(cast, held):
    point = PointChoice.objects.filter(teacher=cast.teacher).first().point
    with pytest.raises(ValidationError, match="能力点测评结果随验收材料一起评审"):
        services.evidence_save(
            teacher=cast.teacher,
            school=cast.school,
            cycle=cast.cycle,
            point=point,
            kind="plan",
            position=1,
            link="https://example.com/新的方案",
        )
    with pytest.raises(ValidationError, match="能力点测评结果随验收材料一起评审"):
        services.evaluation_submit(
            teacher=cast.teacher, school=cast.school, cycle=cast.cycle, point=point
        )
    chosen = set(PointChoice.objects.filter(teacher=cast.teacher).values_list("point", flat=True))
    with pytest.raises(ValidationError, match="能力点测评结果随验收材料一起评审"):
        fm.choose(cast, cast.teacher, held.keys[:3])
    after = set(PointChoice.objects.filter(teacher=cast.teacher).values_list("point", flat=True))
    assert after == chosen

    Acceptance.objects.filter(school=cast.school).update(status="returned", return_reason="补充")
    # Open again: what refuses now is the 测评's own rule, not the hold.
    with pytest.raises(ValidationError) as refused:
        fm.choose(cast, cast.teacher, held.keys[:3], confirm=True)
    assert "随验收材料一起评审" not in str(refused.value)


def test_groups_their_plans_and_the_theme_wait_for_a_return(cast, held):
    group = ResearchGroup.objects.create(
        school=cast.school, name="信息科技组", leader=cast.teacher2
    )
    admin = login(cast.school_admin)
    archived = admin.post(reverse("groups:archive", args=[group.pk]))
    assert _held("教研组及其典型案例") in admin.get(archived["Location"]).content.decode()
    group.refresh_from_db()
    assert group.archived_at is None

    leader = login(cast.teacher2)
    page = leader.post(reverse("groups:group_plan", args=[group.pk]), {"plan": "提交后改写"})
    group.refresh_from_db()
    assert group.plan != "提交后改写"
    body = (
        page.content.decode()
        if page.status_code == 200
        else leader.get(page["Location"]).content.decode()
    )
    assert _held("教研组研修计划") in body

    with pytest.raises(ValidationError, match="校本主题和关键能力点随验收材料一起评审"):
        theme_save(
            school=cast.school,
            cycle=cast.cycle,
            title="提交后改的主题",
            description="",
            key_points=held.keys[:2],
            by=cast.school_admin,
        )
    assert not SchoolTheme.objects.filter(title="提交后改的主题").exists()
