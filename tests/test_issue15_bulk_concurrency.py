"""The bulk credit and bulk reversal of offline evidence under racing requests,
for real on PostgreSQL (issue 15). Run with:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiaoben \\
        .venv/bin/pytest tests/test_issue15_bulk_concurrency.py

Each race is released at a barrier, each side in its own thread with its own
connection, through the real URLs, several times over. Whoever wins, the same
things hold afterwards: each member has at most one standing credit for the
activity; a member is completed exactly when credited (or, for the leader,
when a claim waits); a removed teacher keeps no standing credit; every
summary equals its ledger (hours_check); nobody deadlocks (an aborted
transaction fails the test).
"""

from django.urls import reverse

from accounts.models import SchoolMembership
from activities.models import Activity, Evidence, Participation
from groups.models import GroupMember
from hours.models import HoursClaim, HoursEntry
from hours.selectors import hours_mismatches

from . import factories as f
from . import factories_activities as fa
from .concurrency import postgres_only, run_at_once
from .conftest import login

pytestmark = postgres_only("two evidences cannot race there")

TEAM = 12
ROUNDS = 3


def setup_round(cast, s, team):
    a = fa.activity(s, Activity.Kind.OFFLINE, hours=3)
    login(s.leader).post(
        reverse("activities:designate", args=[a.pk]),
        {"users": [u.pk for u in [s.leader, *team]]},
    )
    assert Participation.objects.filter(activity=a).count() == len(team) + 1
    return a


def team_of(cast, s) -> list:
    made = [f.teacher(cast.school, f"组员{i:02d}") for i in range(TEAM)]
    GroupMember.objects.bulk_create(GroupMember(group=s.group, user=u) for u in made)
    return made


def upload(s, a, confirm: int):
    def post():
        return (
            login(s.leader)
            .post(
                reverse("activities:evidence_add", args=[a.pk]),
                {
                    **fa.once(),  # each page its own token (attack report 1 §9)
                    "kind": "photo",
                    "file": fa.upload("现场.png", fa.PNG),
                    **({"confirm_credit": confirm} if confirm is not None else {}),
                },
            )
            .status_code
        )

    return post


def standing(a, user):
    return HoursEntry.objects.filter(
        object_id=a.pk, teacher=user, kind="credit", reversed_by__isnull=True
    ).count()


def assert_consistent(s, a, members):
    for user in members:
        credits = standing(a, user)
        assert credits <= 1
        done = Participation.objects.filter(
            activity=a, user=user, completed_at__isnull=False
        ).exists()
        assert done == bool(credits), user
    leader_done = Participation.objects.filter(
        activity=a, user=s.leader, completed_at__isnull=False
    ).exists()
    waiting = HoursClaim.objects.filter(teacher=s.leader, object_id=a.pk, status="pending")
    assert waiting.count() == (1 if leader_done else 0)
    assert standing(a, s.leader) == 0
    assert hours_mismatches() == []


def test_two_first_evidences_at_once_credit_each_member_once(cast):
    s = fa.group_setup(cast)
    team = team_of(cast, s)
    for _ in range(ROUNDS):
        a = setup_round(cast, s, team)
        codes = run_at_once(upload(s, a, TEAM + 1), upload(s, a, TEAM + 1))
        assert codes == [302, 302]
        assert Evidence.objects.filter(activity=a).count() == 2  # both files kept
        assert [standing(a, u) for u in team] == [1] * TEAM
        assert HoursEntry.objects.filter(object_id=a.pk, kind="credit").count() == TEAM
        assert HoursClaim.objects.filter(object_id=a.pk).count() == 1  # the leader's, once
        assert_consistent(s, a, team)


def test_an_evidence_racing_a_removal_never_leaves_the_removed_teacher_credited(cast):
    s = fa.group_setup(cast)
    team = team_of(cast, s)
    for n in range(ROUNDS):
        a = setup_round(cast, s, team)
        gone = team[n]
        place = SchoolMembership.objects.get(user=gone, removed_at__isnull=True)

        def remove(place=place):
            return (
                login(cast.school_admin)
                .post(
                    reverse("hours:teacher_remove", args=[place.pk]),
                    {"reason": "调岗", "confirm": "on"},
                )
                .status_code
            )

        # If the removal wins, the page asks to confirm one member fewer: the
        # leader's tick was for the number shown before, so the upload is
        # refused with that message and nothing is credited; no race is lost.
        run_at_once(remove, upload(s, a, len(team) + 1))
        assert SchoolMembership.objects.get(pk=place.pk).removed_at is not None
        assert not HoursEntry.objects.filter(
            teacher=gone, kind="credit", reversed_by__isnull=True
        ).exists()
        members = [u for u in team if u != gone and u.memberships.filter(removed_at=None)]
        assert_consistent(s, a, members)
        team = members


def test_two_withdrawals_at_once_reverse_each_credit_once(cast):
    s = fa.group_setup(cast)
    team = team_of(cast, s)
    for _ in range(ROUNDS):
        a = setup_round(cast, s, team)
        assert upload(s, a, TEAM + 1)() == 302
        evidence = a.evidence.get()
        url = reverse("activities:evidence_withdraw", args=[evidence.pk])
        run_at_once(*[lambda url=url: login(s.leader).post(url).status_code] * 2)
        for user in team:
            assert standing(a, user) == 0
            reversals = HoursEntry.objects.filter(object_id=a.pk, teacher=user, kind="reversal")
            assert reversals.count() == 1
        assert HoursClaim.objects.get(object_id=a.pk).status == "withdrawn"
        assert_consistent(s, a, team)


def test_a_withdrawal_racing_a_new_evidence_and_a_removal_stays_consistent(cast):
    """The leader withdraws the only evidence while uploading a better photo,
    and the school removes a member at that instant: whatever order they
    commit in, nobody holds two credits, completions match credits, the
    removed teacher keeps none, and no transaction deadlocks."""
    s = fa.group_setup(cast)
    team = team_of(cast, s)
    for n in range(ROUNDS):
        a = setup_round(cast, s, team)
        assert upload(s, a, len(team) + 1)() == 302
        evidence = a.evidence.get()
        gone = team[n]
        place = SchoolMembership.objects.get(user=gone, removed_at__isnull=True)

        def withdraw(evidence=evidence):
            url = reverse("activities:evidence_withdraw", args=[evidence.pk])
            return login(s.leader).post(url).status_code

        def remove(place=place):
            url = reverse("hours:teacher_remove", args=[place.pk])
            return login(cast.school_admin).post(url, {"reason": "调岗", "confirm": "on"})

        # A second evidence needs no confirmation while the first still
        # stands; after the withdrawal it asks for one, and is refused: both
        # outcomes are legal, the invariants below hold for each.
        run_at_once(withdraw, upload(s, a, None), remove)
        assert not HoursEntry.objects.filter(
            teacher=gone, kind="credit", reversed_by__isnull=True
        ).exists()
        members = [u for u in team if u != gone]
        assert_consistent(s, a, members)
        team = members
