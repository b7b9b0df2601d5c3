"""Outside test 9.

F1: after 提交验收, and even after 已通过, the school's 研修考核 and 能力点测评
results stayed editable: the experts' review and register exports changed
under them, and the district confirmed a pass at a 0% 合格率 (its confirm
checked only the experts' average). The results now stand as submitted until
the district returns the acceptance, and for good once it is decided; the
district's confirm checks the 95% gate again as of now.

F2: a 不通过 reason over 300 characters got Django's "确保该变量…"; F3: a
forged choice echoed Django's "选择一个有效的选项。 zzz 不在可用的选项中。"."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from accounts.models import SchoolMembership
from assessment.forms import AssessForm, ReasonForm
from assessment.models import AbilityEvaluation, Acceptance, TeacherReview
from assessment.selectors.acceptance import RESULTS_DECIDED, RESULTS_SUBMITTED
from assessment.services import acceptance as acc
from assessment.services.review import review_reopen
from groups.services import school_plan_save

from . import factories as f
from . import factories_acceptance as fx
from .conftest import login

pytestmark = pytest.mark.django_db


def place(cast, user) -> SchoolMembership:
    return SchoolMembership.objects.get(user=user, school=cast.school, removed_at__isnull=True)


def fail_review(cast, user):
    """The school admin marks `user` 不通过 through the 研修考核 page; the page after."""
    admin = login(cast.school_admin)
    url = reverse("assessment:review_fail", args=[place(cast, user).pk])
    response = admin.post(url, {"reason": "个人提升计划缺少能力点说明"})
    return admin.get(response["Location"]).content.decode()


def assess(cast, evaluation, result: str):
    """The info team records a 测评 result; the page after."""
    info = login(cast.info_team)
    url = reverse("assessment:evaluation_assess", args=[evaluation.pk])
    response = info.post(url, {"result": result})
    return info.get(response["Location"]).content.decode()


@pytest.fixture(autouse=True)
def scheme(cast):
    """The district's published acceptance scheme (its checklist and rubric)."""
    return fx.scheme(cast)


def review_of(cast, user) -> str | None:
    row = TeacherReview.objects.filter(teacher=user, cycle=cast.cycle).first()
    return row.result if row else None


def test_submitted_results_stand_as_submitted_until_the_district_returns_them(cast):
    a = fx.submitted(cast)
    evaluation = AbilityEvaluation.objects.filter(teacher=cast.teacher).first()

    assert RESULTS_SUBMITTED in fail_review(cast, cast.teacher)
    assert review_of(cast, cast.teacher) != "failed"
    assert RESULTS_SUBMITTED in assess(cast, evaluation, "failed")
    evaluation.refresh_from_db()
    assert evaluation.status == "passed"

    # Returned for more material: the school may correct its results again.
    acc.acceptance_return(acceptance=a, by=cast.district_admin, reason="请补充教研活动记录")
    assert RESULTS_SUBMITTED not in fail_review(cast, cast.teacher)
    assert review_of(cast, cast.teacher) == "failed"
    assess(cast, evaluation, "failed")
    evaluation.refresh_from_db()
    assert evaluation.status == "failed"


def test_decided_results_are_kept_for_good(cast):
    a = fx.scored(cast)
    acc.acceptance_pass(acceptance=a, by=cast.district_admin)
    assert RESULTS_DECIDED in fail_review(cast, cast.teacher)
    evaluation = AbilityEvaluation.objects.filter(teacher=cast.teacher).first()
    assert RESULTS_DECIDED in assess(cast, evaluation, "failed")
    evaluation.refresh_from_db()
    assert evaluation.status == "passed"
    admin = login(cast.school_admin)
    pass_all = admin.post(reverse("assessment:review_pass_all"))
    assert RESULTS_DECIDED in admin.get(pass_all["Location"]).content.decode()


def test_a_teachers_new_material_keeps_a_submitted_fail(cast):
    """A 不通过 reopens when the teacher changes their materials, except while
    the acceptance holds the results: the material is theirs, the result the
    school's as submitted."""
    TeacherReview.objects.create(
        teacher=cast.teacher,
        school=cast.school,
        cycle=cast.cycle,
        result="failed",
        reason="缺少提升总结",
    )
    fx.submitted(cast)
    with transaction.atomic():
        review_reopen(teacher=cast.teacher, cycle=cast.cycle)
    assert review_of(cast, cast.teacher) == "failed"
    Acceptance.objects.filter(school=cast.school).update(status="returned", return_reason="请补充")
    with transaction.atomic():
        review_reopen(teacher=cast.teacher, cycle=cast.cycle)
    assert review_of(cast, cast.teacher) == "pending"


def test_the_district_confirms_a_pass_only_at_95_percent_as_of_now(cast):
    """Teachers can still change after submitting (a new full-time teacher
    joins without any 合格 point): the confirm counts again."""
    a = fx.scored(cast)
    f.teacher(cast.school, "新来的专任教师", is_full_time=True)
    district = login(cast.district_admin)
    page = district.get(reverse("assessment:district_acceptance", args=[cast.school.pk]))
    body = page.content.decode()
    assert 'id="gate-now"' in body and "未达到，不能确认通过" in body
    assert reverse("assessment:acceptance_pass", args=[cast.school.pk]) not in body
    url = reverse("assessment:acceptance_pass", args=[cast.school.pk])
    response = district.post(url, follow=True)
    assert "合格率现为" in response.content.decode() and "未达到 95%" in response.content.decode()
    a.refresh_from_db()
    assert a.status == "scored"


def test_reasons_and_choices_refuse_in_plain_chinese():
    long = ReasonForm(data={"reason": "理" * 301})
    assert not long.is_valid()
    assert "最多 300 个字（现在 301 个）" in str(long.errors["reason"])
    forged = AssessForm(data={"result": "zzz"})
    assert not forged.is_valid()
    assert str(forged.errors["result"]).count("zzz") == 0
    assert "请选择测评结果：合格或不合格。" in str(forged.errors["result"])


def test_the_pages_say_the_results_are_held_and_offer_no_change(cast):
    fx.submitted(cast)
    admin = login(cast.school_admin)
    page = admin.get(reverse("assessment:review")).content.decode()
    assert 'id="results-held"' in page and RESULTS_SUBMITTED in page
    assert "pass-complete" not in page and "/pass/" not in page
    panel = admin.get(reverse("assessment:review_teacher", args=[place(cast, cast.teacher).pk]))
    assert RESULTS_SUBMITTED in panel.content.decode()
    assert 'id="fail-form"' not in panel.content.decode()
    evaluation = AbilityEvaluation.objects.filter(teacher=cast.teacher).first()
    detail = login(cast.info_team).get(
        reverse("assessment:evaluation_detail", args=[evaluation.pk])
    )
    assert RESULTS_SUBMITTED in detail.content.decode()
    assert 'id="assess-form"' not in detail.content.decode()


def test_submitted_cases_stand_as_submitted(cast):
    """The experts read the school's 典型案例 with its results: no new upload,
    deletion or rating until the district returns the acceptance."""
    from assessment.models import TypicalCase
    from groups.models import ResearchGroup

    from . import factories_assessment as fm

    group = ResearchGroup.objects.create(school=cast.school, name="语文组", leader=cast.teacher)
    case = TypicalCase.objects.create(
        group=group,
        cycle=cast.cycle,
        title="已有案例",
        file="cases/设计.pdf",
        original_name="设计.pdf",
        size=1000,
        content_type="application/pdf",
        recording="offline",
        uploaded_by=cast.teacher,
    )
    fx.submitted(cast)
    held = RESULTS_SUBMITTED.replace("研修考核和能力点测评结果", "典型案例")

    leader = login(cast.teacher)
    page = leader.get(reverse("assessment:cases")).content.decode()
    assert held in page and 'id="case-form"' not in page
    upload = leader.post(
        reverse("assessment:cases"),
        {
            "group": group.pk,
            "title": "新案例",
            "recording": "offline",
            "design": fm.upload("设计.pdf"),
        },
    )
    assert held in upload.content.decode()
    assert not TypicalCase.objects.filter(title="新案例").exists()
    gone = leader.post(reverse("assessment:case_delete", args=[case.pk]))
    assert held in leader.get(gone["Location"]).content.decode()
    assert TypicalCase.objects.filter(pk=case.pk).exists()

    admin = login(cast.school_admin)
    page = admin.get(reverse("assessment:school_cases")).content.decode()
    assert held in page and reverse("assessment:case_rate", args=[case.pk]) not in page
    rated = admin.post(reverse("assessment:case_rate", args=[case.pk]), {"rating": "first"})
    assert held in admin.get(rated["Location"]).content.decode()
    case.refresh_from_db()
    assert case.rating == "unrated"


def test_a_submitted_plan_stands_as_submitted(cast):
    """The school's 两案 is what the experts read as item 4 of the checklist:
    saving it after 提交验收 is refused, with what was typed kept in the form."""
    from groups.models import SchoolPlan

    fx.submitted(cast)
    held = RESULTS_SUBMITTED.replace("研修考核和能力点测评结果", "校本研修方案（两案）")
    admin = login(cast.school_admin)
    detail = admin.get(reverse("groups:plan")).content.decode()
    assert held in detail and reverse("groups:plan_edit") not in detail
    url = reverse("groups:plan_edit")
    form = admin.get(url).content.decode()
    assert held in form and "保存方案" not in form
    before = SchoolPlan.objects.filter(school=cast.school).values_list("goal_basic", flat=True)
    before = list(before)
    data = {
        "goal_basic": "提交验收后改写的目标",
        "team-TOTAL_FORMS": "0",
        "team-INITIAL_FORMS": "0",
        "points-TOTAL_FORMS": "0",
        "points-INITIAL_FORMS": "0",
        "schedule-TOTAL_FORMS": "0",
        "schedule-INITIAL_FORMS": "0",
    }
    page = admin.post(url, data).content.decode()
    assert held in page and "提交验收后改写的目标" in page
    after = list(SchoolPlan.objects.filter(school=cast.school).values_list("goal_basic", flat=True))
    assert after == before
    # The save itself refuses, whatever sent it.
    refused = pytest.raises(ValidationError, match="校本研修方案（两案）随验收材料一起评审")
    with refused, transaction.atomic():
        school_plan_save(
            school=cast.school,
            cycle=cast.cycle,
            fields={"goal_basic": "绕过页面"},
            team=[],
            points=[],
            schedule=[],
            by=cast.school_admin,
        )
