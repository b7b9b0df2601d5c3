"""Bench: hours reads for a school of 300 teachers × 15 credits each. Run by hand:

    .venv/bin/python bench/hours_totals.py            # SQLite (throwaway test database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiaoben .venv/bin/python bench/hours_totals.py

Creates a throwaway test database, fills it through hours.services (so the
summary rows are the real thing), prints timings and query counts, drops it.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

TEACHERS, CREDITS = int(os.environ.get("TEACHERS", 300)), 15


def timed(label, fn, repeat=20, count=True):
    """Mean wall time; query counts for selectors (pages': tests/test_hours_pages.py)."""
    fn()
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = f"{len(ctx.captured_queries):3d} queries" if count else ""
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    ms = (time.perf_counter() - start) * 1000 / repeat
    print(f"{label:<40} {ms:8.2f} ms  {queries}")


def main():
    from accounts.models import SchoolMembership, User
    from groups.models import GroupMember, ResearchGroup
    from hours.selectors import hours_totals_for
    from hours.services import hours_credit
    from tests import factories as f

    _, city = f.region_tree()
    school = f.school(f.district(city, "赤坎区", "440802"))
    cycle = f.cycle()
    admin = f.school_admin(school)
    group = ResearchGroup.objects.create(school=school, name="语文组")
    users = User.objects.bulk_create(
        User(username=f"b{i}", real_name=f"教师{i:03d}") for i in range(TEACHERS)
    )
    SchoolMembership.objects.bulk_create(SchoolMembership(user=u, school=school) for u in users)
    GroupMember.objects.bulk_create(GroupMember(group=group, user=u) for u in users)
    sources = [ResearchGroup.objects.create(school=school, name=f"活动{n}") for n in range(CREDITS)]
    start = time.perf_counter()
    for u in users:
        for s in sources:
            hours_credit(
                teacher=u, cycle=cycle, school=school, source=s, hours=2, category="教学研讨"
            )
    n = TEACHERS * CREDITS
    secs = time.perf_counter() - start
    print(f"{connection.vendor}: {n} credits in {secs:.1f} s ({secs * 1000 / n:.2f} ms each)")

    ids = [u.pk for u in users]
    timed("hours_totals_for(300 teachers)", lambda: hours_totals_for(teacher_ids=ids, cycle=cycle))
    client = Client()
    client.force_login(admin)
    response = client.get("/school/hours/")
    assert response.status_code == 200, response.status_code
    timed("GET /school/hours/ (page 1 of 6)", lambda: client.get("/school/hours/"), count=False)
    timed("GET /school/hours/?below=1", lambda: client.get("/school/hours/?below=1"), count=False)
    timed(
        "GET /school/hours/?export=xlsx", lambda: client.get("/school/hours/?export=xlsx"), 3, False
    )


if __name__ == "__main__":
    setup_test_environment()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        main()
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)
