"""School export benchmark (issue 15's row: the group list's .xlsx at
100,000 teachers in ≤ 20 s and ≤ 200 MB peak): the school admin's 教研组
.xlsx (groups, their members, the teachers in no group) through the real URL,
at 20,000 and 100,000 teachers in one school, each size in a fresh process,
printing its time and its peak memory (RSS) against the same process before
the request. `--export all` measures every school .xlsx the same way (roster,
school hours, review, lacking, register) so each is seen to stream. Run by
hand on a copy of the seeded database (`manage.py seed_scale`, then
`CREATE DATABASE xiaoben_load TEMPLATE xiaoben_bench`):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiaoben_load \\
        .venv/bin/python bench/group_export.py [--rows 20000,100000] [--export all]

The first school (by code) is made that big inside a transaction that is
rolled back afterwards: the places and groups of the next schools move into
it, and when the district has too few teachers, new ones are written (with a
place and a group each) in bulk. Memory should not grow with the rows: the
rows stream from a server-side cursor in chunks into openpyxl's write-only
workbook (accounts.exports), which writes each row to a temporary file.
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

ADMIN = "s000admin"  # the seed's first school's admin
INFO = "s000info"  # and its info-team member
GROUP_SIZE = 25
# name: (url, who asks, their role in the first school or None for their only one)
EXPORTS = {
    "groups": ("/school/groups/?export=xlsx", ADMIN, None),
    "roster": ("/school/roster/?export=xlsx", ADMIN, None),
    "hours": ("/school/hours/?export=xlsx", ADMIN, None),
    "review": ("/school/review/?export=xlsx", ADMIN, None),
    "lacking": ("/school/lacking/?export=xlsx", ADMIN, None),
    "register": ("/school/evaluations/?export=xlsx", INFO, "info_team"),
}


class Rollback(Exception):
    pass


def grow_school(school, teachers: int) -> int:
    """Make `school` hold (about) `teachers` active teachers; how many it holds."""
    from django.db import connection
    from django.db.models import CharField, Count, F, Q, Value
    from django.db.models.functions import Cast, Concat

    from accounts.models import School, SchoolMembership, User
    from assessment.models import (
        AbilityEvaluation,
        AbilitySummary,
        ImprovementPlan,
        PointChoice,
        TeacherReview,
    )
    from groups.models import GroupMember, ResearchGroup

    materials = (ImprovementPlan, PointChoice, AbilitySummary, TeacherReview, AbilityEvaluation)

    places = SchoolMembership.objects.teachers()
    have = places.filter(school=school).count()
    others = (
        School.objects.filter(region_id=school.region_id)
        .exclude(pk=school.pk)
        .annotate(
            n=Count(
                "memberships",
                filter=Q(memberships__removed_at__isnull=True, memberships__is_teacher=True),
            )
        )
        .order_by("code")
        .values_list("pk", "n")
    )
    chosen = []
    for pk, n in others:
        if have >= teachers:
            break
        chosen.append(pk)
        have += n
    SchoolMembership.objects.filter(school_id__in=chosen).update(school=school)
    # Their materials name the school they were made in (the register lists them).
    for model in materials:
        model.objects.filter(school_id__in=chosen).update(school=school)
    # Group names are unique among a school's live groups: say where each came from.
    ResearchGroup.objects.filter(school_id__in=chosen).update(
        school=school,
        name=Concat(F("name"), Value("·"), Cast("school_id", CharField())),
    )
    if have < teachers:
        _new_teachers(school, teachers - have)
    # The planner should know the school is this big now, as it would in a
    # database that grew so (ANALYZE sees this transaction's own rows).
    with connection.cursor() as cursor:
        for model in (SchoolMembership, ResearchGroup, GroupMember, User):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return places.filter(school=school).count()


def _new_teachers(school, n: int) -> None:
    """n new teachers of `school`, in groups of GROUP_SIZE (bench.bulk: COPY)."""
    from django.utils import timezone

    from accounts.demo_ids import make_id_number
    from accounts.models import SchoolMembership, User
    from bench import bulk
    from groups.models import GroupMember, ResearchGroup

    bulk.FLUSH_AT = 5_000  # keep the bench's own memory small before it measures
    rows, now = bulk.Rows(), timezone.now()
    group = None
    for i in range(n):
        if i % GROUP_SIZE == 0:
            group = rows.add(
                ResearchGroup,
                school_id=school.pk,
                name=f"导出测试组{i // GROUP_SIZE + 1:05d}",
                plan="",
                created_at=now,
            )
        user = rows.add(
            User,
            username=f"gx{i:06d}",
            real_name=f"导出教师{i:06d}",
            phone=f"188{i:08d}",
            id_number=make_id_number(500_000 + i),
            password="!",
            is_active=True,
            is_staff=False,
            is_superuser=False,
            date_joined=now,
            first_name="",
            last_name="",
            email="",
        )
        rows.add(
            SchoolMembership,
            user_id=user,
            school_id=school.pk,
            is_teacher=True,
            is_full_time=True,
            subject="数学",
            stage="初中",
            joined_at=now,
        )
        if i % 20:  # one in twenty in no group: the third sheet
            rows.add(GroupMember, group_id=group, user_id=user, added_at=now)
    rows.finish()


def one_size(teachers: int, export: str) -> dict:
    """Export `export` of a school of `teachers` teachers; the figures."""
    from django.db import transaction

    from accounts.models import SchoolMembership

    place = SchoolMembership.objects.select_related("school").get(user__username=ADMIN)
    result = {}
    try:
        with transaction.atomic():
            held = grow_school(place.school, teachers)
            url, username, role = EXPORTS[export]
            client = common.client_for(username, role and f"{role}:{place.school_id}")
            before = common.peak_rss_mb()
            start = time.perf_counter()
            response = common.get(client, url)
            seconds = time.perf_counter() - start
            assert response.status_code == 200, response.status_code
            content = b"".join(response) if response.streaming else response.content
            result = {
                "teachers": held,
                "seconds": round(seconds, 1),
                "size_mb": round(len(content) / 1024 / 1024, 1),
                "rss_before_mb": round(before, 1),
                "rss_peak_mb": round(common.peak_rss_mb(), 1),
            }
            raise Rollback
    except Rollback:
        pass
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="20000,100000", help="teachers, comma-separated")
    parser.add_argument("--export", default="groups", help=f"{', '.join(EXPORTS)} or all")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process
    args = parser.parse_args()
    common.setup()
    if args.one:
        print(json.dumps(one_size(args.one, args.export)))
        return
    exports = list(EXPORTS) if args.export == "all" else [args.export]
    columns = ("export", "teachers", "seconds", "file MB", "RSS before", "RSS peak", "growth")
    widths = (8, 8, 8, 8, 11, 9, 7)
    print(" ".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True)))
    for export in exports:
        for size in [int(s) for s in args.rows.split(",")]:
            r = common.run_child(__file__, "--one", str(size), "--export", export)
            growth = r["rss_peak_mb"] - r["rss_before_mb"]
            print(
                f"{export:>8} {r['teachers']:>8} {r['seconds']:>8} {r['size_mb']:>8} "
                f"{r['rss_before_mb']:>10}M {r['rss_peak_mb']:>8}M {growth:>6.1f}M"
            )


if __name__ == "__main__":
    main()
