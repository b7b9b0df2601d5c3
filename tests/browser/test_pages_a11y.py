"""Every role's main pages, as a new user opens them, at 1280×800 and at a
phone's 375×812 (WeChat): no serious or critical axe-core violation, no
JavaScript error or Content-Security-Policy violation, every chart drawn; and at 375 px the page never scrolls
sideways and no table squeezes its text to one or two characters a line (a
wide table becomes cards, or scrolls inside its own box).

The pages come from config/navigation.py (each role's whole menu), plus each
role's home, inbox and the detail pages the menu leads to: a page added to a
menu later is walked without touching this file. The data is the demo
province (`manage.py demo`): every activity type in every state, posts,
responses, hours. Screenshots land in test-artifacts/pages/<role>-<page>-<width>.png.
"""

import importlib

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from django.urls import reverse

from accounts import demo
from accounts.management.commands.demo import DEMO_APPS
from accounts.models import SchoolMembership
from accounts.navigation import NAVIGATION, nav_for
from accounts.roles import Role
from activities.models import Activity, Topic
from assessment.models import (
    AbilityEvaluation,
    Acceptance,
    PointChoice,
    ProofItem,
    RubricItem,
    TeacherReview,
)
from groups.models import ResearchGroup

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [(1280, 800), (375, 812)]
SERIOUS = {"serious", "critical"}
_axe = Axe()  # reads axe.min.js once; injected into each page


def demo_load():
    """The demo province, as `manage.py demo` loads it."""
    ctx = demo.load()
    for app in DEMO_APPS:
        try:
            module = importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError:
            continue
        module.load(ctx)
    return ctx


def _by_kind(activities) -> list[tuple[str, str]]:
    """One detail page per activity type (the first published one of each)."""
    first = {}
    for a in activities.exclude(status="draft").order_by("pk"):
        first.setdefault(a.kind, a)
    return [(f"activity-{k}", reverse("activities:detail", args=[a.pk])) for k, a in first.items()]


def key_pages(role: str, ctx) -> list[tuple[str, str]]:
    """The detail pages the menu leads to, found in the demo data by what they
    are (not by title: the demo may change)."""
    school = ctx.school
    if role == Role.OPERATOR:
        return [
            ("admin", reverse("admin:index")),
            ("admin-schools", reverse("admin:accounts_school_changelist")),
        ]
    if role == Role.SCHOOL_ADMIN:
        teacher = SchoolMembership.objects.active().filter(school=school, is_teacher=True).first()
        group = ResearchGroup.objects.filter(school=school, archived_at__isnull=True).first()
        return [
            ("roster-import", reverse("accounts:roster_import")),
            ("teacher-edit", reverse("accounts:teacher_edit", args=[teacher.pk])),
            ("group-detail", reverse("groups:detail", args=[group.pk])),
            ("group-edit", reverse("groups:edit", args=[group.pk])),
            ("theme-edit", reverse("groups:theme_edit")),
            ("hours-by-hours", reverse("hours:school") + "?sort=-hours"),
            ("review-complete", reverse("assessment:review") + "?completion=complete"),
            ("review-teacher", reverse("assessment:review_teacher", args=[_reviewed(school)])),
            ("remove-confirm", reverse("hours:teacher_remove", args=[teacher.pk])),
            ("lacking-plan", reverse("assessment:lacking") + "?reason=plan"),
            (
                "materials-extension",
                reverse("assessment:materials_extension_new", args=[teacher.pk]),
            ),
        ]
    if role == Role.INFO_TEAM:
        evaluation = AbilityEvaluation.objects.filter(school=school, status="viewed").first()
        return [
            ("plan-edit", reverse("groups:plan_edit")),
            ("evaluation", reverse("assessment:evaluation_detail", args=[evaluation.pk])),
        ]
    if role == Role.LEADER:
        group = ResearchGroup.objects.filter(leader=ctx.users["leader"], archived_at__isnull=True)
        group = group.first()
        activities = Activity.objects.filter(group=group)
        observation = activities.filter(kind="observation").exclude(status="draft").first()
        offline = activities.filter(kind="offline").exclude(status="draft").first()
        topic = Topic.objects.filter(group=group, status="published").first()
        return [
            ("group-detail", reverse("groups:detail", args=[group.pk])),
            ("group-plan", reverse("groups:group_plan", args=[group.pk])),
            ("member-add", reverse("groups:member_add", args=[group.pk])),
            ("group-activities", reverse("activities:group", args=[group.pk])),
            ("group-coverage", reverse("activities:coverage", args=[group.pk])),
            ("topic-new", reverse("activities:topic_new", args=[group.pk])),
            ("activity-new", reverse("activities:activity_new", args=[topic.pk])),
            ("activity-edit", reverse("activities:activity_edit", args=[offline.pk])),
            ("results", reverse("activities:observation_results", args=[observation.pk])),
            *_by_kind(activities),
            ("evaluations-all", reverse("assessment:leader_evaluations") + "?show=all"),
            ("evaluation-check", reverse("assessment:leader_evaluation", args=[_to_check(group)])),
            *_lacking_and_extension(group, activities),
        ]
    if role == Role.DISTRICT_ADMIN:
        scored = Acceptance.objects.get(status="scored")
        item = RubricItem.objects.filter(scheme=scored.scheme, parent__isnull=False).first()
        proof = ProofItem.objects.filter(scheme=scored.scheme).first()
        return [
            (
                "acceptance-scored",
                reverse("assessment:district_acceptance", args=[scored.school_id]),
            ),
            (
                "acceptance-none",
                reverse("assessment:district_acceptance", args=[ctx.schools[1].pk]),
            ),
            ("rubric-item-edit", reverse("assessment:rubric_item_edit", args=[item.pk])),
            ("proof-item-edit", reverse("assessment:proof_item_edit", args=[proof.pk])),
            ("evidence-cases", reverse("assessment:evidence_cases", args=[ctx.school.pk])),
            ("district-school", reverse("assessment:district_school", args=[ctx.school.pk])),
            ("dashboard-training", reverse("assessment:district_dashboard") + "?stage=training"),
            (
                "evidence-consistency",
                reverse("assessment:evidence_consistency", args=[ctx.school.pk]),
            ),
        ]
    if role == Role.EXPERT:
        assigned = Acceptance.objects.filter(assignments__expert=ctx.users["expert"])
        return [
            (
                "score-draft",
                reverse(
                    "assessment:expert_score",
                    args=[assigned.get(status="submitted", events__to_status="returned").pk],
                ),
            ),
            (
                "score-done",
                reverse("assessment:expert_score", args=[assigned.get(status="scored").pk]),
            ),
            (
                "score-waiting",
                reverse("assessment:expert_score", args=[assigned.get(status="returned").pk]),
            ),
        ]
    if role == Role.TEACHER:
        teacher = ctx.users["teacher"]
        return [
            *_by_kind(Activity.objects.filter(group__members__user=teacher)),
            ("password", reverse("accounts:password_change")),
            ("points", reverse("assessment:points")),
            ("evaluation", reverse("assessment:evaluation", args=[_chosen(teacher)])),
            ("email", reverse("accounts:email")),
        ]
    return []


def _lacking_and_extension(group, activities) -> list[tuple[str, str]]:
    """An open homework's members who have not completed it, and the extension
    form for one of them (issue 13)."""
    homework = activities.filter(kind="homework", status="published").order_by("pk").first()
    member = group.members.exclude(user_id=group.leader_id).order_by("pk").first()
    return [
        ("activity-lacking", reverse("activities:activity_lacking", args=[homework.pk])),
        (
            "extension-new",
            reverse("activities:extension_new", args=[homework.pk, member.user_id]),
        ),
    ]


def _reviewed(school) -> int:
    """A teacher of the school whose review was decided (the panel shows its history)."""
    review = TeacherReview.objects.filter(school=school).order_by("pk").first()
    return SchoolMembership.objects.active().get(user_id=review.teacher_id, school=school).pk


def _to_check(group) -> int:
    """An evaluation of one of the group's members, submitted for the leader."""
    members = group.members.values("user_id")
    return AbilityEvaluation.objects.filter(teacher_id__in=members, status="submitted").first().pk


def _chosen(teacher) -> int:
    return PointChoice.objects.filter(teacher=teacher).order_by("pk").first().point_id


def pages_for(role: str, ctx) -> list[tuple[str, str]]:
    menu = [(name.replace(":", "-"), reverse(name)) for _, name in nav_for(role)]
    return [("home", "/"), *menu, ("inbox", reverse("accounts:inbox")), *key_pages(role, ctx)]


def _context_for(browser, live_server, user, viewport):
    """A browser context as `user`, at `viewport`, in Chinese (as in WeChat)."""
    client = Client()
    client.force_login(user)
    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    context.add_init_script(WATCH_CSP)
    return context


# Anything the Content-Security-Policy blocks (an inline script or handler, a
# script from elsewhere) is a page that does not work as written.
WATCH_CSP = """window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline")));"""


# A table "collapsed to one character per line": a text of 4+ characters in a
# visible table cell laid out with fewer than 3 characters per line.
SQUEEZED = """() => {
  const bad = [];
  for (const cell of document.querySelectorAll("table th, table td")) {
    if (!cell.getClientRects().length) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.replace(/\\s+/g, "");
      if (text.length < 4) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 1)
        .map((r) => Math.round(r.top))).size;
      if (lines && text.length / lines < 3) bad.push(text.slice(0, 24));
    }
  }
  return bad;
}"""

# At desktop width every menu label stands on one line (the school admin's
# fifteen pages once squeezed each label into a column of single characters).
NAV_WRAPPED = """() => [...document.querySelectorAll("#mainnav .nav-link")]
  .filter((a) => a.getClientRects().length)
  .filter((a) => [...a.childNodes].some((node) => {
    if (node.nodeType !== Node.TEXT_NODE || !node.textContent.trim()) return false;
    const range = document.createRange();
    range.selectNodeContents(node);
    const lines = new Set([...range.getClientRects()].filter((r) => r.width > 1)
      .map((r) => Math.round(r.top))).size;
    return lines > 1;
  }))
  .map((a) => a.textContent.trim())"""

# Every chart on the page was drawn (static/js/charts.js with the vendored ECharts).
UNDRAWN = """() => [...document.querySelectorAll("[data-chart]")]
  .filter((el) => !el.querySelector("canvas") || el.offsetHeight < 40)
  .map((el) => el.getAttribute("data-chart"))"""


def walk(page, errors: list, url: str, shot: str, *, phone: bool) -> list[str]:
    """Open one page; return what is wrong with it. `errors` collects the
    page's JavaScript errors (a listener on the page)."""
    errors.clear()
    response = page.goto(url)
    if response is None or response.status != 200:
        return [f"{url}: HTTP {response and response.status}"]
    page.wait_for_load_state("load")
    page.screenshot(path=shot, full_page=True)
    problems = [f"{url}: JavaScript error: {e}" for e in errors]
    problems += [f"{url}: blocked by the CSP: {v}" for v in page.evaluate("window.__csp")]
    for v in _axe.run(page).response["violations"]:
        if v["impact"] in SERIOUS:
            targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
            problems.append(f"{url}: axe {v['impact']} {v['id']} ({v['help']}) at {targets}")
    problems += [f"{url}: chart #{c} not drawn" for c in page.evaluate(UNDRAWN)]
    if not phone:
        problems += [f"{url}: menu label wraps: {t}" for t in page.evaluate(NAV_WRAPPED)]
    if phone:
        wide = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if wide[0] > wide[1]:
            problems.append(f"{url}: page scrolls sideways at {wide[1]} px ({wide[0]} px wide)")
        for text in page.evaluate(SQUEEZED):
            problems.append(f"{url}: table text squeezed to under 3 characters a line: {text}")
    return problems


@pytest.mark.parametrize("role", list(NAVIGATION))
def test_every_main_page_of_the_role_reads_well_at_desktop_and_phone_width(
    role, live_server, browser
):
    ctx = demo_load()
    pages = pages_for(role, ctx)
    (ARTIFACTS / "pages").mkdir(parents=True, exist_ok=True)
    problems = []
    for viewport in WIDTHS:
        context = _context_for(browser, live_server, ctx.users[role], viewport)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        for name, url in pages:
            shot = str(ARTIFACTS / "pages" / f"{role}-{name}-{viewport[0]}.png")
            problems += walk(page, errors, live_server.url + url, shot, phone=viewport[0] < 576)
        context.close()
    assert not problems, "\n".join(problems)
