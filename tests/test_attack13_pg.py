"""Outside test 13 F2, on PostgreSQL: a 通过 and a reversal racing for the same
teacher never leave them passed below 25 hours. The ledger locks the
teacher's review row (hours.passed): whichever commits first, the other sees
it and refuses."""

from django.core.exceptions import ValidationError

from activities.models import Evidence
from activities.services import ActivityError, evidence_withdraw
from assessment import services as materials
from assessment.models import TeacherReview

from . import factories_activities as fa
from . import factories_assessment as fm
from .concurrency import postgres_only, run_at_once
from .conftest import login
from .test_attack13 import offline_credited, place, recorded

pytestmark = postgres_only("a pass and a reversal cannot overlap there")


def _refused(call):
    try:
        call()
    except (ActivityError, ValidationError) as refusal:
        return str(refusal)  # a refusal, as its message (an exception fails run_at_once)
    return None


def test_a_pass_racing_an_evidence_withdrawal_never_stands_below_25(cast):
    s = fa.group_setup(cast)
    leader = login(s.leader)
    for round_ in range(3):
        a = offline_credited(s, leader, title=f"集中备课{round_}")
        if round_ == 0:
            fm.give_hours(cast, s.member, 19)
            fm.plan(cast, s.member)
            fm.choose(cast, s.member, s.points)
            for point in s.points:
                fm.summary(cast, s.member, point)
        assert recorded(cast, s.member) == 25
        evidence = Evidence.objects.get(activity=a)
        refusals = run_at_once(
            lambda: _refused(
                lambda: materials.review_pass(
                    membership=place(s.member), cycle=cast.cycle, by=cast.school_admin
                )
            ),
            lambda e=evidence: _refused(lambda: evidence_withdraw(evidence=e, by=s.leader)),
        )
        assert sum(r is not None for r in refusals) == 1, refusals  # exactly one went through
        review = TeacherReview.objects.filter(teacher=s.member, cycle=cast.cycle).first()
        passed = review is not None and review.result == "passed"
        assert passed == (recorded(cast, s.member) == 25)
        if passed:  # revoke, so that the next round starts from 待考核 at 19 + 6
            materials.review_fail(
                membership=place(s.member), cycle=cast.cycle, by=cast.school_admin, reason="重来"
            )
            evidence.refresh_from_db()  # the refused thread set it in memory only
            evidence_withdraw(evidence=evidence, by=s.leader)
        TeacherReview.objects.filter(teacher=s.member).update(result="pending", reason="")


def test_the_operator_deleting_a_place_as_the_school_names_its_leader_leaves_no_leader_without_one(
    cast,
):
    """Outside test 14 F1: the delete page asked what the place carries, then
    the school named the person 组长, then the delete went through. The delete
    locks the place (the row 换组长 locks) and asks again."""
    from accounts.models import SchoolMembership
    from groups.models import ResearchGroup
    from groups.services import group_update

    from . import factories as f

    group = ResearchGroup.objects.create(school=cast.school, name="语文组", leader=cast.teacher)
    for round_ in range(6):
        person = f.teacher(cast.school, f"新来的老师{round_}")
        mine = place(person)
        delete = reverse_admin_delete(mine)
        operator = login(cast.operator)

        def rename_leader(person=person):
            try:
                group_update(group=group, name="语文组", leader=person, by=cast.school_admin)
            except ValidationError as refusal:
                return str(refusal)

        def delete_place(operator=operator, delete=delete):
            return operator.post(delete, {"post": "yes"}).status_code

        run_at_once(rename_leader, delete_place)
        group.refresh_from_db()
        placed = SchoolMembership.objects.filter(user=person, removed_at__isnull=True).exists()
        assert group.leader_id != person.pk or placed, f"round {round_}: a leader without a place"
        group.leader = cast.teacher
        group.save(update_fields=["leader"])


def reverse_admin_delete(membership):
    from django.urls import reverse

    return reverse("admin:accounts_schoolmembership_delete", args=[membership.pk])
