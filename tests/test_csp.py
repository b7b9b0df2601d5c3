"""Issue 8 point 12: the site's Content-Security-Policy, and templates that
need no inline script to work under it."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def templates():
    for base in ("templates", "accounts", "groups", "hours", "activities", "assessment", "config"):
        yield from (ROOT / base).rglob("*.html")


@pytest.mark.django_db
def test_every_page_carries_the_policy(client):
    policy = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if " " in d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in directives["default-src"]


@pytest.mark.parametrize("path", sorted(templates()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_an_inline_script_or_event_handler(path):
    text = path.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "move the script to static/js/"
    assert not HANDLER.search(text), "use data-confirm or a static/js/ listener"


def test_htmx_injects_no_style_element():
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    assert '"includeIndicatorStyles": false' in base
    assert ".htmx-indicator" in (ROOT / "static" / "css" / "site.css").read_text(encoding="utf-8")
