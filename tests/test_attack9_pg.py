"""Outside test 9 F1, at the same instant, for real on PostgreSQL: 提交验收
racing the school's own 不通过 decisions. Whatever the order, no result
changes after the submission: each decision either committed before it (and
the experts read it) or was refused (the writes lock the acceptance's row,
services.common.results_held)."""

from django.urls import reverse

from accounts.models import SchoolMembership
from assessment.models import Acceptance, ReviewDecision
from assessment.services import acceptance as acc

from . import factories as f
from . import factories_acceptance as fx
from .concurrency import postgres_only, run_at_once
from .conftest import login

pytestmark = postgres_only("the submit and the decisions cannot overlap there")


def test_no_result_changes_after_the_submission_whatever_the_race(cast):
    fx.scheme(cast)
    teachers = [f.teacher(cast.school, f"赛跑老师{i}") for i in range(10)]
    fx.gate_met(cast)
    fx.materials(cast)
    places = {
        m.user_id: m.pk
        for m in SchoolMembership.objects.filter(school=cast.school, user__in=teachers)
    }

    def submit():
        return acc.acceptance_submit(school=cast.school, cycle=cast.cycle, by=cast.school_admin)

    def fail(user):
        def call():
            url = reverse("assessment:review_fail", args=[places[user.pk]])
            return login(cast.school_admin).post(url, {"reason": "材料不全"}).status_code

        return call

    run_at_once(submit, *[fail(t) for t in teachers])
    a = Acceptance.objects.get(school=cast.school, cycle=cast.cycle)
    assert a.status == "submitted"
    decisions = ReviewDecision.objects.filter(review__school=cast.school, to_result="failed")
    assert all(d.at < a.submitted_at for d in decisions)
