"""Double-click protection in the browser: a member double-clicks 提交作业 on a
phone-sized page; the button is disabled as the form is sent (static/js/
submit-once.js) and the server records one submission and one completion."""

import pytest

from activities import services
from activities.models import Participation, Submission

from .. import factories_activities as fa
from .conftest import login_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_double_click_on_submit_sends_the_homework_once(
    cast, live_server, browser, screenshot_path
):
    s = fa.group_setup(cast)
    activity = fa.activity(s, "homework", title="提交一份教学反思")
    services.participation_join(activity=activity, user=s.member)
    participation = Participation.objects.get(activity=activity, user=s.member)
    services.participation_enter(participation=participation)

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    login_in_browser(page, live_server, s.member.username)
    page.goto(f"{live_server.url}/activities/{activity.pk}/")
    page.fill("textarea[name=text]", "本节课用希沃白板的课堂活动，学生参与度明显提高。")
    # Slow the POST down so the second click lands while the first is in flight.
    page.route(
        "**/homework/",
        lambda route: (page.wait_for_timeout(800), route.continue_()),
    )
    button = page.locator("#homework-form button[type=submit]")
    button.dblclick()
    assert button.is_disabled()
    page.wait_for_selector("text=作业已提交")
    page.screenshot(path=screenshot_path("homework-submitted-phone"), full_page=True)
    assert Submission.objects.filter(activity=activity, user=s.member).count() == 1
    participation.refresh_from_db()
    assert participation.completed_at is not None
    context.close()
