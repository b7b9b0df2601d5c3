"""What the bench scripts share: Django under production settings against the
seeded database, in-process clients logged in as the seed's people, and
interleaved timing.

Production settings need their secrets: the scripts set bench-only values
before Django starts (never use them for a real deployment). Requests go
through Django's test client in-process (no network, no test-runner
instrumentation of templates: setup_test_environment is never called), over
"https" as production insists.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(settings: str = "config.settings.production") -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("MEDIA_ROOT", str(ROOT / "var" / "bench-media"))
    if "DATABASE_URL" not in os.environ:
        sys.exit("Set DATABASE_URL to the seeded benchmark database (manage.py seed_scale).")
    import django

    django.setup()
    from django.conf import settings

    # Production serves hashed static names from the manifest (the release
    # step): collected on every run, so a script added since is in it.
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)


def client_for(username: str, role_key: str | None = None):
    """A test client logged in as `username` (a session row, as a real login
    makes), using the role `role_key` ("leader:12") when the person holds several."""
    from django.test import Client

    from accounts.models import User

    client = Client(HTTP_HOST="testserver")
    client.force_login(User.objects.get(username=username))
    if role_key:
        session = client.session
        session["active_role"] = role_key
        session.save()
    return client


def get(client, url: str, **extra):
    return client.get(url, secure=True, **extra)


def queries(call) -> tuple[int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        result = call()
    return len(ctx.captured_queries), result


def timed(call) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def median(values) -> float:
    return statistics.median(values)


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(script: str, *args: str) -> dict:
    """Run `script` with `args` in a fresh Python process and return the JSON of
    its last line: each size measured alone, so one run's memory peak is not
    the next one's starting point."""
    import json
    import subprocess

    out = subprocess.run(
        [sys.executable, script, *args], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])
