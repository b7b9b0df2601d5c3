"""The district's kept figures and exports under racing requests, for real on
PostgreSQL (issue 12, issue 15). Run with:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiaoben \\
        .venv/bin/pytest tests/test_district_concurrency.py

- Twenty teachers of one school credited at the same instant, while the
  school's row is recomputed and a teacher is removed: the row ends equal to
  its sources (no move lost, none counted twice), nobody deadlocks.
- Twenty identical clicks on 导出 start one export.
"""

from unittest import mock

from django.urls import reverse

from accounts.roles import Grant, Role
from assessment.models import DistrictExport, SchoolStats
from assessment.selectors.stats import school_stats_compute, school_stats_mismatches
from assessment.services.district_exports import district_export_start
from assessment.services.stats import school_stats_refresh
from groups.models import AbilityPoint
from groups.services import teacher_remove
from hours.services import hours_credit, hours_reverse

from . import factories as f
from .concurrency import postgres_only, run_at_once
from .conftest import login

pytestmark = postgres_only("two writers of one school's row cannot race there")

N = 20


def test_credits_racing_a_recount_and_a_removal_keep_the_row_equal_to_its_sources(cast):
    teachers = [f.teacher(cast.school, f"并发老师{i:02d}") for i in range(N)]
    leaving = f.teacher(cast.school, "调走老师")
    sources = list(AbilityPoint.objects.order_by("pk")[:3])
    school_stats_refresh(school_ids=[cast.school.pk], cycle_id=cast.cycle.pk)

    def credit(teacher, source, hours):
        return lambda: hours_credit(
            teacher=teacher,
            cycle=cast.cycle,
            school=cast.school,
            source=source,
            hours=hours,
            category="线下活动",
        )

    def recount():
        school_stats_refresh(school_ids=[cast.school.pk], cycle_id=cast.cycle.pk)

    def remove():
        place = leaving.memberships.get(removed_at__isnull=True)
        teacher_remove(membership=place, by=cast.school_admin, reason="调往外校")

    # Round 1: everyone's first credit (0 → 10), the leaving teacher's too, a
    # recount and the same credits again (a double click: credited once).
    run_at_once(
        *[credit(t, sources[0], 10) for t in [*teachers, leaving]],
        *[credit(t, sources[0], 10) for t in teachers[:5]],
        recount,
    )
    # Round 2: across 25 (10 → 25), half reversed, the removal, a recount.
    run_at_once(
        *[credit(t, sources[1], 15) for t in teachers],
        *[
            (lambda t=t: hours_reverse(teacher=t, source=sources[0], reason="撤回"))
            for t in teachers[::2]
        ],
        remove,
        recount,
    )

    row = SchoolStats.objects.get(school=cast.school, cycle=cast.cycle)
    actual = school_stats_compute(school_ids=[cast.school.pk], cycle=cast.cycle)[cast.school.pk]
    assert {k: getattr(row, k) for k in actual} == actual
    assert not list(school_stats_mismatches(cycle=cast.cycle))
    # Half at 25 (10 + 15), half at 15 (the 10 reversed), the removed one gone
    # (the cast's three teachers have none).
    assert (row.teachers, row.hours_25, row.hours_11_15, row.hours_0) == (N + 3, N // 2, N // 2, 3)


def test_twenty_clicks_on_export_start_one(cast):
    """The worker is the outside world here: held back, so the first export is
    still under way when the other nineteen clicks arrive."""

    def click():
        return (
            login(cast.district_admin)
            .post(reverse("assessment:district_export_start"), {"kind": "teachers"})
            .status_code
        )

    with mock.patch("assessment.tasks.build_district_export.delay") as queued:
        assert run_at_once(*[click] * N) == [302] * N
    assert DistrictExport.objects.filter(kind="teachers").count() == 1
    assert queued.call_count == 1


def test_twenty_starts_of_the_service_return_the_same_export(cast):
    grant = Grant(Role.DISTRICT_ADMIN, region_id=cast.district.pk)

    def start():
        export, _ = district_export_start(
            kind="schools", grant=grant, by=cast.district_admin, cycle=cast.cycle
        )
        return export.pk

    with mock.patch("assessment.tasks.build_district_export.delay"):
        results = run_at_once(*[start] * N)
    assert len(set(results)) == 1
