"""Choosing ability points: at least 3, among the school's key points unless
the school allows others; dropping a point that has a summary asks first and
then removes the summary; a point under evaluation cannot be dropped."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from assessment.models import AbilitySummary, EvaluationEvidence, PointChoice
from groups.models import SchoolSettings

from . import factories_assessment as fm

pytest_plugins = ["tests.fixtures_assessment"]
pytestmark = pytest.mark.django_db

POINTS = reverse("assessment:points")


def chosen(user) -> set[str]:
    return set(PointChoice.objects.filter(teacher=user).values_list("point__code", flat=True))


def test_teacher_chooses_three_key_points(cast, as_user, mats):
    client = as_user(cast.teacher)
    page = client.get(POINTS)
    offered = [str(p) for p in page.context["form"].fields["points"].queryset]
    # In natural order of their codes: A3 before A13.
    assert offered == [
        "A3 微课程设计与制作",
        "A13 评价量规设计与应用",
        "B1 跨学科学习活动设计",
        "G2 多技术融合环境下教研活动组织或参与",
    ]
    response = client.post(POINTS, {"points": [p.pk for p in mats.keys[:3]]}, follow=True)
    assert "能力点已保存" in " ".join(str(m) for m in response.context["messages"])
    assert chosen(cast.teacher) == {"A3", "A13", "G2"}


def test_fewer_than_three_are_refused(cast, as_user, mats):
    response = as_user(cast.teacher).post(POINTS, {"points": [p.pk for p in mats.keys[:2]]})
    assert "请至少选择 3 个能力点（当前选了 2 个）" in response.content.decode()
    assert chosen(cast.teacher) == set()


def test_a_point_outside_the_key_points_is_refused_unless_the_school_allows_it(cast, as_user, mats):
    other = fm.points("G4")[0]
    data = {"points": [p.pk for p in mats.keys[:2]] + [other.pk]}
    response = as_user(cast.teacher).post(POINTS, data)
    assert "所选能力点不在本校可选范围内" in response.content.decode()
    assert chosen(cast.teacher) == set()
    # The school admin ticks the setting on the settings page.
    as_user(cast.school_admin).post(
        reverse("groups:settings"),
        {
            "framework": mats.keys[0].framework_id,
            "one_activity_per_day": "on",
            "teachers_choose_any_point": "on",
        },
    )
    assert SchoolSettings.objects.get(school=cast.school).teachers_choose_any_point
    page = as_user(cast.teacher).get(POINTS).content.decode()
    assert "G4" in page and "关键" in page
    as_user(cast.teacher).post(POINTS, data)
    assert chosen(cast.teacher) == {"A3", "A13", "G4"}


def test_without_a_theme_the_page_says_whom_to_ask(cast, as_user):
    body = as_user(cast.teacher).get(POINTS).content.decode()
    assert "学校尚未设置校本主题的关键能力点，请联系学校管理员" in body


def test_dropping_a_point_with_a_summary_asks_then_removes_it(
    cast, as_user, mats, django_capture_on_commit_callbacks
):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    summary = fm.summary(cast, cast.teacher, mats.keys[0], name="A3总结.docx")
    stored = summary.file.name
    client = as_user(cast.teacher)
    swap = {"points": [p.pk for p in mats.keys[1:4]]}  # A3 out, B1 in
    response = client.post(POINTS, swap)
    body = response.content.decode()
    assert 'id="confirm-drop"' in body and "A3总结.docx" in body
    assert chosen(cast.teacher) == {"A3", "A13", "G2"}  # nothing changed yet
    assert AbilitySummary.objects.filter(pk=summary.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(POINTS, {**swap, "confirm": "True"}, follow=True)
    assert "已删除 1 份提升总结" in " ".join(str(m) for m in response.context["messages"])
    assert chosen(cast.teacher) == {"A13", "G2", "B1"}
    assert not AbilitySummary.objects.filter(pk=summary.pk).exists()
    assert not default_storage.exists(stored)


def test_dropping_a_point_without_materials_needs_no_confirmation(cast, as_user, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    as_user(cast.teacher).post(POINTS, {"points": [p.pk for p in mats.keys[1:4]]})
    assert chosen(cast.teacher) == {"A13", "G2", "B1"}


def test_a_point_under_evaluation_cannot_be_dropped(cast, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    fm.submit_evaluation(cast, cast.teacher, mats.keys[0])
    with pytest.raises(ValidationError, match="能力点 A3（已提交） 的测评材料已提交，不能更换"):
        fm.choose(cast, cast.teacher, mats.keys[1:4], confirm=True)
    assert chosen(cast.teacher) == {"A3", "A13", "G2"}


def test_dropping_a_point_with_draft_evidence_removes_it_after_confirmation(cast, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    fm.fill_evidence(cast, cast.teacher, mats.keys[0])
    from assessment.services import DropNeedsConfirmation

    with pytest.raises(DropNeedsConfirmation):
        fm.choose(cast, cast.teacher, mats.keys[1:4])
    fm.choose(cast, cast.teacher, mats.keys[1:4], confirm=True)
    assert not EvaluationEvidence.objects.exists()


def test_the_template_is_prefilled(cast, as_user, mats):
    import io

    from docx import Document

    fm.choose(cast, cast.teacher, mats.keys[:3])
    response = as_user(cast.teacher).get(reverse("assessment:plan_template"))
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    for heading in ("教师信息化教学能力起点自我分析", "能力提升目标", "研修内容及方式", "预期成果"):
        assert heading in text
    header, outcomes = doc.tables
    cells = [c.text for row in header.rows for c in row.cells]
    assert "李老师" in cells and "赤坎第一小学" in cells and "语文" in cells and "小学" in cells
    assert [c.text for c in outcomes.rows[0].cells] == ["应用能力点", "预期成果", "成果形式"]
    assert {r.cells[0].text for r in outcomes.rows[1:]} == {
        "A3 微课程设计与制作",
        "A13 评价量规设计与应用",
        "G2 多技术融合环境下教研活动组织或参与",
    }
