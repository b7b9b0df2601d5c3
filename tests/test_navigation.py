"""Each role's menu: every page of it is a link in the bar, the school admin's
and others' many pages grouped in dropdowns, and the group of the page one is
on marked current (so one sees where one is)."""

import re

import pytest
from django.urls import reverse

from accounts.navigation import NAVIGATION, nav_for, nav_menu

from .conftest import login

pytestmark = pytest.mark.django_db


def nav(html: str) -> str:
    return html[html.index('id="mainnav"') : html.index("</nav>")]


def test_every_page_of_the_menu_is_listed_once_per_role():
    for role in NAVIGATION:
        names = [name for _, name in nav_for(role)]
        assert len(names) == len(set(names)), role
        for name in names:
            reverse(name)  # each names a real page


@pytest.mark.parametrize(
    "person, path, group, page",
    [
        ("school_admin", "accounts:roster", "教师", "教师名单"),
        ("school_admin", "assessment:lacking", "考核", "未完成情况"),
        ("district_admin", "groups:district_removals", "记录", "调岗移除记录"),
    ],
)
def test_the_page_one_is_on_marks_its_group_and_itself(cast, person, path, group, page):
    html = nav(login(getattr(cast, person)).get(reverse(path)).content.decode())
    toggle = re.search(rf'<a class="nav-link dropdown-toggle[^"]*"[^>]*>{group}</a>', html)
    assert toggle and "active" in toggle.group(0)
    current = re.findall(
        r'<a class="dropdown-item active" href="([^"]+)" aria-current="page">', html
    )
    assert current == [reverse(path)]
    assert f">{page}</a>" in html


def test_the_school_admin_sees_every_page_in_four_top_entries(cast):
    menu = nav_menu("school_admin")
    assert [label for label, _ in menu] == ["教师", "研修", "考核", "整校推进验收"]
    html = nav(login(cast.school_admin).get("/").content.decode())
    for _, name in nav_for("school_admin"):
        assert f'href="{reverse(name)}"' in html, name
