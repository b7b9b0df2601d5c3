"""Twenty identical acceptance requests at the same instant store once, for
real on PostgreSQL (SQLite serialises writers, so nothing overlaps there):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiaoben \\
        .venv/bin/pytest -m postgres tests/test_acceptance_concurrency.py

A school's submit, the district's confirmation (one registration of every
teacher), an expert's submit, two experts finishing at once, one assignment,
one uploaded file per form."""

from django.urls import reverse

from accounts.models import Notification
from assessment.models import (
    Acceptance,
    AcceptanceEvent,
    ExpertAssignment,
    ProofFile,
    ProofItem,
)
from assessment.selectors.acceptance import rubric_of
from assessment.services import acceptance as acc
from hours.models import HoursRegistration, RegistrationBatch

from . import factories_acceptance as fx
from . import factories_assessment as fm
from .concurrency import postgres_only, run_at_once
from .conftest import login

pytestmark = postgres_only("twenty requests cannot overlap there")

N = 20


def scores_post(acceptance) -> dict:
    data = {}
    for item in rubric_of(acceptance.scheme).items:
        data[f"points_{item.pk}"] = str(item.max_points)
        data[f"text_{item.pk}"] = "材料齐全"
    return data


def test_twenty_identical_submissions_move_the_school_once(cast):
    fx.scheme(cast)
    fx.gate_met(cast)
    fx.materials(cast)
    acc.experts_assign(
        schools=[cast.school],
        experts=[cast.expert],
        cycle=cast.cycle,
        region_id=cast.district.pk,
        by=cast.district_admin,
    )
    url = reverse("assessment:acceptance_submit")
    codes = run_at_once(*[lambda: login(cast.school_admin).post(url).status_code] * N)
    assert set(codes) == {302}
    a = Acceptance.objects.get()
    assert a.status == "submitted"
    assert AcceptanceEvent.objects.filter(to_status="submitted").count() == 1
    assert Notification.objects.filter(user=cast.expert, kind="acceptance_submitted").count() == 1


def test_twenty_identical_confirmations_register_every_teacher_once(cast):
    fx.scheme(cast)
    fm.give_hours(cast, cast.teacher, 25)
    fx.scored(cast)
    url = reverse("assessment:acceptance_pass", args=[cast.school.pk])
    codes = run_at_once(*[lambda: login(cast.district_admin).post(url).status_code] * N)
    assert set(codes) == {302}
    assert Acceptance.objects.get().status == "passed"
    assert AcceptanceEvent.objects.filter(to_status="passed").count() == 1
    assert RegistrationBatch.objects.count() == 1
    registered = list(HoursRegistration.objects.values_list("teacher_id", flat=True))
    assert sorted(registered) == sorted([cast.teacher.pk, cast.teacher2.pk, cast.info_team.pk])
    assert HoursRegistration.objects.get(teacher=cast.teacher).hours == 25
    assert (
        Notification.objects.filter(user=cast.school_admin, kind="acceptance_passed").count() == 1
    )


def test_twenty_identical_expert_submissions_score_once(cast):
    fx.scheme(cast)
    a = fx.submitted(cast)
    acc.experts_assign(
        schools=[cast.school],
        experts=[cast.expert],
        cycle=cast.cycle,
        region_id=cast.district.pk,
        by=cast.district_admin,
    )
    url = reverse("assessment:expert_score_submit", args=[a.pk])
    data = scores_post(a)
    codes = run_at_once(*[lambda: login(cast.expert).post(url, data).status_code] * N)
    # The first submits; the others, whether they read before it committed
    # (and waited on the row) or after, answer like a double tap: a redirect
    # back to the page saying the scores are in (outside test 2, L6).
    assert set(codes) == {302}
    assert a.assignments.get().submitted_at is not None
    assert AcceptanceEvent.objects.filter(to_status="scored").count() == 1
    assert a.assignments.get().scores.count() == len(rubric_of(a.scheme).items)


def test_two_experts_finishing_at_once_make_the_school_scored_once(cast):
    fx.scheme(cast)
    a = fx.submitted(cast)
    second = fx.expert(cast)
    acc.experts_assign(
        schools=[cast.school],
        experts=[cast.expert, second],
        cycle=cast.cycle,
        region_id=cast.district.pk,
        by=cast.district_admin,
    )
    url = reverse("assessment:expert_score_submit", args=[a.pk])
    data = scores_post(a)
    calls = [
        lambda who=who: login(who).post(url, data).status_code for who in (cast.expert, second)
    ]
    # Each expert's ten submits store once; the duplicates redirect too.
    assert set(run_at_once(*calls * (N // 2))) == {302}
    assert all(s is not None for s in a.assignments.values_list("submitted_at", flat=True))
    a.refresh_from_db()
    assert a.status == "scored"
    assert AcceptanceEvent.objects.filter(to_status="scored").count() == 1


def test_twenty_identical_assignments_assign_once_and_tell_once(cast):
    fx.scheme(cast)
    url = reverse("assessment:expert_assign", args=[cast.school.pk])
    data = {"experts": [cast.expert.pk]}
    codes = run_at_once(*[lambda: login(cast.district_admin).post(url, data).status_code] * N)
    assert set(codes) == {302}
    assert ExpertAssignment.objects.count() == 1
    assert Notification.objects.filter(user=cast.expert, kind="acceptance_assigned").count() == 1


def test_twenty_identical_uploads_store_one_file(cast):
    fx.scheme(cast)
    a = acc.acceptance_open(school=cast.school, cycle=cast.cycle)
    item = ProofItem.objects.get(scheme=a.scheme, number=3)
    url = reverse("assessment:acceptance_upload", args=[item.pk])
    token = "0c8f6a2e-52b1-4f0e-9d6a-7b3e2f1a4c5d"

    def upload():
        return (
            login(cast.school_admin)
            .post(url, {"files": [fx.upload("发展规划.pdf")], "request_token": token})
            .status_code
        )

    assert set(run_at_once(*[upload] * N)) == {302}
    assert ProofFile.objects.count() == 1
