"""Walking every URL of the project: the patterns Django resolves, filled in
with the ids of the test world's objects (tests/world.py) as the ladder table
(tests/ladder.py) says, and requests that leave nothing behind. Used by the
generated permission ladder and by the ID-number scan."""

import re
from urllib.parse import urlparse

from django.db import transaction
from django.urls import URLResolver, get_resolver, resolve, reverse

from accounts.access import ROLE_REFUSAL

from . import world as w
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
        obj = world.objects[key]
        values[k] = obj if isinstance(obj, str) else obj.pk  # a str: a token
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
