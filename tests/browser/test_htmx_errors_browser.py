"""A tap the server refuses says so (static/js/htmx-errors.js): a member
removed from the group while the discussion is open taps 点赞 and reads why
nothing happened, instead of nothing at all (outside test 6)."""

import pytest

from activities.models import Like, Post
from groups.models import GroupMember

from .. import factories_activities as fa
from .conftest import login_in_browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_refused_like_says_why(cast, live_server, browser):
    s = fa.group_setup(cast)
    a = fa.activity(s, "discussion")
    Post.objects.create(activity=a, author=s.member2, body="用微课导入后学生参与度明显提高。")
    from activities.services import participation_enter, participation_join

    participation_enter(participation=participation_join(activity=a, user=s.member))
    page = browser.new_page(locale="zh-CN")
    login_in_browser(page, live_server, s.member.username)
    page.goto(f"{live_server.url}/activities/{a.pk}/")
    button = page.locator(".like-button").first
    button.wait_for()
    GroupMember.objects.filter(group=s.group, user=s.member).delete()  # removed meanwhile
    button.click()
    said = page.locator(".htmx-error")
    said.wait_for()
    assert said.inner_text().startswith("操作未完成") and "无权" in said.inner_text()
    assert not Like.objects.exists()
    page.close()
