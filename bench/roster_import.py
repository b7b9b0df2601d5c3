"""Bench: a school admin imports a roster of ROWS teachers (default 3000, the
import's upper limit), then imports the same file again. Run by hand:

    .venv/bin/python bench/roster_import.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiaoben .venv/bin/python bench/roster_import.py

Creates a throwaway test database, prints wall time, queries and the process's
peak memory after each import, drops the database. Every new teacher gets a
random initial password hashed by accounts.passwords.InitialPasswordHasher (the
real one, not the test settings' MD5): the first import's time includes it.
For comparison it also times one hash of the default hasher (PBKDF2).
"""

import io
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

django.setup()
# The production hashers, so the figures are the real cost of the passwords.
settings.PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "accounts.passwords.InitialPasswordHasher",
]

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from openpyxl import Workbook  # noqa: E402

ROWS = int(os.environ.get("ROWS", 3000))


def roster_bytes() -> bytes:
    from accounts.demo_ids import make_id_number

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("教师名单")
    ws.append(["姓名", "手机号", "身份证号", "学科", "学段", "是否专任教师"])
    for n in range(ROWS):
        ws.append([f"教师{n}", f"137{n:08d}", make_id_number(50_000 + n), "语文", "小学", "是"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def run(label, school, content):
    from accounts.roster import roster_import

    upload = SimpleUploadedFile("roster.xlsx", content)
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        result = roster_import(school=school, uploaded=upload)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{label:<22} {seconds:7.2f} s  {len(ctx.captured_queries):6d} queries  "
        f"process peak RSS {peak_mb:6.0f} MB  created {result.created}, "
        f"unchanged {result.unchanged}, passwords {len(result.passwords)}"
    )


def main():
    from tests import factories as f

    old = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        _, city = f.region_tree()
        school = f.school(f.district(city, "赤坎区", "440802"))
        content = roster_bytes()
        print(f"{ROWS} rows, {len(content) / 1e3:.0f} KB, on {connection.vendor}")
        from django.contrib.auth.hashers import make_password

        start = time.perf_counter()
        make_password("x" * 10)
        one = time.perf_counter() - start
        print(
            f"one default (PBKDF2) hash {one:.2f} s: {ROWS} of them would take {one * ROWS:.0f} s"
        )
        run("first import", school, content)
        run("same file again", school, content)
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)


if __name__ == "__main__":
    main()
