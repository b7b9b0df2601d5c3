"""What whole-school acceptance refuses, through the URLs as each role: a
submission with an item missing, below the 95% gate or without the self-score
(a Chinese message naming what is missing, nothing stored); an expert on a
school not assigned to them (404) or above an item's maximum; a school
changing its frozen materials; a district admin of another district (404);
uploads checked by content and size; confirmations out of turn."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import SchoolMembership
from accounts.sizes import MB
from assessment.models import (
    AbilityEvaluation,
    Acceptance,
    AcceptanceEvent,
    ExpertScore,
    ProofFile,
    ProofItem,
    SelfScore,
)
from assessment.selectors.acceptance import rubric_of
from assessment.services import acceptance as acc

from . import factories as f
from . import factories_acceptance as fx
from .conftest import login
from .factories_activities import once

pytestmark = pytest.mark.django_db

PAGE = reverse("assessment:acceptance")
SUBMIT = reverse("assessment:acceptance_submit")


def message_after(client, response) -> str:
    return client.get(response["Location"]).content.decode()


def item(a, number: int) -> ProofItem:
    return ProofItem.objects.get(scheme=a.scheme, number=number)


# ---- the school's submission ------------------------------------------------------------


def test_submitting_with_an_item_missing_names_it_and_stores_nothing(cast):
    fx.scheme(cast)
    fx.gate_met(cast)
    fx.materials(cast)
    a = Acceptance.objects.get()
    ProofFile.objects.filter(item=item(a, 5)).delete()
    school = login(cast.school_admin)
    page = message_after(school, school.post(SUBMIT))
    assert "还不能提交验收：证明清单第 5 项（校长动员讲话稿）还没有材料。" in page
    a.refresh_from_db()
    assert a.status == "draft" and a.submitted_at is None
    assert not AcceptanceEvent.objects.exists()


def test_submitting_below_the_95_percent_gate_says_how_many_are_missing(cast):
    fx.scheme(cast)
    for _ in range(17):
        f.teacher(cast.school)
    fx.gate_met(cast)  # 20 full-time teachers, all passed...
    AbilityEvaluation.objects.filter(teacher=cast.teacher).update(status="failed")
    AbilityEvaluation.objects.filter(teacher=cast.teacher2).update(status="submitted")
    fx.materials(cast)  # ...but two of them not
    school = login(cast.school_admin)
    page = message_after(school, school.post(SUBMIT))
    assert "能力点测评合格的专任教师为 18/20（90.0%），未达到 95%，还差 1 人" in page
    assert Acceptance.objects.get().status == "draft"
    # One more passes: 19/20 is 95%, and the school may submit.
    AbilityEvaluation.objects.filter(teacher=cast.teacher2).update(status="passed")
    school.post(SUBMIT)
    assert Acceptance.objects.get().status == "submitted"


def test_submitting_without_the_whole_self_score(cast):
    fx.scheme(cast)
    fx.gate_met(cast)
    fx.materials(cast)
    SelfScore.objects.filter(item__title="研修方案").delete()
    school = login(cast.school_admin)
    page = message_after(school, school.post(SUBMIT))
    assert "自评还有 1 项未打分（研修方案 等）" in page
    assert Acceptance.objects.get().status == "draft"


def test_before_the_district_publishes_the_school_can_only_prepare(cast):
    s = fx.scheme(cast, publish=False)
    school = login(cast.school_admin)
    page = school.get(PAGE).content.decode()
    assert 'id="no-scheme"' in page and "校长动员讲话稿" in page  # the default list
    first = ProofItem.objects.filter(scheme=s).first()
    response = school.post(
        reverse("assessment:acceptance_upload", args=[first.pk]), {"files": [fx.upload()]}
    )
    assert response.status_code == 404 and not ProofFile.objects.exists()


# ---- frozen after submission --------------------------------------------------------------


def test_the_school_cannot_change_its_materials_once_submitted(cast):
    fx.scheme(cast)
    a = fx.submitted(cast)
    proof = ProofFile.objects.filter(acceptance=a).first()
    school = login(cast.school_admin)
    page = school.get(PAGE).content.decode()
    assert 'id="frozen"' in page and "acceptance_upload" not in page and "删除" not in page
    attempts = [
        (reverse("assessment:acceptance_upload", args=[proof.item_id]), {"files": [fx.upload()]}),
        (reverse("assessment:acceptance_file_delete", args=[proof.pk]), {}),
        (reverse("assessment:acceptance_self_score"), {f"points_{proof.item_id}": "0"}),
    ]
    for url, data in attempts:
        response = school.post(url, data)
        assert response.status_code == 403, url
        assert "验收材料已提交，正在评审，不能修改" in response.content.decode()
    assert ProofFile.objects.filter(acceptance=a).count() == 15
    assert ProofFile.objects.filter(pk=proof.pk).exists()
    # A second submission is no second move.
    school.post(SUBMIT)
    assert AcceptanceEvent.objects.filter(to_status="submitted").count() == 1


def test_the_info_team_reads_and_never_acts(cast):
    fx.scheme(cast)
    fx.gate_met(cast)
    fx.materials(cast)
    info = login(cast.info_team)
    page = info.get(PAGE).content.decode()
    assert "整校推进证明清单" in page and "第1项.pdf" in page
    assert 'type="file"' not in page and "提交验收</button>" not in page
    assert "自评：<strong>" in page
    first = ProofFile.objects.first()
    for url in (
        reverse("assessment:acceptance_upload", args=[first.item_id]),
        reverse("assessment:acceptance_file_delete", args=[first.pk]),
        SUBMIT,
    ):
        assert info.post(url).status_code == 403
    assert info.get(reverse("assessment:proof_file", args=[first.pk])).status_code == 200


# ---- uploads ---------------------------------------------------------------------------------


def test_uploads_are_checked_by_content_and_size(cast, settings):
    fx.scheme(cast)
    a = acc.acceptance_open(school=cast.school, cycle=cast.cycle)
    url = reverse("assessment:acceptance_upload", args=[item(a, 3).pk])
    school = login(cast.school_admin)

    def refused(*files) -> str:
        page = message_after(school, school.post(url, once(files=list(files))))
        assert not ProofFile.objects.exists()
        return page

    assert "的实际内容与扩展名 .pdf 不符，已拒绝上传" in refused(fx.upload("发展规划.pdf", fx.EXE))
    # One bad file of two stores neither.
    assert "“规划.exe”的格式不被接受" in refused(
        fx.upload("规划.pdf"), fx.upload("规划.exe", fx.EXE)
    )
    big = fx.upload("规划扫描.pdf", (fx.PDF + b"0" * (20 * MB))[: 20 * MB + 1])
    assert "超过了 20 MB 的上限" in refused(big)
    assert "是空文件" in refused(fx.upload("空.pdf", b""))
    # Exactly at the limit is fine; stored files are served only after the check.
    school.post(url, once(files=[fx.upload("规划.pdf", (fx.PDF + b"0" * (20 * MB))[: 20 * MB])]))
    proof = ProofFile.objects.get()
    assert proof.size == 20 * MB and proof.item.number == 3
    response = school.get(reverse("assessment:proof_file", args=[proof.pk]))
    assert response["Content-Disposition"].startswith("inline")
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"  # shown in the scoring page


def test_office_files_are_downloads_pictures_and_pdfs_show_in_the_page(cast):
    from .factories_assessment import DOCX

    fx.scheme(cast)
    a = acc.acceptance_open(school=cast.school, cycle=cast.cycle)
    for name, content in (("团队.docx", DOCX), ("现场.png", fx.PNG), ("规划.pdf", fx.PDF)):
        acc.proof_files_add(
            school=cast.school,
            cycle=cast.cycle,
            item=item(a, 1),
            uploads=[fx.upload(name, content, "application/octet-stream")],
            by=cast.school_admin,
        )
    shown = {p.original_name: p.shown_as for p in ProofFile.objects.all()}
    assert shown == {"团队.docx": "download", "现场.png": "image", "规划.pdf": "pdf"}
    client = login(cast.school_admin)
    docx = ProofFile.objects.get(original_name="团队.docx")
    response = client.get(reverse("assessment:proof_file", args=[docx.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_retried_upload_form_stores_its_files_once(cast):
    fx.scheme(cast)
    a = acc.acceptance_open(school=cast.school, cycle=cast.cycle)
    url = reverse("assessment:acceptance_upload", args=[item(a, 2).pk])
    school = login(cast.school_admin)
    token = "6f1c2a52-4a1b-4d39-9b8e-4f7a6c0d2e11"
    for _ in range(2):
        school.post(url, {"files": [fx.upload("诊断报告.pdf")], "request_token": token})
    assert ProofFile.objects.count() == 1


# ---- experts -------------------------------------------------------------------------------


def test_an_expert_never_sees_a_school_not_assigned_to_them(cast):
    fx.scheme(cast)
    a = fx.submitted(cast)
    other = fx.expert(cast, "未分配专家")
    elsewhere = fx.expert(cast, "霞山专家", district=cast.other_district)
    proof = ProofFile.objects.filter(acceptance=a).first()
    for who in (other, elsewhere):
        client = login(who)
        assert client.get(reverse("assessment:expert_score", args=[a.pk])).status_code == 404
        for name in ("expert_score_save", "expert_score_submit"):
            response = client.post(reverse(f"assessment:{name}", args=[a.pk]), {})
            assert response.status_code == 404
        assert client.get(reverse("assessment:proof_file", args=[proof.pk])).status_code == 404
        url = reverse("assessment:evidence_review", args=[cast.school.pk])
        assert client.get(url).status_code == 404
        assert (
            cast.school.name
            not in client.get(reverse("assessment:expert_schools")).content.decode()
        )
    assert not ExpertScore.objects.exists()


def test_an_expert_sees_a_draft_school_only_as_waiting(cast):
    fx.scheme(cast)
    a = acc.acceptance_open(school=cast.school, cycle=cast.cycle)
    fx.materials(cast)
    acc.experts_assign(
        schools=[cast.school],
        experts=[cast.expert],
        cycle=cast.cycle,
        region_id=cast.district.pk,
        by=cast.district_admin,
    )
    client = login(cast.expert)
    page = client.get(reverse("assessment:expert_score", args=[a.pk])).content.decode()
    assert 'id="not-submitted"' in page and "第1项.pdf" not in page
    proof = ProofFile.objects.first()
    assert client.get(reverse("assessment:proof_file", args=[proof.pk])).status_code == 404
    response = client.post(reverse("assessment:expert_score_save", args=[a.pk]), {})
    assert response.status_code == 403 and "现在不能评分" in response.content.decode()


def test_an_expert_cannot_give_more_than_an_items_maximum(cast):
    fx.scheme(cast)
    a = fx.submitted(cast)
    acc.experts_assign(
        schools=[cast.school],
        experts=[cast.expert],
        cycle=cast.cycle,
        region_id=cast.district.pk,
        by=cast.district_admin,
    )
    items = rubric_of(a.scheme).items
    data = {f"points_{i.pk}": str(i.max_points) for i in items}
    plan = next(i for i in items if i.title == "研修方案")
    data[f"points_{plan.pk}"] = "5.5"
    data[f"text_{plan.pk}"] = "方案完整，略有创新"
    client = login(cast.expert)
    for name in ("expert_score_save", "expert_score_submit"):
        response = client.post(reverse(f"assessment:{name}", args=[a.pk]), data)
        assert response.status_code == 400
        page = response.content.decode()
        assert "“研修方案”的得分不能超过满分 5.0 分。" in page
        assert 'value="5.5"' in page and "方案完整，略有创新" in page  # nothing typed is lost
    assert not ExpertScore.objects.exists()
    data[f"points_{plan.pk}"] = "-1"
    assert (
        "不能小于 0"
        in client.post(reverse("assessment:expert_score_save", args=[a.pk]), data).content.decode()
    )
    # Submitting with an item left empty stores nothing either.
    data[f"points_{plan.pk}"] = ""
    response = client.post(reverse("assessment:expert_score_submit", args=[a.pk]), data)
    assert "还有 1 项未评分（研修方案 等）" in response.content.decode()
    assert not ExpertScore.objects.exists()
    assert a.assignments.get().submitted_at is None


def test_an_expert_cannot_change_scores_once_submitted(cast):
    fx.scheme(cast)
    other = f.school(cast.district, "赤坎第二小学")
    f.teacher(other)
    a = fx.scored(cast, school=other, experts=[cast.expert, fx.expert(cast)])
    data = {f"points_{i.pk}": "0" for i in rubric_of(a.scheme).items}
    response = login(cast.expert).post(reverse("assessment:expert_score_save", args=[a.pk]), data)
    assert response.status_code == 403 and "你已提交对该校的评分" in response.content.decode()
    assert not ExpertScore.objects.filter(points=0).exists()


# ---- the district ----------------------------------------------------------------------------


def test_a_district_admin_of_another_district_finds_nothing(cast):
    fx.scheme(cast)
    a = fx.scored(cast)
    other = login(cast.other_district_admin)
    school = cast.school.pk
    for name in ("district_acceptance", "evidence_plan", "evidence_cases"):
        assert other.get(reverse(f"assessment:{name}", args=[school])).status_code == 404
    for name in ("expert_assign", "acceptance_return", "acceptance_pass", "acceptance_fail"):
        response = other.post(reverse(f"assessment:{name}", args=[school]), {"reason": "x"})
        assert response.status_code == 404, name
    assignment = a.assignments.get()
    assert (
        other.post(reverse("assessment:expert_unassign", args=[assignment.pk])).status_code == 404
    )
    proof = ProofFile.objects.first()
    assert other.get(reverse("assessment:proof_file", args=[proof.pk])).status_code == 404
    rubric = rubric_of(a.scheme).items[0]
    assert other.get(reverse("assessment:rubric_item_edit", args=[rubric.pk])).status_code == 404
    proof_item = ProofItem.objects.filter(scheme=a.scheme).first()
    assert (
        other.post(reverse("assessment:proof_item_delete", args=[proof_item.pk])).status_code == 404
    )
    page = other.get(reverse("assessment:district_acceptances")).content.decode()
    assert cast.school.name not in page
    a.refresh_from_db()
    assert a.status == "scored"


def test_the_district_confirms_only_a_scored_school_reaching_the_pass_mark(cast):
    fx.scheme(cast, pass_mark=Decimal(25))
    a = fx.submitted(cast)
    district = login(cast.district_admin)
    url = reverse("assessment:acceptance_pass", args=[cast.school.pk])
    page = message_after(district, district.post(url))
    assert "须所有分配的专家提交评分后才能确认结果" in page
    acc.experts_assign(
        schools=[cast.school],
        experts=[cast.expert],
        cycle=cast.cycle,
        region_id=cast.district.pk,
        by=cast.district_admin,
    )
    acc.expert_scores_submit(assignment=a.assignments.get(), scores=fx.full_marks(a, Decimal(1)))
    page = message_after(district, district.post(url))
    assert "专家平均分 20.0 分，低于合格分 25.0 分，不能确认通过" in page
    a.refresh_from_db()
    assert a.status == "scored"


def test_only_the_districts_own_experts_can_be_assigned(cast):
    fx.scheme(cast)
    elsewhere = fx.expert(cast, "霞山专家", district=cast.other_district)
    district = login(cast.district_admin)
    response = district.post(
        reverse("assessment:expert_assign", args=[cast.school.pk]), {"experts": [elsewhere.pk]}
    )
    assert "所选专家不是本区县的考核专家" in message_after(district, response)
    assert not Acceptance.objects.exists()


def test_a_teacher_placed_in_the_school_is_counted_at_submission(cast):
    """The gate is read at the moment of submission, not cached."""
    fx.scheme(cast)
    fx.gate_met(cast)
    fx.materials(cast)
    newcomer = f.teacher(cast.school, "新来老师")
    assert SchoolMembership.objects.get(user=newcomer).is_full_time
    school = login(cast.school_admin)
    assert "还差 1 人" in message_after(school, school.post(SUBMIT))


def test_taking_an_expert_off_a_school(cast):
    """Before they submitted (their draft goes; if every remaining expert has
    submitted, the school is 已评分); never after."""
    fx.scheme(cast)
    slow = fx.expert(cast, "迟专家")
    a = fx.submitted(cast)
    acc.experts_assign(
        schools=[cast.school],
        experts=[cast.expert, slow],
        cycle=cast.cycle,
        region_id=cast.district.pk,
        by=cast.district_admin,
    )
    acc.expert_scores_submit(
        assignment=a.assignments.get(expert=cast.expert), scores=fx.full_marks(a)
    )
    acc.expert_scores_save(assignment=a.assignments.get(expert=slow), scores=fx.full_marks(a))
    district = login(cast.district_admin)
    done = a.assignments.get(expert=cast.expert)
    page = message_after(
        district, district.post(reverse("assessment:expert_unassign", args=[done.pk]))
    )
    assert "陈专家 已提交评分，不能取消分配" in page
    district.post(reverse("assessment:expert_unassign", args=[a.assignments.get(expert=slow).pk]))
    assert list(a.assignments.values_list("expert_id", flat=True)) == [cast.expert.pk]
    assert not ExpertScore.objects.filter(assignment__expert=slow).exists()
    a.refresh_from_db()
    assert a.status == "scored"
