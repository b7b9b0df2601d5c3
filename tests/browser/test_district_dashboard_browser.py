"""The district admin on a phone (375 px): the home page's schools by stage and
counted hours, drawn; the dashboard with every school as a card, filtered by
stage, sorted; a school opened read-only; an export of every teacher asked
for, its progress, then the download. No page scrolls sideways, every chart is
drawn, nothing is blocked by the Content-Security-Policy."""

import pytest

from assessment.services import acceptance as acc
from groups.services import group_create

from .. import factories as f
from .. import factories_acceptance as fx
from .. import factories_assessment as fm
from .conftest import login_in_browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 812}
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def charts_drawn(page) -> int:
    """How many charts ECharts drew (a canvas inside each chart box)."""
    return page.evaluate("document.querySelectorAll('.chart.chart-ready canvas').length")


def _district(cast):
    """赤坎区 with schools at several stages and teachers with hours."""
    fx.scheme(cast)
    for hours, teacher in zip(
        (25, 12, 4), (cast.teacher, cast.teacher2, cast.info_team), strict=True
    ):
        fm.give_hours(cast, teacher, hours)
    for i, stage in enumerate(["training", "training", "submitted", "scored", "passed"]):
        school = f.school(cast.district, f"赤坎区第{i + 2}小学")
        for j in range(3 + i):
            f.teacher(school, f"{i + 2}小老师{j}")
        if stage == "training":
            group_create(school=school, name="综合组", leader=None, by=cast.district_admin)
        elif stage == "submitted":
            fx.submitted(cast, school)
        else:
            a = fx.scored(cast, school)
            if stage == "passed":
                acc.acceptance_pass(acceptance=a, by=cast.district_admin)


def test_the_district_dashboard_on_a_phone(cast, live_server, browser, screenshot_path):
    _district(cast)
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    context.add_init_script(WATCH)
    page = context.new_page()
    login_in_browser(page, live_server, cast.district_admin.username)

    # Home: the district at a glance.
    glance = page.locator("#district-glance")
    assert "辖区内共有学校 6 所" in glance.inner_text().replace("\n", "")
    page.wait_for_function("document.querySelectorAll('.chart-ready canvas').length >= 2")
    assert "研修中：2 所" in page.locator("#stage-counts").inner_text()
    page.screenshot(path=screenshot_path("district-home-phone"), full_page=True)
    assert no_sideways_scroll(page)

    # The dashboard: figures, pictures, a card per school.
    page.get_by_role("link", name="区县看板").first.click()
    page.wait_for_selector("#dashboard-schools")
    page.wait_for_function("document.querySelectorAll('.chart-ready canvas').length >= 3")
    assert charts_drawn(page) == 3
    assert page.locator("#dashboard-schools tbody tr").count() == 6
    card = page.locator("#dashboard-schools tr", has_text=cast.school.name)
    assert "33%（1 人）" in card.inner_text()  # 1 of its 3 teachers at 25
    page.screenshot(path=screenshot_path("district-dashboard-phone"), full_page=True)
    page.screenshot(path=screenshot_path("district-dashboard-top-phone"))
    page.locator("#hours-progress").scroll_into_view_if_needed()
    page.screenshot(path=screenshot_path("district-dashboard-progress-phone"))
    card.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_path("district-dashboard-cards-phone"))
    assert no_sideways_scroll(page)

    # Filtered by stage and sorted by teachers, most first.
    page.select_option("select[name=stage]", "training")
    page.select_option("select[name=sort]", "-teachers")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**stage=training**")
    names = page.locator("#dashboard-schools tbody tr td:first-child a").all_inner_texts()
    assert names == ["赤坎区第3小学", "赤坎区第2小学"]
    page.screenshot(path=screenshot_path("district-dashboard-filtered-phone"), full_page=True)
    assert no_sideways_scroll(page)

    # A school, read-only.
    page.get_by_role("link", name="赤坎区第3小学").click()
    page.wait_for_selector("#school-teachers")
    assert "综合组" in page.locator("#school-groups").inner_text()
    assert "4 人" in page.locator("#school-figures").inner_text()
    page.screenshot(path=screenshot_path("district-school-phone"), full_page=True)
    assert no_sideways_scroll(page)

    # An export of every teacher: asked for, then downloaded from the panel.
    page.go_back()
    page.wait_for_selector("#district-exports")
    page.get_by_role("button", name="导出全体教师").click()
    link = page.locator("#export-list a", has_text="下载")
    link.wait_for()
    assert "全体教师" in page.locator("#export-list").inner_text()
    page.locator("#district-exports").scroll_into_view_if_needed()
    page.screenshot(path=screenshot_path("district-exports-phone"))
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert no_sideways_scroll(page)
    assert page.evaluate("window.__csp") == []
    context.close()
