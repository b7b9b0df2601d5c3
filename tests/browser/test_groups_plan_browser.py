"""The info team edits the 两案 in the page: adds and removes a team row and a
schedule row, saves, and the .docx export holds exactly the rows kept."""

import pytest
from docx import Document

from groups.services import school_plan_save
from tests.factories_groups import points

from .conftest import login_in_browser

# The ability-point catalogue this test needs is reloaded after other tests'
# flushes by tests/conftest.py's _ability_catalogue fixture.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def existing_plan(cast):
    school_plan_save(
        school=cast.school,
        cycle=cast.cycle,
        fields={"theme": "多技术融合环境下的课堂教学", "stages": "小学"},
        team=[
            {"name": "赵校长", "age": "48", "education": "本科", "major": "中文", "title": "校长"},
            {
                "name": "旧成员",
                "age": "50",
                "education": "本科",
                "major": "数学",
                "title": "已调走",
            },
        ],
        points=[{"point": points("A3")[0], "reason": "教师需求最集中"}],
        schedule=[
            {"when": "9 月", "content": "制定两案", "owner": "赵校长"},
            {"when": "旧安排", "content": "取消的活动", "owner": "无"},
        ],
        by=cast.school_admin,
    )


def test_info_team_edits_plan_rows_in_the_page_and_the_docx_follows(
    cast, live_server, page, screenshot_path
):
    existing_plan(cast)
    login_in_browser(page, live_server, cast.info_team.username)
    page.goto(f"{live_server.url}/school/plan/")
    page.get_by_role("link", name="修改方案").click()
    page.wait_for_selector("#plan-form")

    team = page.locator(".rows-formset[data-prefix=team]")
    team.locator("tr.row-form", has=page.locator("input[value=旧成员]")).get_by_role(
        "button", name="删除"
    ).click()
    team.get_by_role("button", name="+ 添加一行").click()
    new = team.locator("tbody.rows tr.row-form").last
    new.get_by_label("姓名").fill("孙老师")
    new.get_by_label("年龄").fill("32")
    new.get_by_label("学历").fill("硕士")
    new.get_by_label("专业").fill("教育技术")
    new.get_by_label("职务").fill("信息技术骨干")

    schedule = page.locator(".rows-formset[data-prefix=schedule]")
    schedule.locator("tr.row-form", has=page.locator("input[value=旧安排]")).get_by_role(
        "button", name="删除"
    ).click()
    schedule.get_by_role("button", name="+ 添加一行").click()
    row = schedule.locator("tbody.rows tr.row-form").last
    row.get_by_label("时间").fill("2026.11—2027.5")
    row.get_by_label("内容").fill("各教研组开展研修活动")
    row.get_by_label("负责人").fill("各教研组长")

    # The ability-point row is a choice among the school's points, still editable.
    points_box = page.locator(".rows-formset[data-prefix=points]")
    points_box.locator("select").first.select_option(label="G2 多技术融合环境下教研活动组织或参与")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshot_path("groups-plan-edit-phone"), full_page=True)
    team.screenshot(path=screenshot_path("groups-plan-edit-team-rows-phone"))

    page.get_by_role("button", name="保存方案").click()
    page.wait_for_url(f"{live_server.url}/school/plan/")
    assert "校本研修方案已保存" in page.content()
    page.screenshot(path=screenshot_path("groups-plan-saved-phone"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Word").click()
    doc = Document(str(download.value.path()))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    _, team_table, point_table, schedule_table = tables
    assert team_table[1:] == [
        ["赵校长", "48", "本科", "中文", "校长"],
        ["孙老师", "32", "硕士", "教育技术", "信息技术骨干"],
    ]
    assert point_table[1:] == [["G2 多技术融合环境下教研活动组织或参与", "教师需求最集中"]]
    assert schedule_table[1:] == [
        ["9 月", "制定两案", "赵校长"],
        ["2026.11—2027.5", "各教研组开展研修活动", "各教研组长"],
    ]
