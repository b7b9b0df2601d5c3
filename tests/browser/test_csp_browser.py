"""Issue 8 point 12: under the Content-Security-Policy every role's pages load
with no violation (no inline script, no injected style), and the scripts that
remain work: Bootstrap's menu, htmx's likes, the confirm dialogs, the plan
form's rows."""

import pytest
from django.urls import reverse

from accounts.models import SchoolMembership
from activities import services
from activities.models import Like, Post

from .. import factories_activities as fa
from .conftest import login_in_browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || ""));
});
"""


def watched(browser, live_server, user, viewport=None):
    page = browser.new_page(viewport=viewport or {"width": 1280, "height": 800})
    page.add_init_script(WATCH)
    console = []
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )
    login_in_browser(page, live_server, user.username)
    return page, console


def visit_all(page, console, live_server, paths):
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__csp") == [], path
        assert console == [], path


@pytest.fixture
def world(cast):
    s = fa.group_setup(cast)
    discussion = fa.activity(s, "discussion")
    homework = fa.activity(s, "homework", task_kind="reflection")
    offline = fa.activity(s, "offline", hours=4)
    observation = fa.activity(s, "observation")
    services.participation_join(activity=discussion, user=s.member2)
    services.post_create(activity=discussion, user=s.member2, body="量规要和学生一起讨论。")
    services.participation_enter(
        participation=services.participation_join(activity=discussion, user=s.member)
    )
    return s, discussion, homework, offline, observation


def test_every_roles_pages_load_with_no_csp_violation(
    cast, world, live_server, browser, screenshot_path
):
    s, discussion, homework, offline, observation = world
    membership = SchoolMembership.objects.get(user=cast.teacher)
    from assessment.services import point_choices_save

    point_choices_save(teacher=s.member, school=cast.school, cycle=cast.cycle, points=s.points)
    activity_pages = [reverse("activities:detail", args=[a.pk]) for a in world[1:]]
    roles = [
        (
            s.member,
            [
                "/",
                reverse("activities:mine"),
                reverse("hours:mine"),
                reverse("accounts:inbox"),
                reverse("accounts:password_change"),
                reverse("assessment:mine"),
                reverse("assessment:points"),
                reverse("assessment:evaluation", args=[s.points[0].pk]),
                *activity_pages,
            ],
        ),
        (
            s.leader,
            [
                reverse("activities:leading"),
                reverse("activities:group", args=[s.group.pk]),
                reverse("activities:coverage", args=[s.group.pk]),
                reverse("activities:observation_results", args=[observation.pk]),
                reverse("hours:group"),
                reverse("groups:detail", args=[s.group.pk]),
                reverse("assessment:leader_evaluations"),
                reverse("assessment:cases"),
                *activity_pages,
            ],
        ),
        (
            cast.school_admin,
            [
                "/",
                reverse("accounts:roster"),
                reverse("accounts:teacher_create"),
                reverse("accounts:teacher_edit", args=[membership.pk]),
                reverse("accounts:roster_import"),
                reverse("groups:list"),
                reverse("groups:theme"),
                reverse("groups:plan_edit"),
                reverse("groups:settings"),
                reverse("hours:school"),
                reverse("groups:removals"),
                reverse("assessment:review"),
                reverse("assessment:review_teacher", args=[membership.pk]),
                reverse("assessment:school_cases"),
                reverse("assessment:register"),
                reverse("hours:teacher_remove", args=[membership.pk]),
            ],
        ),
        (
            cast.info_team,
            ["/", reverse("groups:plan"), reverse("assessment:register")],
        ),
        (
            cast.district_admin,
            ["/", reverse("accounts:district_schools"), reverse("hours:district")],
        ),
        (cast.expert, ["/"]),
        (cast.operator, ["/", "/admin/", reverse("admin:groups_abilitypoint_import")]),
    ]
    for user, paths in roles:
        page, console = watched(browser, live_server, user)
        visit_all(page, console, live_server, paths)
        page.close()
    # A phone: the collapsed menu opens (Bootstrap's script runs).
    page, console = watched(browser, live_server, s.member, {"width": 375, "height": 812})
    page.locator(".navbar-toggler").click()
    page.wait_for_selector("#mainnav.show")
    assert page.evaluate("window.__csp") == [] and console == []
    page.screenshot(path=screenshot_path("csp-phone-menu"), full_page=True)


def test_htmx_likes_and_confirm_dialogs_work_under_the_policy(
    cast, world, live_server, browser, screenshot_path
):
    s, discussion, *_ = world
    page, console = watched(browser, live_server, s.member)
    page.goto(f"{live_server.url}{reverse('activities:detail', args=[discussion.pk])}")
    post = Post.objects.get(author=s.member2)
    page.locator(f"#like-{post.pk} button").click()
    page.wait_for_selector(f"#like-{post.pk} button:has-text('已赞')")
    assert Like.objects.filter(post=post, user=s.member).exists()
    assert page.evaluate("window.__csp") == [] and console == []

    admin, console = watched(browser, live_server, cast.school_admin)
    membership = SchoolMembership.objects.get(user=cast.teacher)
    admin.goto(f"{live_server.url}{reverse('accounts:teacher_edit', args=[membership.pk])}")
    admin.once("dialog", lambda d: d.dismiss())
    admin.get_by_role("button", name="生成临时密码").click()
    admin.wait_for_timeout(300)
    assert "teacher_edit" not in admin.url or "/edit/" in admin.url
    cast.teacher.refresh_from_db()
    assert not cast.teacher.must_change_password  # said no: nothing reset
    admin.once("dialog", lambda d: d.accept())
    admin.get_by_role("button", name="生成临时密码").click()
    admin.wait_for_selector("#one-time-password")
    admin.screenshot(path=screenshot_path("password-reset-once"), full_page=True)
    cast.teacher.refresh_from_db()
    assert cast.teacher.must_change_password
    assert admin.evaluate("window.__csp") == [] and console == []


def test_the_plan_forms_rows_are_added_by_the_static_script(cast, live_server, browser):
    page, console = watched(browser, live_server, cast.school_admin)
    page.goto(f"{live_server.url}{reverse('groups:plan_edit')}")
    box = page.locator(".rows-formset").first
    before = box.locator("tbody.rows tr").count()
    box.locator(".row-add").click()
    assert box.locator("tbody.rows tr").count() == before + 1
    assert page.evaluate("window.__csp") == [] and console == []
