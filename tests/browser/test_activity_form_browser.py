"""A leader on a phone: creates a topic and publishes it in one step, then adds
activities; the form shows 学时 only for 线下活动 and 作业类型 only for 研修作业
(static/js/activity-form.js)."""

import datetime

import pytest

from activities.models import Activity, Topic

from .. import factories_activities as fa
from .conftest import login_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_topic_in_one_step_then_each_type_shows_only_its_own_fields(
    cast, live_server, browser, screenshot_path
):
    s = fa.group_setup(cast)
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    login_in_browser(page, live_server, s.leader.username)

    page.goto(f"{live_server.url}/activities/groups/{s.group.pk}/topics/new/")
    page.fill("input[name=title]", "评价量规专题")
    page.locator("input[name=key_points]").first.check()
    page.get_by_role("button", name="保存并发布").click()
    page.wait_for_selector("text=已发布，现在可以在其下添加活动")
    topic = Topic.objects.get(group=s.group)
    assert topic.status == "published"
    page.get_by_role("link", name="添加活动").click()
    page.wait_for_selector("#activity-form")

    hours = page.locator("#div_id_hours_value")
    task = page.locator("#div_id_task_kind")
    expected = {
        "discussion": (False, False),
        "homework": (False, True),
        "observation": (False, False),
        "offline": (True, False),
    }
    for kind, (hours_shown, task_shown) in expected.items():
        page.select_option("select[name=kind]", kind)
        assert hours.is_visible() == hours_shown, kind
        assert task.is_visible() == task_shown, kind
        if kind == "offline":
            page.screenshot(path=screenshot_path("activity-form-offline-phone"), full_page=True)

    day = fa.today()
    page.fill("input[name=title]", "集体备课：作文评价量规")
    page.fill("input[name=held_on]", day.isoformat())
    page.fill("input[name=opens_on]", (day - datetime.timedelta(days=1)).isoformat())
    page.fill("input[name=closes_on]", (day + datetime.timedelta(days=1)).isoformat())
    page.fill("input[name=hours_value]", "4")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=已保存为草稿")
    activity = Activity.objects.get(topic=topic)
    assert activity.kind == "offline" and activity.hours_value == 4
    context.close()
