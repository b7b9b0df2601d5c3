"""Issue 14 at phone width (375 px): a member scans the leader's code (opens the
token URL on their phone, logs in, is checked in) while the leader's screen
fills in; and a member comments at a moment of the lesson video with
"在此处评论", then a click on the comment's time seeks the video there."""

import time
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities import services
from activities.checkin_codes import checkin_token
from activities.models import CheckIn, VideoComment

from .. import factories_activities as fa
from .conftest import login_in_browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 812}
LESSON = Path(__file__).resolve().parents[2] / "activities" / "demo_data" / "lesson.webm"


def _until(page, expression: str, seconds: float = 10) -> None:
    """Wait until `expression` is true in the page. (page.wait_for_function
    polls through eval, which the site's Content-Security-Policy refuses.)"""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {seconds} s: {expression}"
        page.wait_for_timeout(100)


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_member_scans_the_code_on_a_phone_and_the_leaders_screen_fills_in(
    cast, live_server, browser, screenshot_path
):
    s = fa.group_setup(cast)
    a = fa.activity(
        s, "offline", held_on=timezone.localdate(), hours=3, title="集体备课：作文评价量规"
    )
    services.participants_designate(activity=a, by=s.leader, users=[s.member, s.member2])

    leader = browser.new_context(viewport=PHONE).new_page()
    leader.on("dialog", lambda d: d.accept())
    login_in_browser(leader, live_server, s.leader.username)
    leader.goto(f"{live_server.url}/activities/{a.pk}/")
    leader.click("text=开始扫码签到")
    leader.wait_for_selector("#checkin-code svg")
    assert leader.locator("#checkin-count").inner_text() == "0"
    leader.screenshot(path=screenshot_path("issue14-checkin-screen-phone"), full_page=True)
    _fits(leader)

    # The member's phone opens the link in the code: not logged in yet.
    phone = browser.new_context(viewport=PHONE).new_page()
    token_url = f"{live_server.url}/activities/checkin/{checkin_token(activity_id=a.pk)}/"
    phone.goto(token_url)
    assert "/accounts/login/" in phone.url
    phone.fill("input[name=username]", s.member.username)
    phone.fill("input[name=password]", "pass-word-123")
    phone.click("button[type=submit]")
    phone.wait_for_selector("#scan-outcome")
    assert phone.locator("#scan-outcome").inner_text() == "签到成功"
    phone.screenshot(path=screenshot_path("issue14-checkin-scanned-phone"), full_page=True)
    _fits(phone)
    assert CheckIn.objects.filter(activity=a, user=s.member).count() == 1
    # Scanning again (the code on the screen now) says when.
    phone.goto(f"{live_server.url}/activities/checkin/{checkin_token(activity_id=a.pk)}/")
    assert "无需重复签到" in phone.locator("#scan-outcome").inner_text()

    # The leader's list fills in by itself (htmx polling), without reloading.
    expect(leader.locator("#checkin-count")).to_have_text("1", timeout=10000)
    assert "李老师" in leader.locator("#checkin-rows").inner_text()
    leader.screenshot(path=screenshot_path("issue14-checkin-screen-filled-phone"), full_page=True)

    leader.click("text=结束签到，生成签到表")
    leader.wait_for_selector("#checkin-sheet")
    assert "李老师" in leader.locator("#sheet-rows").inner_text()
    assert "王老师" in leader.locator("#absent").inner_text()
    leader.screenshot(path=screenshot_path("issue14-checkin-sheet-phone"), full_page=True)
    _fits(leader)
    # On paper: the sheet alone, no menu, buttons or forms.
    leader.set_viewport_size({"width": 794, "height": 1123})
    leader.emulate_media(media="print")
    assert not leader.locator("nav.navbar").is_visible()
    assert not leader.locator("#sheet-evidence").is_visible()
    assert leader.locator("#sheet-rows").is_visible()
    leader.screenshot(path=screenshot_path("issue14-checkin-sheet-print"), full_page=True)


def test_a_member_comments_at_a_moment_of_the_video_on_a_phone(
    cast, live_server, browser, screenshot_path
):
    s = fa.group_setup(cast)
    a = fa.activity(s, "observation", title="《秋天的雨》听评课")
    services.observation_video_set(
        activity=a, by=s.leader, upload=fa.upload("lesson.webm", LESSON.read_bytes(), "video/webm")
    )
    p = services.participation_join(activity=a, user=s.member)
    services.participation_enter(participation=p)

    page = browser.new_context(viewport=PHONE).new_page()
    login_in_browser(page, live_server, s.member.username)
    page.goto(f"{live_server.url}/activities/{a.pk}/")
    _until(page, "document.querySelector('video').readyState >= 1")
    # The member has watched up to 1:15.
    page.evaluate(
        """() => new Promise(done => {
            const v = document.querySelector('video');
            v.addEventListener('seeked', () => done(), {once: true});
            v.currentTime = 75;
        })"""
    )
    page.click("#moment-here")
    assert page.input_value("#id_at") == "01:15"
    assert page.evaluate("document.activeElement.id") == "id_body"
    page.fill("#id_body", "追问让学生说出了理由，这一处很精彩。")
    page.locator("#moments").screenshot(path=screenshot_path("issue14-moment-form-phone"))
    page.click("#moment-form button[type=submit]")
    page.wait_for_selector("text=评论已发表")
    comment = VideoComment.objects.get(activity=a)
    assert (comment.second, comment.author) == (75, s.member)
    _fits(page)

    # Back to the start; a click on the comment's time seeks the video to 1:15.
    _until(page, "document.querySelector('video').readyState >= 1")
    page.evaluate("document.querySelector('video').currentTime = 0")
    page.click('.moment-seek[data-second="75"]')
    _until(page, "Math.abs(document.querySelector('video').currentTime - 75) < 1")
    page.wait_for_timeout(500)  # let the frame at 1:15 paint
    assert "01:15" in page.locator("#moment-list").inner_text()
    page.screenshot(path=screenshot_path("issue14-moment-seek-phone"), full_page=True)
