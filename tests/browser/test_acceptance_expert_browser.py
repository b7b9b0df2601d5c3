"""An expert scores a school's whole-school acceptance on a phone (375 px):
from the home page to the school; every material in the page (the PDF in a
frame, the picture shown, the Word file a download); the school's self-score
beside each item; a score above the item's maximum refused with a message and
nothing typed lost; a draft saved; the scores submitted (after a
confirmation) and then read-only. No page scrolls sideways, nothing is
blocked by the Content-Security-Policy."""

import pytest

from assessment.demo import DOCX, _docx, _pdf
from assessment.demo_acceptance import _png
from assessment.models import ExpertScore, ProofItem
from assessment.selectors.acceptance import rubric_of
from assessment.services import acceptance as acc

from .. import factories_acceptance as fx
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

# The confirmation before 提交评分, answered "yes" in the page itself and kept
# across the navigation it starts: a Playwright dialog handler raced the page
# (the framed PDFs still loading) and sometimes found the dialog gone.
SAY_YES = """
window.confirm = function (question) {
  sessionStorage.setItem("asked", question);
  return true;
};
"""


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _school_with_materials(cast):
    """Submitted, with a real PDF, a picture and a Word file among its files."""
    fx.scheme(cast)
    fx.gate_met(cast)
    a = acc.acceptance_open(school=cast.school, cycle=cast.cycle)
    real = {
        1: fx.upload("学校信息化管理团队分工表.png", _png(), "image/png"),
        3: fx.upload("信息化发展规划.pdf", _pdf("Development plan 2026"), "application/pdf"),
        5: fx.upload("校长动员讲话.docx", _docx("校长动员讲话", ["同志们："]), DOCX),
    }
    for item in ProofItem.objects.filter(scheme=a.scheme):
        upload = real.get(item.number) or fx.upload(
            f"第{item.number}项.pdf", _pdf(f"Item {item.number}")
        )
        acc.proof_files_add(
            school=cast.school, cycle=cast.cycle, item=item, uploads=[upload], by=cast.school_admin
        )
    acc.self_scores_save(
        school=cast.school,
        cycle=cast.cycle,
        scores={
            i.pk: (i.max_points - 1, f"{i.title}：自查完成") for i in rubric_of(a.scheme).items
        },
        by=cast.school_admin,
    )
    acc.acceptance_submit(school=cast.school, cycle=cast.cycle, by=cast.school_admin)
    acc.experts_assign(
        schools=[cast.school],
        experts=[cast.expert],
        cycle=cast.cycle,
        region_id=cast.district.pk,
        by=cast.district_admin,
    )
    return a


def test_an_expert_scores_a_school_on_a_phone(cast, live_server, browser, screenshot_path):
    a = _school_with_materials(cast)
    items = rubric_of(a.scheme).items
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    context.add_init_script(WATCH)
    page = context.new_page()
    login_in_browser(page, live_server, cast.expert.username)

    # Home: not a dead end any more.
    row = page.locator("#expert-schools tr", has_text=cast.school.name)
    assert "待评分" in row.inner_text()
    assert "为 1 所学校评分" in page.locator(".next-steps").inner_text()
    page.screenshot(path=screenshot_path("acceptance-expert-home-phone"))
    assert no_sideways_scroll(page)
    row.get_by_role("link", name="去评分").click()
    page.wait_for_selector("#materials")

    # Every material in the page.
    assert page.locator("iframe.proof-pdf").count() == 13
    image = page.locator("img.proof-image")
    image.scroll_into_view_if_needed()
    assert image.evaluate("img => img.complete && img.naturalWidth") == 240
    word = page.locator('[data-file="校长动员讲话.docx"]')
    assert "下载查看" in word.inner_text() and word.locator("iframe, img").count() == 0
    page.screenshot(path=screenshot_path("acceptance-expert-materials-phone"))
    assert no_sideways_scroll(page)

    # A score above the item's maximum: refused, what was typed kept.
    plan = next(i for i in items if i.title == "研修方案")
    for item in items:
        page.fill(f"#id_points_{item.pk}", str(item.max_points))
    page.fill(f"#id_points_{plan.pk}", "6")
    page.fill(f"#id_text_{plan.pk}", "方案完整，目标清楚")
    page.get_by_role("button", name="保存草稿").click()
    error = page.locator(f"#id_points_{plan.pk} ~ .invalid-feedback")
    error.wait_for()
    assert "评分未保存" in page.locator(".alert-danger").first.inner_text()
    page.screenshot(path=screenshot_path("acceptance-expert-refused-top-phone"))
    assert error.inner_text() == "“研修方案”的得分不能超过满分 5.0 分。"
    assert page.input_value(f"#id_text_{plan.pk}") == "方案完整，目标清楚"
    assert page.input_value(f"#id_points_{plan.pk}") == "6"
    assert not ExpertScore.objects.exists()
    page.locator('[data-rubric="研修方案"]').scroll_into_view_if_needed()
    page.screenshot(path=screenshot_path("acceptance-expert-refused-phone"))
    assert no_sideways_scroll(page)

    # Corrected and saved as a draft; then submitted after the confirmation.
    page.fill(f"#id_points_{plan.pk}", "4.5")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_selector("text=草稿已保存")
    assert ExpertScore.objects.get(item=plan).points == 4.5
    assert (
        "学校自评：4.0 分（研修方案：自查完成）"
        in page.locator('[data-rubric="研修方案"]').inner_text()
    )
    context.add_init_script(SAY_YES)
    page.reload()
    page.get_by_role("button", name="提交评分").click()
    page.wait_for_selector("#submitted")
    assert page.evaluate("sessionStorage.getItem('asked')").startswith("提交后评分不能修改")
    assert "合计 29.5 分" in page.locator("#submitted").inner_text()
    assert page.locator("#score-form").count() == 0  # read-only now
    assert (
        "我的评分：4.5 分（方案完整，目标清楚）"
        in page.locator('[data-rubric="研修方案"]').inner_text()
    )
    a.refresh_from_db()
    assert a.status == "scored"
    page.wait_for_load_state("load")  # the framed PDFs, so the layout stays put
    page.locator("#submitted").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=screenshot_path("acceptance-expert-submitted-phone"))
    assert no_sideways_scroll(page)
    assert page.evaluate("window.__csp") == []
    context.close()
