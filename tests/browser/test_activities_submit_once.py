"""Double-click protection in the browser: a member double-clicks 提交作业 on a
phone-sized page; the button is disabled as the form is sent (static/js/
submit-once.js) and the server records one submission and one completion."""

import pytest

from activities import services
from activities.models import Participation, Submission

from .. import factories_activities as fa
from .conftest import login_in_browser

# serialized_rollback: the flush after a transactional test would otherwise take the
# ability-point catalogue (loaded by migrations) away from later tests on this worker.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


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
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    # Two taps in the same moment; a tick after the first the button is disabled
    # (still on this page: the response has not arrived yet).
    disabled = page.evaluate(
        """() => {
          const b = document.querySelector("#homework-form button[type=submit]");
          b.click();
          b.click();
          return new Promise((done) => setTimeout(() => done(b.disabled), 0));
        }"""
    )
    assert disabled
    page.wait_for_selector("text=作业已提交")
    page.screenshot(path=screenshot_path("homework-submitted-phone"), full_page=True)
    assert len([u for u in posts if u.endswith("/homework/")]) == 1
    assert Submission.objects.filter(activity=activity, user=s.member).count() == 1
    participation.refresh_from_db()
    assert participation.completed_at is not None
    context.close()
