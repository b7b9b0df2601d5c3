"""The school plan (两案): a structured form for the school admin and the info
team, exported as .docx in the template's order."""

import io

import pytest
from django.urls import reverse
from docx import Document

from groups.models import AbilityPoint, Framework, SchoolPlan, SchoolPlanPoint

from .factories_groups import points

pytest_plugins = ["tests.fixtures_groups"]  # `grouped`

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
        "points-0-point": str(points("A3")[0].pk),
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
    rows = [(r.point.code, r.reason) for r in SchoolPlanPoint.objects.filter(plan=plan)]
    assert rows == [("A3", "教师需求最集中")]
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
    client = as_user(cast.school_admin)
    client.post(
        reverse("groups:theme_edit"),
        {"title": "融合课堂", "key_points": [p.pk for p in points("A3", "G2")]},
    )
    page = client.get(reverse("groups:plan_edit"))
    assert page.context["form"].initial["theme"] == "融合课堂"
    assert [f.initial["point"] for f in page.context["points"]] == [
        p.pk for p in points("A3", "G2")
    ]
    # Each row is a choice among the framework's points, preselected and still editable.
    html = page.content.decode()
    assert '<select name="points-0-point"' in html
    assert "A13 评价量规设计与应用</option>" in html
    a3 = points("A3")[0].pk
    assert f'<option value="{a3}" selected>A3 微课程设计与制作</option>' in html


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


def test_plan_points_are_the_schools_framework_points_and_none_twice(cast, as_user):
    client = as_user(cast.school_admin)
    national = Framework.objects.get(name="国家 2.0").points.first()
    response = client.post(
        reverse("groups:plan_edit"), filled_plan(**{"points-0-point": str(national.pk)})
    )
    assert "所选能力点不在本校的能力点框架中" in response.content.decode()
    a3 = str(points("A3")[0].pk)
    twice = filled_plan(
        **management("points", 2), **{"points-1-point": a3, "points-1-reason": "再写一次"}
    )
    response = client.post(reverse("groups:plan_edit"), twice)
    assert "重复出现，每个能力点只需填写一次" in response.content.decode()
    reason_only = filled_plan(**{"points-0-point": ""})
    response = client.post(reverse("groups:plan_edit"), reason_only)
    assert "请选择这条理由对应的能力点" in response.content.decode()
    assert not SchoolPlan.objects.exists()


def test_a_retired_point_stays_on_the_plan_but_cannot_be_added(cast, as_user):
    client = as_user(cast.school_admin)
    client.post(reverse("groups:plan_edit"), filled_plan())
    a3, a13 = points("A3")[0], points("A13")[0]
    AbilityPoint.objects.filter(pk__in=[a3.pk, a13.pk]).update(retired=True)
    # A3 was already chosen: it is still offered (marked) and the plan saves.
    page = client.get(reverse("groups:plan_edit")).content.decode()
    assert "A3 微课程设计与制作（已停用）" in page and "A13 评价量规设计与应用" not in page
    # The page posts its rows as initial forms (unchanged extra rows would count as empty).
    again = filled_plan(**management("points", 1, initial=1))
    assert client.post(reverse("groups:plan_edit"), again).status_code == 302
    # A13 was not: refused.
    data = filled_plan(**{"points-0-point": str(a13.pk)})
    response = client.post(reverse("groups:plan_edit"), data)
    assert "所选能力点不在本校的能力点框架中" in response.content.decode()
    plan = SchoolPlan.objects.get()
    assert [r.point for r in SchoolPlanPoint.objects.filter(plan=plan)] == [a3]


def test_a_point_used_by_a_plan_can_be_retired_but_not_deleted(cast, as_user):
    from groups.catalogue import ability_point_in_use

    as_user(cast.school_admin).post(reverse("groups:plan_edit"), filled_plan())
    a3 = points("A3")[0]
    assert ability_point_in_use(a3)
    assert not ability_point_in_use(points("B4")[0])


def test_the_plan_service_itself_refuses_foreign_retired_and_repeated_points(cast):
    from django.core.exceptions import ValidationError

    from groups.services import school_plan_save

    def save(*rows):
        return school_plan_save(
            school=cast.school,
            cycle=cast.cycle,
            fields={},
            team=[],
            points=[{"point": p, "reason": "理由"} for p in rows],
            schedule=[],
            by=cast.school_admin,
        )

    a3, b4 = points("A3")[0], points("B4")[0]
    national = Framework.objects.get(name="国家 2.0").points.first()
    b4.retired = True
    b4.save(update_fields=["retired"])
    for rows, message in (
        ((national,), "不在本校的能力点框架中"),
        ((b4,), "已停用，不能再选用"),
        ((a3, a3), "重复出现"),
    ):
        with pytest.raises(ValidationError, match=message):
            save(*rows)
    assert not SchoolPlan.objects.exists()
    plan = save(a3)
    assert [r.point for r in SchoolPlanPoint.objects.filter(plan=plan)] == [a3]
