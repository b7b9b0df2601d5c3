"""Export benchmark: the district's teacher export (assessment.services.
district_exports, the Celery task's service) at 20,000 and 80,000 rows, each
size in a fresh process, printing its time and its peak memory (RSS) against
the same process before the export. Run by hand on the seeded database
(`manage.py seed_scale`: one district of 300 schools / 80,000 teachers):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiaoben_bench \\
        .venv/bin/python bench/district_export.py [--rows 20000,80000]

A size below the district's is the first schools (by code) moved into a
district of their own, inside a transaction that is rolled back afterwards
(the stored file is deleted too). Memory should not grow with the rows: the
rows stream from a server-side cursor in chunks into openpyxl's write-only
workbook, which writes each row to a temporary file.
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402


class Rollback(Exception):
    pass


def one_size(rows: int) -> dict:
    """Build the teacher export of (about) `rows` teachers; the figures."""
    from django.core.files.storage import default_storage
    from django.db import transaction
    from django.db.models import Count, Q

    from accounts.models import Region, RegionRole, School
    from accounts.roles import Grant, Role
    from accounts.selectors import cycle_current
    from assessment.models import DistrictExport
    from assessment.services.district_exports import district_export_build, district_export_start

    role = RegionRole.objects.select_related("user", "region").get(user__username="bench_district")
    cycle = cycle_current()
    before = common.peak_rss_mb()
    result = {}
    try:
        with transaction.atomic():
            region = role.region
            schools = (
                School.objects.filter(region=region)
                .annotate(n=Count("memberships", filter=Q(memberships__removed_at__isnull=True)))
                .order_by("code")
                .values_list("pk", "n")
            )
            chosen, total = [], 0
            for pk, n in schools:
                if total >= rows:
                    break
                chosen.append(pk)
                total += n
            if len(chosen) < schools.count():  # a district of its own for the first schools
                region = Region.objects.create(
                    name="基准区（导出）", code="990199", level="district", parent=region.parent
                )
                School.objects.filter(pk__in=chosen).update(region=region)
                RegionRole.objects.create(user=role.user, region=region, kind=role.kind)
            with _no_task():
                export, _ = district_export_start(
                    kind=DistrictExport.Kind.TEACHERS,
                    grant=Grant(Role.DISTRICT_ADMIN, region_id=region.pk),
                    by=role.user,
                    cycle=cycle,
                )
            start = time.perf_counter()
            built = district_export_build(export_id=export.pk)
            result = {
                "rows": built.total,
                "seconds": round(time.perf_counter() - start, 1),
                "size_mb": round(built.file.size / 1024 / 1024, 1),
            }
            default_storage.delete(built.file.name)
            raise Rollback
    except Rollback:
        pass
    result.update(rss_before_mb=round(before, 1), rss_peak_mb=round(common.peak_rss_mb(), 1))
    return result


class _no_task:
    """The benchmark runs the task's service itself, in this process."""

    def __enter__(self):
        from unittest import mock

        self.patch = mock.patch("assessment.tasks.build_district_export.delay")
        self.patch.start()

    def __exit__(self, *exc):
        self.patch.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="20000,80000", help="sizes, comma-separated")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process
    args = parser.parse_args()
    common.setup()
    if args.one:
        print(json.dumps(one_size(args.one)))
        return
    columns = ("rows", "seconds", "file MB", "RSS before", "RSS peak", "growth")
    print(" ".join(f"{c:>{w}}" for c, w in zip(columns, (7, 8, 8, 11, 9, 7), strict=True)))
    for size in [int(s) for s in args.rows.split(",")]:
        r = common.run_child(__file__, "--one", str(size))
        growth = r["rss_peak_mb"] - r["rss_before_mb"]
        print(
            f"{r['rows']:>7} {r['seconds']:>8} {r['size_mb']:>8} {r['rss_before_mb']:>10}M "
            f"{r['rss_peak_mb']:>8}M {growth:>6.1f}M"
        )


if __name__ == "__main__":
    main()
