"""Outside attack report 1 §15: long unbroken text at 375 px. The 听课评课
results page and the 签到表 keep everything readable: long words wrap inside
their cells (overflow-wrap: anywhere), no summary is cut off, and a box that
still scrolls sideways can be reached by keyboard (tabindex="0",
role="region", aria-label), as README's table patterns say."""

import pytest
from django.utils import timezone

from activities import services
from activities.models import ObservationQuestion

from .. import factories_activities as fa
from .conftest import ARTIFACTS
from .test_pages_a11y import _context_for, walk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = (375, 812)
LONG = "A" * 80  # what the tester typed: no space, no break opportunity
LINK = "https://example.com/" + "x" * 70

# Boxes that scroll sideways: each must take the keyboard's focus and say what it is.
UNREACHABLE = """() => [...document.querySelectorAll("main *")]
  .filter((el) => el.scrollWidth > el.clientWidth + 1
    && ["auto", "scroll"].includes(getComputedStyle(el).overflowX))
  .filter((el) => el.getAttribute("tabindex") !== "0" || el.getAttribute("role") !== "region"
    || !el.getAttribute("aria-label"))
  .map((el) => el.id || el.className)"""

# Text cut off at a cell's edge (a cell whose content is wider than the cell).
CUT = """(selector) => [...document.querySelectorAll(selector)]
  .filter((el) => el.scrollWidth > el.clientWidth + 1)
  .map((el) => el.textContent.trim().slice(0, 30))"""


def _open(browser, live_server, user, path, shot):
    context = _context_for(browser, live_server, user, PHONE)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    (ARTIFACTS / "pages").mkdir(parents=True, exist_ok=True)
    problems = walk(
        page, errors, f"{live_server.url}{path}", str(ARTIFACTS / "pages" / shot), phone=True
    )
    return page, problems


def test_the_results_page_with_long_words_fits_a_phone(cast, live_server, browser):
    s = fa.group_setup(cast)
    a = fa.activity(s, "observation", title="听课" + LONG)
    ObservationQuestion.objects.filter(form__activity=a, kind="text").update(prompt=LONG)
    for member in (s.member, s.member2):
        services.participation_join(activity=a, user=member)
        answers = fa.answers_for(a)  # every score 9 of 10
        for q in ObservationQuestion.objects.filter(form__activity=a, kind="text"):
            answers[f"q{q.pk}"] = LINK
        services.observation_submit(activity=a, user=member, raw_answers=answers)

    page, problems = _open(
        browser, live_server, s.leader, f"/activities/{a.pk}/results/", "attack1-results-375.png"
    )
    assert problems == []
    assert page.evaluate(UNREACHABLE) == []
    assert page.evaluate(CUT, "#per-question td, #per-question th, #responses td") == []
    summary = page.locator("#per-question").inner_text()
    assert "平均 9.0 / 10（最低 9，最高 9）" in summary  # whole, not "（最低 9，最…"


def test_the_checkin_sheet_with_long_words_fits_a_phone(cast, live_server, browser):
    s = fa.group_setup(cast)
    a = fa.activity(s, "offline", held_on=timezone.localdate(), hours=2)
    services.participants_designate(activity=a, by=s.leader, users=[s.member, s.member2])
    services.checkin_open(activity=a, by=s.leader)
    services.checkin_manual(activity=a, by=s.leader, user=s.member, reason=LONG)
    services.checkin_manual(activity=a, by=s.leader, user=s.member2, reason=LINK)
    services.checkin_close(activity=a, by=s.leader)

    page, problems = _open(
        browser,
        live_server,
        s.leader,
        f"/activities/{a.pk}/checkin/sheet/",
        "attack1-checkin-sheet-375.png",
    )
    assert problems == []
    assert page.evaluate(UNREACHABLE) == []
    assert page.evaluate(CUT, "#sheet-rows td, .sheet-meta td") == []
    box = page.locator("#sheet-rows").locator("xpath=..")
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
    assert box.get_attribute("aria-label")
