"""Browser tests: Playwright for Python driving Debian's chromium (/usr/bin/chromium).

Playwright's own browser downloads are not available here, so every launch
points at the system chromium with flags that keep it off the network.
"""

import os
from pathlib import Path

import pytest

# The live server runs in a thread while the test's sync Playwright calls
# hold an event loop; Django's async-safety check would refuse ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def screenshot_path():
    ARTIFACTS.mkdir(exist_ok=True)
    return lambda name: str(ARTIFACTS / f"{name}.png")


def login_in_browser(page, live_server, username: str, password: str = "pass-word-123"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
