"""A leader publishes a 教学研讨 in the browser; a member joins, enters, posts,
and likes a colleague's post (the count changes in place, through htmx)."""

import datetime

import pytest

from activities import services
from activities.models import Activity, Like, Participation, Post

from .. import factories_activities as fa
from .conftest import login_in_browser

# serialized_rollback: the flush after a transactional test would otherwise take the
# ability-point catalogue (loaded by migrations) away from later tests on this worker.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_leader_publishes_member_posts_and_likes(cast, live_server, browser, screenshot_path):
    s = fa.group_setup(cast)
    topic = fa.topic(s)
    day = fa.today()

    leader = browser.new_page()
    login_in_browser(leader, live_server, s.leader.username)
    leader.goto(f"{live_server.url}/activities/topics/{topic.pk}/activities/new/")
    leader.select_option("select[name=kind]", "discussion")
    leader.fill("input[name=title]", "评价量规如何用于课堂")
    leader.fill("textarea[name=description]", "结合本组课例，谈谈评价量规的设计与使用。")
    leader.fill("input[name=held_on]", day.isoformat())
    leader.fill("input[name=opens_on]", (day - datetime.timedelta(days=1)).isoformat())
    leader.fill("input[name=closes_on]", (day + datetime.timedelta(days=7)).isoformat())
    leader.click("button[type=submit]:has-text('保存')")
    leader.get_by_role("button", name="发布").click()
    leader.wait_for_selector("text=已发布，已通知本组组员")
    activity = Activity.objects.get(title="评价量规如何用于课堂")
    assert activity.status == "published"

    # A colleague has already posted; the member will like that post.
    services.participation_join(activity=activity, user=s.member2)
    services.post_create(
        activity=activity, user=s.member2, body="我先说：量规要和学生一起讨论确定，效果更好。"
    )
    colleague_post = Post.objects.get(author=s.member2)

    member = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    login_in_browser(member, live_server, s.member.username)
    member.goto(f"{live_server.url}/activities/{activity.pk}/")
    member.get_by_role("button", name="参与活动").click()
    member.get_by_role("button", name="进入研修").click()
    member.fill("textarea[name=body]", "我在作文课上用了评价量规，学生自评更有依据了。")
    member.get_by_role("button", name="发表观点").click()
    member.wait_for_selector("text=观点已发表")
    assert Participation.objects.get(activity=activity, user=s.member).completed_at

    url_before = member.url
    like = member.locator(f"#like-{colleague_post.pk} button")
    like.click()
    member.wait_for_selector(f"#like-{colleague_post.pk} button:has-text('已赞')")
    assert member.locator(f"#like-{colleague_post.pk} .like-count").inner_text() == "1"
    assert member.url == url_before  # updated in place, no reload
    assert Like.objects.filter(post=colleague_post, user=s.member).exists()
    member.screenshot(path=screenshot_path("discussion_member"), full_page=True)
