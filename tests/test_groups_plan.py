"""The school plan (两案): a structured form for the school admin and the info
team, exported as .docx in the template's order."""

import io

import pytest
from django.urls import reverse
from docx import Document

from groups.models import SchoolPlan

pytestmark = pytest.mark.django_db


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def filled_plan(**extra) -> dict:
    data = {
        "stages": "小学",
        "principal": "赵校长",
        "contact_person": "钱老师",
        "contact_phone": "0759-1234567",
        "goal_basic": "每位教师完成 25 学时的校本实践",
        "goal_teachers": "完成 3 个微能力点认证",
        "goal_students": "学习投入度提高",
        "goal_school": "满意度高于 95%",
        "theme": "多技术融合环境下的课堂教学",
        "format": "异步在线课程+线下课堂实践",
        "assessment": "每位教师至少通过 3 个能力点",
        "mechanisms": "纳入年度考核",
        **management("team", 2),
        "team-0-name": "赵校长",
        "team-0-age": "48",
        "team-0-education": "本科",
        "team-0-major": "汉语言文学",
        "team-0-title": "校长",
        "team-1-name": "钱老师",
        "team-1-age": "35",
        "team-1-education": "硕士",
        "team-1-major": "教育技术",
        "team-1-title": "信息中心主任",
        **management("points", 1),
        "points-0-point": "A3 微课程设计与制作",
        "points-0-reason": "教师需求最集中",
        **management("schedule", 2),
        "schedule-0-when": "2026.9—2026.10",
        "schedule-0-content": "组建团队，制定方案",
        "schedule-0-owner": "赵校长",
        "schedule-1-when": "2026.11—2027.5",
        "schedule-1-content": "开展研修活动",
        "schedule-1-owner": "各教研组长",
    }
    data.update(extra)
    return data


def test_school_admin_fills_in_the_plan_with_table_rows(cast, as_user):
    client = as_user(cast.school_admin)
    assert client.get(reverse("groups:plan_edit")).status_code == 200
    response = client.post(reverse("groups:plan_edit"), filled_plan())
    assert response.status_code == 302
    plan = SchoolPlan.objects.get(school=cast.school, cycle=cast.cycle)
    assert [r["name"] for r in plan.team] == ["赵校长", "钱老师"]
    assert plan.points == [{"point": "A3 微课程设计与制作", "reason": "教师需求最集中"}]
    assert [r["owner"] for r in plan.schedule] == ["赵校长", "各教研组长"]
    assert plan.updated_by == cast.school_admin


def test_info_team_edits_the_plan_and_removes_a_row(cast, as_user):
    as_user(cast.school_admin).post(reverse("groups:plan_edit"), filled_plan())
    client = as_user(cast.info_team)
    # The page's 删除 button ticks the row's DELETE box; 添加一行 adds a numbered row.
    data = filled_plan(
        **management("team", 3, initial=2),
        **{"team-0-DELETE": "on", "team-2-name": "孙老师", "team-2-title": "骨干教师"},
    )
    assert client.post(reverse("groups:plan_edit"), data).status_code == 302
    plan = SchoolPlan.objects.get(school=cast.school)
    assert [r["name"] for r in plan.team] == ["钱老师", "孙老师"]
    assert plan.updated_by == cast.info_team


def test_bad_row_is_refused_with_a_message(cast, as_user):
    response = as_user(cast.school_admin).post(
        reverse("groups:plan_edit"), filled_plan(**{"team-0-age": "三十"})
    )
    assert response.status_code == 200
    assert "年龄应为 18–80 之间的整数" in response.content.decode()
    assert not SchoolPlan.objects.exists()


@pytest.mark.parametrize("who", ["teacher", "district_admin", "outsider"])
def test_others_cannot_edit_the_plan(cast, as_user, who):
    response = as_user(getattr(cast, who)).post(reverse("groups:plan_edit"), filled_plan())
    assert response.status_code == 403
    assert not SchoolPlan.objects.exists()


def test_plan_pages_need_login(client, cast):
    for name in ("groups:plan", "groups:plan_edit", "groups:plan_export"):
        assert client.get(reverse(name)).url.startswith(reverse("accounts:login"))


def test_a_new_plan_is_prefilled_from_the_theme(cast, as_user):
    from .factories_groups import points

    client = as_user(cast.school_admin)
    client.post(
        reverse("groups:theme_edit"),
        {"title": "融合课堂", "key_points": [p.pk for p in points("A3", "G2")]},
    )
    page = client.get(reverse("groups:plan_edit"))
    assert page.context["form"].initial["theme"] == "融合课堂"
    assert [f.initial["point"] for f in page.context["points"]] == [
        "A3 微课程设计与制作",
        "G2 多技术融合环境下教研活动组织或参与",
    ]


def test_the_docx_export_opens_and_holds_every_section_in_order(cast, as_user):
    as_user(cast.school_admin).post(reverse("groups:plan_edit"), filled_plan())
    # Every school role may read and download it; other schools have no plan to see.
    response = as_user(cast.teacher).get(reverse("groups:plan_export"))
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    doc = Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in doc.paragraphs]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "一、基本信息",
        "学校信息化管理团队",
        "二、校本研修绩效目标",
        "三、校本研修内容",
        "四、校本研修安排",
        "五、校本研修考核和机制",
    ]
    text = "\n".join(paragraphs)
    for expected in (
        "基本的绩效目标：每位教师完成 25 学时的校本实践",
        "面向教师：完成 3 个微能力点认证",
        "面向学生：学习投入度提高",
        "面向学校：满意度高于 95%",
        "研修主题：多技术融合环境下的课堂教学",
        "研修形式：异步在线课程+线下课堂实践",
        "考核要求：每位教师至少通过 3 个能力点",
        "机制设计：纳入年度考核",
    ):
        assert expected in text
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    basic, team, points, schedule = tables
    assert basic[1] == [cast.school.name, "小学", "赵校长", "钱老师", "0759-1234567"]
    assert team[0] == ["姓名", "年龄", "学历", "专业", "职务"]
    assert team[2] == ["钱老师", "35", "硕士", "教育技术", "信息中心主任"]
    assert points[1] == ["A3 微课程设计与制作", "教师需求最集中"]
    assert schedule[0] == ["时间", "内容", "负责人"]
    assert schedule[2] == ["2026.11—2027.5", "开展研修活动", "各教研组长"]


def test_export_without_a_plan_says_so(cast, as_user):
    response = as_user(cast.school_admin).get(reverse("groups:plan_export"), follow=True)
    assert "本校尚未填写校本研修方案" in response.content.decode()


def test_another_schools_plan_is_never_shown(cast, as_user):
    as_user(cast.school_admin).post(reverse("groups:plan_edit"), filled_plan())
    response = as_user(cast.outsider).get(reverse("groups:plan"))
    assert response.status_code == 200
    assert response.context["plan"] is None
