"""The permission ladder, generated (issue 16 §5): every URL pattern Django
knows, every role in accounts.roles.Role, checked against the table in
tests/ladder.py. Nothing here is typed per view but that table: a new view
without an entry, or a new role without a person who holds only it
(tests/world.py PURE), fails these tests with a message saying what to add.

Each request runs inside a savepoint that is rolled back, so an action that
goes through (an allowed POST) leaves the world as it was for the next one."""

from urllib.parse import urlparse

import pytest
from django.urls import resolve, reverse

from accounts.roles import Role

from . import world as w
from .conftest import login
from .ladder import LADDER
from .urlwalk import (
    admin_urls,
    app_urls,
    call,
    describe,
    goes_to,
    is_admin,
    role_refused,
    url_patterns,
)


@pytest.fixture
def world(cast):
    return w.build(cast)


# ---- the table covers everything ----------------------------------------------


def test_every_url_has_an_entry_in_the_ladder():
    patterns = list(url_patterns())
    unnamed = [route for name, route, _ in patterns if not name and not is_admin(name, route)]
    assert not unnamed, (
        f"URL patterns without a name (name them, then add them to tests/ladder.py): {unnamed}"
    )
    names = {name for name, route, _ in patterns if not is_admin(name, route)}
    missing = sorted(names - LADDER.keys())
    assert not missing, (
        f"These URLs have no entry in tests/ladder.py LADDER: {missing}. Add one for each, "
        "naming the roles its view lets in, e.g. "
        '"app:name": Rung(roles(R.SCHOOL_ADMIN)) or post(...) for a POST-only action '
        '(README.md, "Development", "Who may do what").'
    )
    stale = sorted(LADDER.keys() - names)
    assert not stale, f"tests/ladder.py lists URLs that no longer exist: {stale}"


def test_every_role_has_a_person_who_holds_only_it():
    missing = [r for r in Role if r not in w.PURE]
    assert not missing, (
        f"Roles without a builder in tests/world.py PURE: {missing}. Add one making a "
        "person who holds that role and no other, so the ladder covers it."
    )


# ---- the rungs ------------------------------------------------------------------


def test_anonymous_people_are_sent_to_the_login_page(client, world):
    failures = []
    for name, url, rung in app_urls(world):
        response = call(client, rung.method, url)
        if rung.public is not None:
            if response.status_code != rung.public:
                failures.append(
                    f"{name} {url}: public, expected {rung.public}, got {describe(response)}"
                )
        elif not goes_to(response, "accounts:login"):
            failures.append(f"{name} {url}: expected the login page, got {describe(response)}")
    for name, url in admin_urls():
        response = call(client, "get", url)
        if not goes_to(response, "admin:login", "admin:index"):
            failures.append(f"{name} {url}: expected the admin login, got {describe(response)}")
    assert not failures, "\n".join(failures)


def test_every_role_a_view_does_not_let_in_gets_403(world):
    """For every role in the enum: a person holding only that role, on every
    URL whose entry does not list it, meets the role gate's 403; so does a
    signed-in person with no role at all. (The admin sends them to its login.)"""
    people = {role: login(user) for role, user in world.pure_here.items()}
    nobody = login(world.nobody)
    failures = []
    checked = 0
    for name, url, rung in app_urls(world):
        if rung.public is not None or rung.signed_in:
            continue
        refused = [(role.value, people[role]) for role in Role if role not in rung.roles]
        for who, client in [*refused, ("no role", nobody)]:
            response = call(client, rung.method, url)
            checked += 1
            if not role_refused(response):
                failures.append(
                    f"{name} {url}: {who} should get the role gate's 403, got {describe(response)}"
                )
    for name, url in admin_urls():
        for role in Role:
            if role == Role.OPERATOR:
                continue
            response = call(people[role], "get", url)
            if not goes_to(response, "admin:login", "admin:index"):
                failures.append(
                    f"{name} {url}: {role.value} should be sent to the admin login, got {describe(response)}"
                )
    assert not failures, "\n".join(failures)
    assert checked > 200  # the walk really walked


def test_the_removal_pages_refuse_a_group_leader(world):
    """调岗移除 is the school admin's (issue 16 §5), also against a leader who
    teaches in the school, not only one holding nothing but 教研组长."""
    leader = login(world.s.leader)
    for url in (
        reverse("hours:teacher_remove", args=[world.objects["member_place"].pk]),
        reverse("groups:removals") + "?q=老师",
    ):
        assert role_refused(call(leader, "get", url)), url
    assert role_refused(
        call(
            leader, "post", reverse("hours:teacher_remove", args=[world.objects["member_place"].pk])
        )
    )


def test_another_schools_people_find_this_schools_objects_missing(world):
    """Every role a view lets in, held in school B (or district 霞山区), on every
    URL naming an object of school A: 404, the same as a missing object."""
    people = {role: login(user) for role, user in world.pure_there.items()}
    failures = []
    for name, url, rung in app_urls(world):
        if not (rung.scoped and resolve(urlparse(url).path).kwargs):
            continue
        for role in sorted(rung.roles & people.keys()):
            response = call(people[role], rung.method, url)
            if response.status_code != 404:
                failures.append(
                    f"{name} {url}: {role.value} of another school should get 404, got {describe(response)}"
                )
    assert not failures, "\n".join(failures)


def test_every_role_a_view_lets_in_passes_its_role_gate(world):
    """The other direction keeps the table honest: a role listed for a view
    does get past its role gate (its object check may still say 403 or 404)."""
    people = {role: login(user) for role, user in world.pure_here.items()}
    nobody = login(world.nobody)
    failures = []
    for name, url, rung in app_urls(world):
        if rung.public is not None:
            continue
        allowed = [(r.value, people[r]) for r in Role if r in rung.roles or rung.signed_in]
        if rung.signed_in:
            allowed.append(("no role", nobody))
        for who, client in allowed:
            response = call(client, rung.method, url)
            if role_refused(response) or goes_to(response, "accounts:login"):
                failures.append(f"{name} {url}: {who} is listed but refused: {describe(response)}")
    assert not failures, "\n".join(failures)
