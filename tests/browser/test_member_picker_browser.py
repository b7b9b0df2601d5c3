"""添加组员 in the browser, on a phone: the leader types and the list follows
(htmx, no reload), ticks teachers with the keyboard, adds them, and stays to
look for more; with JavaScript off the same search is a plain form."""

import pytest

from accounts.figures import school_figures_changed
from groups.models import GroupMember

from .. import factories as f
from .. import factories_activities as fa
from .conftest import login_in_browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


def school_of_many(cast) -> None:
    for i in range(30):
        f.teacher(cast.school, f"数学老师{i:02d}", subject="数学")
    for i in range(30):
        f.teacher(cast.school, f"美术老师{i:02d}", subject="美术")
    school_figures_changed(school_ids=[cast.school.pk])


def test_the_leader_searches_as_they_type_and_adds_with_the_keyboard(
    cast, live_server, browser, screenshot_path
):
    s = fa.group_setup(cast)
    school_of_many(cast)
    page = browser.new_page(viewport=PHONE)
    login_in_browser(page, live_server, s.leader.username)
    url = f"{live_server.url}/groups/{s.group.pk}/members/add/"
    page.goto(url)
    assert page.locator("#candidates input[name=users]").count() == 20  # one page
    page.get_by_label("搜索本校教师").press_sequentially("美术老师1", delay=30)
    page.wait_for_selector("#candidates-count:has-text('“美术老师1”：10 位')")
    assert page.url.endswith("?q=%E7%BE%8E%E6%9C%AF%E8%80%81%E5%B8%881")  # back-button friendly
    names = page.locator("#candidates label").all_inner_texts()
    assert len(names) == 10 and all(n.startswith("美术老师1") for n in names)
    # Keyboard only: Tab from the search box to the first teacher, Space ticks.
    page.get_by_label("搜索本校教师").focus()
    page.keyboard.press("Tab")  # the 搜索 button
    page.keyboard.press("Tab")  # the first teacher
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.get_by_role("button", name="添加所选教师").click()
    page.wait_for_selector("text=已添加 2 位组员")
    added = set(
        GroupMember.objects.filter(
            group=s.group, user__real_name__startswith="美术老师1"
        ).values_list("user__real_name", flat=True)
    )
    assert added == {"美术老师10", "美术老师11"}
    # Still on the picker, with the same search, the two gone from the list.
    page.wait_for_selector("#candidates-count:has-text('“美术老师1”：8 位')")
    page.screenshot(path=screenshot_path("member_picker_phone"), full_page=True)


def test_without_javascript_the_search_and_the_pages_are_plain_links(cast, live_server, browser):
    s = fa.group_setup(cast)
    school_of_many(cast)
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    login_in_browser(page, live_server, s.leader.username)
    page.goto(f"{live_server.url}/groups/{s.group.pk}/members/add/")
    page.fill("input[name=q]", "数学")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_selector("#candidates-count:has-text('“数学”：30 位')")
    page.get_by_role("link", name="下一页").click()
    page.wait_for_selector("text=第 2 / 2 页")
    page.locator("#candidates input[name=users]").first.check()
    page.get_by_role("button", name="添加所选教师").click()
    page.wait_for_selector("text=已添加 1 位组员")
    assert GroupMember.objects.filter(group=s.group, user__real_name="数学老师20").exists()
    context.close()
