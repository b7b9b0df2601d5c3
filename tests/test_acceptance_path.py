"""整校推进验收 from end to end, through the real URLs as each role: the
district publishes its scheme; the school uploads its checklist, scores itself
and submits; the district assigns two experts; each scores and submits; the
district sees the scores side by side and confirms 通过; every teacher's hours
are registered once and each teacher reads 已登记. A second confirmation
registers nothing twice. Also: return for more material, and 不通过."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Notification
from assessment.models import (
    Acceptance,
    AcceptanceEvent,
    AcceptanceScheme,
    ExpertAssignment,
    ProofFile,
    ProofItem,
)
from assessment.selectors.acceptance import rubric_of
from hours.models import HoursRegistration, RegistrationBatch

from . import factories as f
from . import factories_acceptance as fx
from . import factories_assessment as fm
from .conftest import login
from .factories_activities import once

pytestmark = pytest.mark.django_db

PAGE = reverse("assessment:acceptance")


def notices(user, kind: str) -> list[str]:
    return list(Notification.objects.filter(user=user, kind=kind).values_list("message", flat=True))


def scores_post(acceptance, points_of) -> dict:
    data = {}
    for item in rubric_of(acceptance.scheme).items:
        data[f"points_{item.pk}"] = str(points_of(item))
        data[f"text_{item.pk}"] = f"{item.title}：材料齐全"
    return data


def publish_through_the_pages(cast):
    district = login(cast.district_admin)
    assert district.post(reverse("assessment:scheme_create")).status_code == 302
    scheme = AcceptanceScheme.objects.get(region=cast.district, cycle=cast.cycle)
    assert ProofItem.objects.filter(scheme=scheme).count() == 15
    page = district.get(reverse("assessment:scheme")).content.decode()
    assert "学校信息化管理团队成员及其责任分工" in page and "诊断报告（SWOT 分析）" in page
    assert 'id="rubric-total">30' in page
    response = district.post(
        reverse("assessment:scheme_settings"),
        {"pass_mark": "18", "deadline": "2099-06-30", "note": "现场汇报另行通知"},
    )
    assert response.status_code == 302
    district.post(reverse("assessment:scheme_publish"))
    scheme.refresh_from_db()
    assert scheme.is_published and scheme.pass_mark == 18
    assert notices(cast.school_admin, "acceptance_scheme_published")
    return scheme


def test_the_whole_path_to_registered_hours(cast, django_capture_on_commit_callbacks):
    second_expert = fx.expert(cast, "林专家")
    fm.give_hours(cast, cast.teacher, 25)
    fm.give_hours(cast, cast.teacher2, 12)
    scheme = publish_through_the_pages(cast)
    fx.gate_met(cast)

    # The school admin sees the checklist, what is missing and the deadline.
    school = login(cast.school_admin)
    page = school.get(PAGE).content.decode()
    assert "2099年6月30日" in page and "现场汇报另行通知" in page
    assert "还不能提交验收" in page and "自评还有 10 项未打分" in page
    # 研修考核表 and 测评结果登记表 exist on the platform: items 7 and 11 are proven.
    assert page.count("（已自动关联）") == 2
    for item in ProofItem.objects.filter(scheme=scheme).exclude(number__in=[7, 11]):
        response = school.post(
            reverse("assessment:acceptance_upload", args=[item.pk]),
            {
                **once(),
                "files": [
                    fx.upload(f"第{item.number}项-1.pdf"),
                    fx.upload(f"第{item.number}项.png", fx.PNG, "image/png"),
                ],
            },
        )
        assert response.status_code == 302
    assert ProofFile.objects.count() == 26
    response = school.post(
        reverse("assessment:acceptance_self_score"),
        scores_post(Acceptance.objects.get(), lambda i: i.max_points - 1),
    )
    assert response.status_code == 302
    page = school.get(PAGE).content.decode()
    assert "可以提交验收" in page and "合计 20.0 / 30.0 分" in page

    # The district assigns both experts to the school (the many-schools form).
    other = f.school(cast.district, "赤坎第二小学")
    district = login(cast.district_admin)
    response = district.post(
        reverse("assessment:experts_assign_many"),
        {"schools": [cast.school.pk, other.pk], "experts": [cast.expert.pk, second_expert.pk]},
    )
    assert response.status_code == 302
    assert ExpertAssignment.objects.count() == 4
    assert notices(cast.expert, "acceptance_assigned") == [
        f"教育局为你分配了 2 所验收学校：{cast.school.name}、赤坎第二小学。"
    ]

    # The expert waits for the school; the school submits; the expert is told.
    acceptance = Acceptance.objects.get(school=cast.school)
    expert = login(cast.expert)
    score_url = reverse("assessment:expert_score", args=[acceptance.pk])
    assert "学校尚在准备验收材料" in expert.get(score_url).content.decode()
    assert school.post(reverse("assessment:acceptance_submit")).status_code == 302
    acceptance.refresh_from_db()
    assert acceptance.status == "submitted" and acceptance.submitted_by == cast.school_admin
    assert notices(second_expert, "acceptance_submitted")

    # Each expert sees every material in the page and scores every item.
    page = expert.get(score_url).content.decode()
    assert page.count('class="proof-pdf') == 13 and page.count('class="img-fluid') == 13
    assert page.count('data-platform="') == 2
    assert "学校自评：<strong>4.0</strong> 分（研修方案：材料齐全）" in page
    draft = scores_post(acceptance, lambda i: i.max_points)
    assert (
        expert.post(
            reverse("assessment:expert_score_save", args=[acceptance.pk]), draft
        ).status_code
        == 302
    )
    assert (
        ExpertAssignment.objects.get(expert=cast.expert, acceptance=acceptance).submitted_at is None
    )
    expert.post(reverse("assessment:expert_score_submit", args=[acceptance.pk]), draft)
    acceptance.refresh_from_db()
    assert acceptance.status == "submitted"  # one expert of two
    page = expert.get(score_url).content.decode()
    assert "你已提交评分，合计 30.0 分" in page and 'name="points_' not in page

    login(second_expert).post(
        reverse("assessment:expert_score_submit", args=[acceptance.pk]),
        scores_post(acceptance, lambda i: i.max_points - 1),
    )
    acceptance.refresh_from_db()
    assert acceptance.status == "scored"

    # The district sees self-score and both experts side by side, and the average.
    detail = reverse("assessment:district_acceptance", args=[cast.school.pk])
    page = district.get(detail).content.decode()
    assert cast.expert.display_name in page and second_expert.display_name in page
    assert 'id="average-total">25.0<' in page  # (30 + 20) / 2
    table = page.split('id="score-table"')[1]
    row = re.search(r'data-rubric="研修方案">(.*?)</tr>', table, re.S).group(1)
    cells = re.findall(r"<td[^>]*>([\d.—]+)", row)  # max, self, each expert, average
    assert cells[:2] == ["5.0", "4.0"] and sorted(cells[2:4]) == ["4.0", "5.0"]
    assert cells[4] == "4.5"

    # The registration task runs once the confirmation commits.
    with django_capture_on_commit_callbacks(execute=True):
        pass_url = reverse("assessment:acceptance_pass", args=[cast.school.pk])
        assert district.post(pass_url).status_code == 302
    acceptance.refresh_from_db()
    assert acceptance.status == "passed" and acceptance.decided_by == cast.district_admin
    registered = dict(HoursRegistration.objects.values_list("teacher_id", "hours"))
    assert registered == {cast.teacher.pk: 25, cast.teacher2.pk: 12, cast.info_team.pk: 0}
    assert notices(cast.school_admin, "acceptance_passed")

    # Teachers see 已登记; the district's registration page tells the truth.
    assert "已登记 25 学时" in login(cast.teacher).get(reverse("hours:mine")).content.decode()
    hours_page = district.get(reverse("hours:district")).content.decode()
    row = hours_page.split(f'data-school="{cast.school.pk}"')[1].split("</tr>")[0]
    assert "已通过" in row and "已完成" in row and "3/3" in row
    row = hours_page.split(f'data-school="{other.pk}"')[1].split("</tr>")[0]
    assert "待验收" in row and "已完成" not in row

    # A second confirmation registers nothing twice and records nothing.
    events = AcceptanceEvent.objects.count()
    told = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        district.post(reverse("assessment:acceptance_pass", args=[cast.school.pk]))
    assert AcceptanceEvent.objects.count() == events and Notification.objects.count() == told
    assert HoursRegistration.objects.count() == 3 and RegistrationBatch.objects.count() == 1

    # After the decision the school's materials stay frozen.
    item = ProofItem.objects.filter(scheme=scheme).first()
    response = school.post(
        reverse("assessment:acceptance_upload", args=[item.pk]), {**once(), "files": [fx.upload()]}
    )
    assert response.status_code == 403 and "验收结果已确认" in response.content.decode()


def test_a_returned_school_sees_why_changes_its_materials_and_submits_again(cast):
    fx.scheme(cast)
    a = fx.scored(cast)
    district = login(cast.district_admin)
    response = district.post(
        reverse("assessment:acceptance_return", args=[cast.school.pk]),
        {"reason": "第 5 项校长动员讲话稿只有标题，请上传全文或提纲"},
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == "returned" and a.returned_by == cast.district_admin
    # The experts' scores wait as drafts for the new materials.
    assert not a.assignments.filter(submitted_at__isnull=False).exists()
    assert notices(cast.school_admin, "acceptance_returned") == [
        "你校的整校推进验收材料被教育局退回，请补充后重新提交。退回原因：第 5 项校长动员讲话稿只有标题，请上传全文或提纲"
    ]

    school = login(cast.school_admin)
    page = school.get(PAGE).content.decode()
    assert 'id="return-reason"' in page and "只有标题" in page and "重新提交验收" in page
    item5 = ProofItem.objects.get(scheme=a.scheme, number=5)
    school.post(
        reverse("assessment:acceptance_upload", args=[item5.pk]),
        {**once(), "files": [fx.upload("校长动员讲话全文.pdf")]},
    )
    assert item5.files.count() == 2
    school.post(reverse("assessment:acceptance_submit"))
    a.refresh_from_db()
    assert a.status == "submitted" and a.return_reason == ""
    moves = list(a.events.values_list("to_status", flat=True))
    assert moves == ["submitted", "scored", "returned", "submitted"]
    # The expert scores the new materials; the school is 已评分 again.
    expert = login(cast.expert)
    assert "去评分" in expert.get(reverse("assessment:expert_schools")).content.decode()
    expert.post(
        reverse("assessment:expert_score_submit", args=[a.pk]),
        scores_post(a, lambda i: i.max_points),
    )
    a.refresh_from_db()
    assert a.status == "scored"


def test_a_failed_school_is_told_why_and_registers_nothing(
    cast, django_capture_on_commit_callbacks
):
    fx.scheme(cast)
    fm.give_hours(cast, cast.teacher, 25)
    fx.scored(cast, less=Decimal(1))  # 20 of 30: above the pass mark, failed all the same
    district = login(cast.district_admin)
    url = reverse("assessment:acceptance_fail", args=[cast.school.pk])
    response = district.post(url, {"reason": ""})
    assert Acceptance.objects.get().status == "scored"  # a fail needs its reason
    assert "请填写原因" in district.get(response["Location"]).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        district.post(url, {"reason": "现场核查发现信息化管理制度未落实"})
    a = Acceptance.objects.get()
    assert a.status == "failed" and a.decision_reason == "现场核查发现信息化管理制度未落实"
    assert not HoursRegistration.objects.exists() and not RegistrationBatch.objects.exists()
    page = login(cast.school_admin).get(PAGE).content.decode()
    assert "整校推进验收未通过" in page and "信息化管理制度未落实" in page
    assert notices(cast.school_admin, "acceptance_failed")
    assert "未登记" in login(cast.teacher).get(reverse("hours:mine")).content.decode()
    # Nor may it be passed afterwards.
    district.post(reverse("assessment:acceptance_pass", args=[cast.school.pk]))
    assert Acceptance.objects.get().status == "failed"
    assert not RegistrationBatch.objects.exists()
