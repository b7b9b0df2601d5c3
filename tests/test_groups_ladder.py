"""The permission ladder for every groups page (README "Tests"): anonymous → login,
another school's people → 404 for this school's objects, wrong role → 403, the
role that uses the page → success. The changed state of each write is checked in
the per-feature modules; here the ladder's refusals must leave nothing changed."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from groups.models import GroupMember, ResearchGroup

from . import factories as f

pytest_plugins = ["tests.fixtures_groups"]  # `grouped`

pytestmark = pytest.mark.django_db


@dataclass
class Page:
    name: str
    method: str = "get"
    allowed: tuple = ()  # cast attributes that may use it
    wrong_role: tuple = ()  # cast attributes answered 403
    # About one group of school A: these people of school B hold the page's role
    # in their own school and must find the group missing (404).
    others: tuple = ()

    def url(self, grouped) -> str:
        if self.name == "groups:member_remove":
            member = GroupMember.objects.get(group=grouped.chinese, user__real_name="王老师")
            return reverse(self.name, args=[grouped.chinese.pk, member.pk])
        if self.others:
            return reverse(self.name, args=[grouped.chinese.pk])
        return reverse(self.name)


PAGES = [
    Page("groups:list", allowed=("school_admin", "info_team"), wrong_role=("teacher",)),
    Page("groups:create", allowed=("school_admin",), wrong_role=("info_team", "teacher")),
    Page(
        "groups:edit",
        allowed=("school_admin",),
        wrong_role=("info_team", "teacher"),
        others=("other_admin",),
    ),
    Page("groups:archive", "post", wrong_role=("info_team", "teacher"), others=("other_admin",)),
    Page("groups:mine", allowed=("teacher", "teacher2"), wrong_role=("school_admin",)),
    Page(
        "groups:detail",
        allowed=("school_admin", "info_team", "teacher", "teacher2"),
        wrong_role=("district_admin",),
        others=("outsider", "other_admin"),
    ),
    Page(
        "groups:member_add",
        allowed=("teacher",),
        wrong_role=("teacher2", "school_admin"),
        others=("outsider",),
    ),
    Page(
        "groups:member_remove",
        "post",
        wrong_role=("teacher2", "school_admin"),
        others=("outsider",),
    ),
    Page(
        "groups:group_plan",
        allowed=("teacher",),
        wrong_role=("teacher2", "school_admin"),
        others=("outsider",),
    ),
    Page("groups:settings", allowed=("school_admin",), wrong_role=("info_team", "teacher")),
    Page(
        "groups:theme",
        allowed=("school_admin", "info_team", "teacher"),
        wrong_role=("district_admin",),
    ),
    Page("groups:theme_edit", allowed=("school_admin",), wrong_role=("info_team", "teacher")),
    Page(
        "groups:plan",
        allowed=("school_admin", "info_team", "teacher"),
        wrong_role=("district_admin", "expert"),
    ),
    Page("groups:plan_edit", allowed=("school_admin", "info_team"), wrong_role=("teacher",)),
    Page("groups:plan_export", allowed=(), wrong_role=("district_admin",)),
    Page("groups:removals", allowed=("school_admin",), wrong_role=("info_team", "teacher")),
    Page(
        "groups:district_removals",
        allowed=("district_admin", "operator"),
        wrong_role=("school_admin", "teacher"),
    ),
]
IDS = [p.name for p in PAGES]


def call(client, page: Page, grouped):
    return getattr(client, page.method)(page.url(grouped))


def snapshot():
    groups = ResearchGroup.objects.values_list("name", "leader_id", "plan", "archived_at")
    members = GroupMember.objects.values_list("group_id", "user_id")
    return sorted(groups, key=str), sorted(members)


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_anonymous_is_sent_to_login(client, grouped, page):
    response = call(client, page, grouped)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_wrong_role_is_refused_and_nothing_changes(cast, as_user, grouped, page):
    before = snapshot()
    for who in page.wrong_role:
        assert call(as_user(getattr(cast, who)), page, grouped).status_code == 403, who
    assert snapshot() == before


@pytest.mark.parametrize("page", [p for p in PAGES if p.others], ids=lambda p: p.name)
def test_another_schools_people_find_the_group_missing(cast, as_user, grouped, page):
    """The outsider leads a group in their own school (教研组长 and 教师 there);
    other_admin is their school's admin. Neither may learn 语文组 exists."""
    people = {"outsider": cast.outsider, "other_admin": f.school_admin(cast.other_school)}
    before = snapshot()
    for who in page.others:
        assert call(as_user(people[who]), page, grouped).status_code == 404, who
    assert snapshot() == before


@pytest.mark.parametrize("page", [p for p in PAGES if p.method == "get"], ids=lambda p: p.name)
def test_the_role_that_uses_the_page_gets_it(cast, as_user, grouped, page):
    for who in page.allowed:
        assert call(as_user(getattr(cast, who)), page, grouped).status_code == 200, who
