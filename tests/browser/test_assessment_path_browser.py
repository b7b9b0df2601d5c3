"""The teacher's path on a phone (375 px) through to a passed review: at 25
hours the home page names the next step; the teacher uploads the plan, chooses
three points, uploads a summary for each; the school admin passes them; the
teacher sees 通过. No page scrolls sideways at 375 px."""

import pytest

from assessment.models import TeacherReview

from .. import factories_assessment as fm
from .conftest import login_in_browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 812}
# Content-Security-Policy violations, collected in the page (as in test_csp_browser).
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def file_payload(name, content, mime="application/pdf"):
    return {"name": name, "mimeType": mime, "buffer": content}


def test_teacher_path_on_a_phone_to_a_passed_review(cast, live_server, browser, screenshot_path):
    fm.mats_setup(cast)  # key points A3, A13, G2, B1; 语文组 and 数学组
    fm.give_hours(cast, cast.teacher, 25)

    teacher = browser.new_context(viewport=PHONE)
    teacher.add_init_script(WATCH)
    page = teacher.new_page()
    login_in_browser(page, live_server, cast.teacher.username)
    path = page.locator("#path")
    assert "25/25" in path.locator("[data-step=hours]").inner_text()
    assert path.locator("[data-step=hours] .badge").inner_text() == "已完成"
    page.screenshot(path=screenshot_path("assessment-path-home-phone"), full_page=True)
    assert no_sideways_scroll(page)

    # Step 2: the plan (the home page's next step leads to it).
    path.locator("[data-step=plan]").get_by_role("link", name="下一步：去完成").click()
    page.wait_for_selector("#plan-form")
    page.set_input_files("#plan-input", file_payload("李老师的计划.pdf", fm.PDF))
    page.locator("#plan-form").get_by_role("button", name="上传", exact=True).click()
    page.wait_for_selector("text=提升计划已保存")
    assert "李老师的计划.pdf" in page.locator("#plan-file").inner_text()

    # Step 3: three of the school's key points.
    page.locator("#points").get_by_role("link", name="选择能力点").click()
    page.wait_for_selector("#points-form")
    for code in ("A3 ", "A13 ", "G2 "):
        page.locator("#points-form label", has_text=code).locator("input").check()
    page.screenshot(path=screenshot_path("assessment-points-phone"), full_page=True)
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=能力点已保存")

    # Step 4: a summary for each chosen point (seed 001 §十's table).
    for code in ("A3", "A13", "G2"):
        row = page.locator(f"#summary-table tr[data-point='{code}']")
        row.locator("input[type=file]").set_input_files(
            file_payload(f"{code}总结.docx", fm.DOCX, "application/octet-stream")
        )
        row.get_by_role("button", name="上传", exact=True).click()
        page.wait_for_selector(f"text={code} 的提升总结已保存")
    assert page.locator("[data-step=summaries] [data-figure]").inner_text() == "3/3"
    assert "四项要求已全部完成，等待学校考核" in path.inner_text()
    page.screenshot(path=screenshot_path("assessment-path-complete-phone"), full_page=True)
    assert no_sideways_scroll(page)

    # The school admin passes the teacher from the review table (also on a phone).
    school = browser.new_context(viewport=PHONE)
    school.add_init_script(WATCH)
    admin = school.new_page()
    login_in_browser(admin, live_server, cast.school_admin.username)
    admin.goto(f"{live_server.url}/school/review/?q=李老师")
    row = admin.locator("#review-table tbody tr", has_text="李老师")
    assert "完成" in row.inner_text() and "待考核" in row.inner_text()
    assert no_sideways_scroll(admin)
    # 查看材料 opens the teacher's materials in the page (htmx), passed from there.
    row.get_by_role("link", name="查看材料").click()
    panel = admin.locator("#review-panel #teacher-materials")
    panel.wait_for()
    assert admin.url.endswith("/school/review/?q=李老师") or "q=" in admin.url
    assert "25/25" in panel.inner_text() and "A3 微课程设计与制作" in panel.inner_text()
    admin.screenshot(path=screenshot_path("assessment-review-phone"), full_page=True)
    assert no_sideways_scroll(admin)
    panel.get_by_role("button", name="通过", exact=True).click()
    admin.wait_for_selector("text=李老师：考核通过")
    assert admin.evaluate("window.__csp") == []
    assert TeacherReview.objects.get(teacher=cast.teacher).result == "passed"
    school.close()

    page.goto(f"{live_server.url}/training/")
    assert page.locator("#review-result").inner_text() == "通过"
    assert "研修考核已通过" in page.locator("#path").inner_text()
    assert page.locator("#plan-form").count() == 0  # locked after the pass
    page.screenshot(path=screenshot_path("assessment-passed-phone"), full_page=True)
    assert no_sideways_scroll(page)
    assert page.evaluate("window.__csp") == []
    teacher.close()
