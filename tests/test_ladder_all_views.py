"""The permission ladder, generated (issue 16 §5): every URL pattern Django
knows, every role in accounts.roles.Role, checked against the table in
tests/ladder.py. Nothing here is typed per view but that table: a new view
without an entry, or a new role without a person who holds only it
(tests/world.py PURE), fails these tests with a message saying what to add.

Each request runs inside a savepoint that is rolled back, so an action that
goes through (an allowed POST) leaves the world as it was for the next one."""

import re
from urllib.parse import urlparse

import pytest
from django.db import transaction
from django.urls import URLResolver, get_resolver, resolve, reverse

from accounts.access import ROLE_REFUSAL
from accounts.roles import Role

from . import world as w
from .conftest import login
from .ladder import ADMIN_PUBLIC, LADDER

# ---- every URL pattern, from Django's resolver ---------------------------------


def url_patterns(patterns=None, namespaces=(), prefix=""):
    """(full name or None, route, keyword names) of every URL pattern."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespaces + ((p.namespace,) if p.namespace else ())
            yield from url_patterns(p.url_patterns, ns, prefix + str(p.pattern))
        else:
            name = ":".join(namespaces + (p.name,)) if p.name else None
            yield name, prefix + str(p.pattern), list(p.pattern.regex.groupindex)


def is_admin(name, route) -> bool:
    return (name or "").startswith("admin:") or route.startswith("admin/")


# Keyword values for the admin's own URLs (the operator's pages; none names a
# school object the ladder could scope).
ADMIN_KWARGS = {
    "object_id": "1",
    "id": "1",
    "pk": 1,
    "n": 1,
    "content_type_id": 1,
    "app_label": "accounts",
    "url": "x/",
}


def admin_url(name, route, kwargs) -> str:
    values = {k: ADMIN_KWARGS[k] for k in kwargs}
    if name:
        return reverse(name, kwargs=values)
    # An unnamed admin pattern (the model's "<id>/" redirect, the catch-all):
    # fill its route in by hand.
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), path)
    return "/" + path.replace("^", "").replace("$", "")


def app_url(world, name, kwargs) -> str:
    rung = LADDER[name]
    values = {}
    for k in kwargs:
        key = rung.objects.get(k) or w.DEFAULT_OBJECTS.get(k)
        assert key, (
            f"URL {name} takes <{k}>, which tests/world.py DEFAULT_OBJECTS does not know: "
            f"add the world object it names (or `objects=` on its entry in tests/ladder.py)."
        )
        values[k] = world.objects[key].pk
    return reverse(name, kwargs=values)


def app_urls(world):
    """(name, url, rung) for every URL of the apps (the admin aside)."""
    for name, route, kwargs in url_patterns():
        if not is_admin(name, route):
            yield name, app_url(world, name, kwargs), LADDER[name]


def admin_urls():
    for name, route, kwargs in url_patterns():
        if is_admin(name, route) and name not in ADMIN_PUBLIC:
            yield name or route, admin_url(name, route, kwargs)


# ---- requests that leave nothing behind ----------------------------------------


def call(client, method: str, url: str):
    """One request in a savepoint rolled back afterwards: an action that is let
    through changes nothing the next request sees."""
    with transaction.atomic():
        response = getattr(client, method)(url)
        transaction.set_rollback(True)
    return response


def role_refused(response) -> bool:
    return response.status_code == 403 and ROLE_REFUSAL in response.content.decode()


def goes_to(response, *names: str) -> bool:
    if response.status_code != 302:
        return False
    return resolve(urlparse(response["Location"]).path).view_name in names


def describe(response) -> str:
    where = f" → {response['Location']}" if response.status_code == 302 else ""
    return f"{response.status_code}{where}"


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
