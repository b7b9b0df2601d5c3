"""The first offline evidence asks the leader to tick "将为 N 名组员计入 X 学时"
(issue 9 §3) on a phone-sized page: the browser will not send the form
without the tick (a required checkbox, no JavaScript confirm()); with it the
members are credited, and the leader's own hours wait in the school admin's
queue (issue 8 §5), shown at phone width."""

import pytest

from activities.models import Evidence
from hours.models import HoursClaim, HoursEntry

from .. import factories_activities as fa
from .conftest import login_in_browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_leader_ticks_how_many_the_first_evidence_credits(
    cast, live_server, browser, screenshot_path, tmp_path
):
    s = fa.group_setup(cast)
    a = fa.activity(s, "offline", hours=8, title="集体备课：作文评价量规")
    from activities import services

    services.participants_designate(activity=a, by=s.leader, users=[s.leader, s.member, s.member2])
    picture = tmp_path / "签到表.png"
    picture.write_bytes(fa.PNG)

    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    login_in_browser(page, live_server, s.leader.username)
    page.goto(f"{live_server.url}/activities/{a.pk}/")
    label = page.locator("label[for=id_confirm_credit]")
    assert "将为 3 名组员计入 8 学时" in label.inner_text()
    page.select_option("select[name=kind]", "sign_in")
    page.set_input_files("input[name=file]", str(picture))
    page.screenshot(path=screenshot_path("evidence-confirm-phone"), full_page=True)
    # Without the tick the browser refuses to send the form.
    page.click("#evidence-form button[type=submit]")
    assert not page.evaluate("document.querySelector('#id_confirm_credit').checkValidity()")
    assert not Evidence.objects.exists()
    page.check("#id_confirm_credit")
    page.click("#evidence-form button[type=submit]")
    page.wait_for_selector("text=佐证材料已上传")
    assert Evidence.objects.count() == 1
    assert HoursEntry.objects.filter(object_id=a.pk, kind="credit").count() == 2
    assert HoursClaim.objects.filter(teacher=s.leader, status="pending").count() == 1

    admin = context.new_page()
    context.clear_cookies()
    login_in_browser(admin, live_server, cast.school_admin.username)
    admin.goto(f"{live_server.url}/activities/school/claims/")
    admin.wait_for_selector("text=确认计入 8 学时")
    admin.screenshot(path=screenshot_path("claims-queue-phone"), full_page=True)
    width = admin.evaluate("document.documentElement.scrollWidth")
    assert width <= 375  # nothing sticks out at phone width
    admin.click("text=确认计入 8 学时")
    admin.wait_for_selector("text=没有待确认的组长本人学时")
    assert HoursEntry.objects.filter(teacher=s.leader, kind="credit").count() == 1
    context.close()
