"""Teacher materials and the review under 20 identical requests at once, for
real on PostgreSQL, through the real URLs (a double click on a slow phone, a
retry, two tabs): one plan, one set of point choices, one review decision.

Run with:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiaoben \
        .venv/bin/pytest -m postgres tests/test_assessment_concurrency.py

Each request runs in its own thread with its own connection, released at a
barrier. Without the lock on the teacher's place (plan, points) or on the
review row (pass), the requests all see "nothing yet" and write twenty times;
the partial unique constraints stay the last word. SQLite serialises writers
and ignores SELECT ... FOR UPDATE, so these tests are skipped there.
"""

from django.urls import reverse

from accounts.models import Notification
from assessment.models import ImprovementPlan, PointChoice, ReviewDecision, TeacherReview

from . import factories_assessment as fm
from .concurrency import postgres_only, run_at_once
from .conftest import login

pytestmark = postgres_only("twenty requests cannot overlap there")

N = 20


def clients(user) -> list:
    """N logged-in clients, made before the barrier so the requests overlap."""
    return [login(user) for _ in range(N)]


def test_twenty_plan_uploads_at_once_store_one_plan(cast):
    fm.mats_setup(cast)
    url = reverse("assessment:plan_upload")

    def upload(i, client):
        return lambda: client.post(url, {"file": fm.upload(f"计划{i}.pdf")}).status_code

    codes = run_at_once(*[upload(i, c) for i, c in enumerate(clients(cast.teacher))])
    assert codes == [302] * N
    assert ImprovementPlan.objects.filter(teacher=cast.teacher).count() == 1


def test_twenty_identical_point_choices_at_once_store_each_point_once(cast):
    mats = fm.mats_setup(cast)
    url = reverse("assessment:points")
    data = {"points": [p.pk for p in mats.keys[:3]]}

    codes = run_at_once(*[lambda c=c: c.post(url, data).status_code for c in clients(cast.teacher)])
    assert codes == [302] * N
    chosen = PointChoice.objects.filter(teacher=cast.teacher)
    assert sorted(chosen.values_list("point__code", flat=True)) == ["A13", "A3", "G2"]


def test_twenty_passes_at_once_decide_once(cast):
    from assessment.services import review_fail

    mats = fm.mats_setup(cast)
    fm.complete(cast, cast.teacher, mats.keys[:3])
    # Failed once, then the teacher fixed a summary: the review row exists, 待考核.
    membership = fm.place(cast.teacher)
    review_fail(membership=membership, cycle=cast.cycle, by=cast.school_admin, reason="总结太短")
    fm.summary(cast, cast.teacher, mats.keys[0])
    assert TeacherReview.objects.get(teacher=cast.teacher).result == "pending"
    Notification.objects.all().delete()  # set-up only
    url = reverse("assessment:review_pass", args=[membership.pk])

    codes = run_at_once(*[lambda c=c: c.post(url).status_code for c in clients(cast.school_admin)])
    assert codes == [302] * N
    assert TeacherReview.objects.get(teacher=cast.teacher).result == "passed"
    assert ReviewDecision.objects.filter(to_result="passed").count() == 1
    assert Notification.objects.filter(user=cast.teacher, kind="review_result").count() == 1


def test_pass_all_twice_at_once_decides_each_teacher_once(cast):
    from assessment.services import review_pass_complete

    mats = fm.mats_setup(cast)
    for user in (cast.teacher, cast.teacher2, mats.maths_teacher):
        fm.complete(cast, user, mats.keys[:3])

    def pass_all():
        return review_pass_complete(school=cast.school, cycle=cast.cycle, by=cast.school_admin)

    results = run_at_once(*[pass_all] * 4)
    assert sum(results) == 3
    assert ReviewDecision.objects.count() == 3
    assert TeacherReview.objects.filter(result="passed").count() == 3
