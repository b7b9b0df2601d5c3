"""Every access helper, called directly with another school's ids (issue 16 §6).

The views happen to pass a person's own school, so a helper that stopped
scoping would go unnoticed through HTTP. Here each helper is given the grant
(or user) of someone in school B or district 霞山区 and an id of school A:
it must answer Http404, exactly like a missing id; and 403 (PermissionDenied)
where the helper's own rule is "may see, may not change". Each also answers
its own school's people, so the 404s are about scope, not a broken helper.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from accounts import access as accounts_access
from accounts.models import SchoolMembership
from accounts.roles import Role, grants_for
from activities import access as activities_access
from activities.models import Evidence
from activities.views.school import _claim_of_school
from assessment import access as assessment_access
from groups import access as groups_access
from groups.models import ResearchGroup, TeacherRemoval

from . import factories as f
from . import world as w

pytestmark = pytest.mark.django_db


def grant(user, role: Role):
    return next(g for g in grants_for(user) if g.role == role)


@pytest.fixture
def scene(cast):
    world = w.build(cast)
    there = world.pure_there
    return world, {
        "admin_b": grant(there[Role.SCHOOL_ADMIN], Role.SCHOOL_ADMIN),
        "info_b": grant(there[Role.INFO_TEAM], Role.INFO_TEAM),
        "leader_b": grant(there[Role.LEADER], Role.LEADER),
        "teacher_b": grant(there[Role.TEACHER], Role.TEACHER),
        "district_b": grant(cast.other_district_admin, Role.DISTRICT_ADMIN),
    }


def missing(call) -> None:
    with pytest.raises(Http404):
        call()


def forbidden(call) -> None:
    with pytest.raises(PermissionDenied):
        call()


# ---- accounts.access ------------------------------------------------------------


def test_get_school_for_answers_404_for_another_school(cast, scene):
    world, b = scene
    for g in (b["admin_b"], b["info_b"], b["teacher_b"], b["district_b"]):
        missing(lambda g=g: accounts_access.get_school_for(g, cast.school.pk))
    own = grant(cast.school_admin, Role.SCHOOL_ADMIN)
    assert accounts_access.get_school_for(own, cast.school.pk) == cast.school
    assert accounts_access.get_school_for(b["admin_b"], cast.other_school.pk) == cast.other_school
    district = grant(cast.district_admin, Role.DISTRICT_ADMIN)
    assert accounts_access.get_school_for(district, cast.school.pk) == cast.school


def test_schools_visible_to_keeps_to_the_grant(cast, scene):
    _, b = scene
    for g in b.values():
        assert cast.school not in accounts_access.schools_visible_to(g)


def test_get_staff_member_answers_404_for_another_schools_person(cast, scene):
    world, b = scene
    place = world.objects["member_place"]
    for g in (b["admin_b"], b["district_b"]):
        missing(lambda g=g: accounts_access.get_staff_member(g, place.pk))
    # A removed teacher's old place is gone too, even for their own school.
    removed = SchoolMembership.objects.get(user=world.nobody)
    own = grant(cast.school_admin, Role.SCHOOL_ADMIN)
    missing(lambda: accounts_access.get_staff_member(own, removed.pk))
    assert accounts_access.get_staff_member(own, place.pk) == place


def test_a_person_of_another_school_is_beyond_this_schools_forms(cast, scene):
    assert not accounts_access.person_within_school(school_id=cast.school.pk, user=cast.outsider)
    assert not accounts_access.person_within_school(
        school_id=cast.school.pk, user=cast.district_admin
    )
    assert accounts_access.person_within_school(school_id=cast.school.pk, user=cast.teacher2)


# ---- groups.access --------------------------------------------------------------


def test_groups_helpers_answer_404_for_another_schools_group(cast, scene):
    world, b = scene
    group = world.s.group
    there = world.pure_there
    for key, user in (
        ("admin_b", there[Role.SCHOOL_ADMIN]),
        ("info_b", there[Role.INFO_TEAM]),
        ("leader_b", there[Role.LEADER]),
        ("teacher_b", there[Role.TEACHER]),
    ):
        missing(lambda k=key, u=user: groups_access.get_group_for(b[k], u, group.pk))
        missing(lambda k=key, u=user: groups_access.get_group_for_leader(b[k], u, group.pk))
        assert group not in groups_access.groups_visible_to(b[key], user)
    missing(lambda: groups_access.get_group_for_admin(b["admin_b"], group.pk))
    own = grant(cast.school_admin, Role.SCHOOL_ADMIN)
    assert groups_access.get_group_for_admin(own, group.pk) == group


def test_groups_leader_helper_forbids_a_member_and_an_archived_group(cast, scene):
    world, _ = scene
    group, member, leader = world.s.group, world.s.member, world.s.leader
    forbidden(
        lambda: groups_access.get_group_for_leader(grant(member, Role.TEACHER), member, group.pk)
    )
    leads = grant(leader, Role.LEADER)
    assert groups_access.get_group_for_leader(leads, leader, group.pk) == group
    ResearchGroup.objects.filter(pk=group.pk).update(archived_at=timezone.now())
    forbidden(lambda: groups_access.get_group_for_leader(leads, leader, group.pk))


def test_removals_visible_to_keeps_to_the_school_and_district(cast, scene):
    _, b = scene
    removal = TeacherRemoval.objects.get(school=cast.school)
    for g in b.values():
        assert removal not in groups_access.removals_visible_to(g)
    for user, role in (
        (cast.school_admin, Role.SCHOOL_ADMIN),
        (cast.district_admin, Role.DISTRICT_ADMIN),
    ):
        assert removal in groups_access.removals_visible_to(grant(user, role))


# ---- activities.access ----------------------------------------------------------


def test_activities_helpers_answer_404_to_another_schools_people(cast, scene):
    world, _ = scene
    o = world.objects
    outsiders = [*world.pure_there.values(), cast.outsider, f.school_admin(cast.other_school)]
    a = activities_access
    helpers = [
        (a.get_group_for, o["group"].pk, {}),
        (a.get_group_for_leader, o["group"].pk, {}),
        (a.get_group_for_leader, o["group"].pk, {"write": False}),
        (a.get_topic_for_leader, o["topic"].pk, {}),
        (a.get_activity_for, o["discussion"].pk, {}),
        (a.get_activity_for_leader, o["discussion"].pk, {}),
        (a.get_activity_for_leader, o["discussion"].pk, {"write": False}),
        (a.get_activity_for_member, o["discussion"].pk, {}),
        (a.get_post_for_member, o["post"].pk, {}),
        (a.get_evidence_for_leader, o["evidence"].pk, {}),
    ]
    for user in outsiders:
        for helper, pk, kw in helpers:
            with pytest.raises(Http404):
                helper(user, pk, **kw)
        assert o["group"] not in a.groups_visible_to(user)
        assert o["discussion"] not in a.activities_visible_to(user)
        assert o["topic"] not in a.topics_visible_to(user)


def test_activities_helpers_forbid_a_member_the_leaders_actions(cast, scene):
    world, _ = scene
    o, member, leader = world.objects, world.s.member, world.s.leader
    a = activities_access
    for call in (
        lambda: a.get_group_for_leader(member, o["group"].pk),
        lambda: a.get_topic_for_leader(member, o["topic"].pk),
        lambda: a.get_activity_for_leader(member, o["discussion"].pk),
        lambda: a.get_evidence_for_leader(member, o["evidence"].pk),
    ):
        forbidden(call)
    # The school admin sees the activity but takes no part in it.
    forbidden(lambda: a.get_activity_for_member(cast.school_admin, o["discussion"].pk))
    assert a.get_activity_for_leader(leader, o["discussion"].pk) == o["discussion"]
    assert a.get_post_for_member(member, o["post"].pk) == o["post"]


def test_a_claim_of_another_school_is_missing(cast, scene):
    world, b = scene
    claim = world.objects["claim"]
    missing(lambda: _claim_of_school(b["admin_b"], claim.pk))
    assert _claim_of_school(grant(cast.school_admin, Role.SCHOOL_ADMIN), claim.pk) == claim


# ---- assessment.access (and the district's exports) -------------------------------


def _outsiders(world, cast) -> list[tuple[str, object, object]]:
    """(who, grant, user): every role held in school B or 霞山区, each with the
    grant its views would pass."""
    people = [(role, user) for role, user in world.pure_there.items()]
    people += [(Role.TEACHER, cast.outsider), (Role.DISTRICT_ADMIN, cast.other_district_admin)]
    return [(f"{role.value} {user.real_name}", grant(user, role), user) for role, user in people]


def _assessment_helpers(world, cast) -> dict:
    """Each helper of assessment.access, as call(grant, user) on a real object
    of school A, with a caller of school A it does answer and what it returns."""
    o, a = world.objects, assessment_access
    cycle = cast.cycle
    admin = (grant(cast.school_admin, Role.SCHOOL_ADMIN), cast.school_admin)
    district = (grant(cast.district_admin, Role.DISTRICT_ADMIN), cast.district_admin)
    expert = (grant(cast.expert, Role.EXPERT), cast.expert)
    member = (grant(world.s.member, Role.TEACHER), world.s.member)
    leader = (grant(world.s.leader, Role.LEADER), world.s.leader)
    acceptance = o["acceptance"]
    return {
        "get_plan_for": (lambda g, u: a.get_plan_for(u, o["plan"].pk), member, o["plan"]),
        "get_summary_for": (
            lambda g, u: a.get_summary_for(u, o["summary"].pk),
            member,
            o["summary"],
        ),
        "get_evidence_for": (
            lambda g, u: a.get_evidence_for(u, o["evaluation_item"].pk),
            admin,
            o["evaluation_item"],
        ),
        "get_case_for": (lambda g, u: a.get_case_for(u, o["case"].pk), leader, o["case"]),
        "get_evaluation_for_leader": (
            lambda g, u: a.get_evaluation_for_leader(u, o["evaluation"].pk),
            leader,
            o["evaluation"],
        ),
        "get_evaluation_for_school": (
            lambda g, u: a.get_evaluation_for_school(g, o["evaluation"].pk),
            admin,
            o["evaluation"],
        ),
        "get_case_for_school": (
            lambda g, u: a.get_case_for_school(g, o["case"].pk),
            admin,
            o["case"],
        ),
        "get_case_for_leader": (
            lambda g, u: a.get_case_for_leader(u, o["case"].pk),
            leader,
            o["case"],
        ),
        "get_led_group": (lambda g, u: a.get_led_group(u, o["group"].pk), leader, o["group"]),
        "get_acceptance_for": (
            lambda g, u: a.get_acceptance_for(g, u, acceptance.pk),
            expert,
            acceptance,
        ),
        "get_proof_file_for": (
            lambda g, u: a.get_proof_file_for(g, u, o["proof_file"].pk),
            district,
            o["proof_file"],
        ),
        "get_own_proof_file": (
            lambda g, u: a.get_own_proof_file(g, o["proof_file"].pk),
            admin,
            o["proof_file"],
        ),
        "get_proof_item_for_school": (
            lambda g, u: a.get_proof_item_for_school(g, o["proof_item"].pk, cycle),
            admin,
            o["proof_item"],
        ),
        "get_proof_item_for_district": (
            lambda g, u: a.get_proof_item_for_district(g, o["proof_item"].pk),
            district,
            o["proof_item"],
        ),
        "get_assignment_for_expert": (
            lambda g, u: a.get_assignment_for_expert(g, u, acceptance.pk),
            expert,
            o["assignment"],
        ),
        "get_assignment_for_district": (
            lambda g, u: a.get_assignment_for_district(g, o["assignment"].pk),
            district,
            o["assignment"],
        ),
        "get_rubric_item_for_district": (
            lambda g, u: a.get_rubric_item_for_district(g, o["rubric_item"].pk),
            district,
            o["rubric_item"],
        ),
        "get_school_for_acceptance": (
            lambda g, u: a.get_school_for_acceptance(g, u, cast.school.pk, cycle),
            expert,
            cast.school,
        ),
    }


def test_every_assessment_helper_is_in_the_table(cast, scene):
    world, _ = scene
    helpers = {
        name
        for name, fn in vars(assessment_access).items()
        if name.startswith("get_") and fn.__module__ == assessment_access.__name__
    }
    assert helpers == set(_assessment_helpers(world, cast)), (
        "a get_* helper of assessment/access.py has no row in _assessment_helpers: add one"
    )


def test_assessment_helpers_answer_404_to_another_schools_and_districts_people(cast, scene):
    """Every helper, every role of school B / 霞山区 (each with its own grant,
    so also the wrong roles for the helper), on school A's real objects: 404.
    And each answers its own caller, so the 404s are about scope."""
    world, _ = scene
    failures = []
    for name, (call, own, expected) in _assessment_helpers(world, cast).items():
        assert call(*own) == expected, name
        for who, g, user in _outsiders(world, cast):
            try:
                got = call(g, user)
            except Http404:
                continue
            except Exception as error:  # noqa: BLE001  (a crash is a failure too)
                got = repr(error)
            failures.append(f"{name}: {who} of school B got {got!r}, not 404")
    assert not failures, "\n".join(failures)


# The roles each helper taking a grant serves (its views' role gates).
GRANT_ROLES = {
    "get_evaluation_for_school": {Role.SCHOOL_ADMIN, Role.INFO_TEAM},
    "get_case_for_school": {Role.SCHOOL_ADMIN, Role.INFO_TEAM},
    "get_own_proof_file": {Role.SCHOOL_ADMIN},
    "get_proof_item_for_school": {Role.SCHOOL_ADMIN},
    "get_acceptance_for": {Role.SCHOOL_ADMIN, Role.INFO_TEAM, Role.DISTRICT_ADMIN, Role.EXPERT},
    "get_proof_file_for": {Role.SCHOOL_ADMIN, Role.INFO_TEAM, Role.DISTRICT_ADMIN, Role.EXPERT},
    "get_school_for_acceptance": {
        Role.SCHOOL_ADMIN,
        Role.INFO_TEAM,
        Role.DISTRICT_ADMIN,
        Role.EXPERT,
    },
    "get_assignment_for_expert": {Role.EXPERT},
    "get_assignment_for_district": {Role.DISTRICT_ADMIN},
    "get_rubric_item_for_district": {Role.DISTRICT_ADMIN},
    "get_proof_item_for_district": {Role.DISTRICT_ADMIN},
}


def test_assessment_grant_helpers_answer_404_to_the_wrong_roles_here(cast, scene):
    """Each helper taking a grant, given the grant of every other role held in
    school A / 赤坎区 itself (the place matches, the role does not): 404."""
    world, _ = scene
    helpers = _assessment_helpers(world, cast)
    failures = []
    for name, roles in GRANT_ROLES.items():
        call = helpers[name][0]
        for role, user in world.pure_here.items():
            if role in roles:
                continue
            try:
                got = call(grant(user, role), user)
            except Http404:
                continue
            failures.append(f"{name}: {role.value} of school A got {got!r}, not 404")
    assert not failures, "\n".join(failures)


def test_assessment_helpers_refuse_the_wrong_people_of_the_same_school(cast, scene):
    world, _ = scene
    o, a = world.objects, assessment_access
    member, member2, leader = world.s.member, world.s.member2, world.s.leader
    admin = grant(cast.school_admin, Role.SCHOOL_ADMIN)
    # Another teacher of the group sees neither the plan, the summary nor the evidence.
    missing(lambda: a.get_plan_for(member2, o["plan"].pk))
    missing(lambda: a.get_summary_for(member2, o["summary"].pk))
    missing(lambda: a.get_evidence_for(member2, o["evaluation_item"].pk))
    # A leader does not see plans; a member does not check evaluations, nor
    # does a teacher check their own.
    missing(lambda: a.get_plan_for(leader, o["plan"].pk))
    missing(lambda: a.get_evaluation_for_leader(member2, o["evaluation"].pk))
    missing(lambda: a.get_evaluation_for_leader(member, o["evaluation"].pk))
    # The case: a member of the group finds it missing, the school admin may
    # read it but not act as its leader; a member leads no group.
    missing(lambda: a.get_case_for_leader(member, o["case"].pk))
    forbidden(lambda: a.get_case_for_leader(cast.school_admin, o["case"].pk))
    missing(lambda: a.get_led_group(member, o["group"].pk))
    # The school's teachers and leaders have no acceptance; an expert of the
    # district who is not assigned to the school finds it missing.
    unassigned = f.region_person(cast.district, "expert", "未分配专家")
    for g, u in (
        (grant(member, Role.TEACHER), member),
        (grant(leader, Role.LEADER), leader),
        (grant(unassigned, Role.EXPERT), unassigned),
    ):
        missing(lambda g=g, u=u: a.get_acceptance_for(g, u, o["acceptance"].pk))
        missing(lambda g=g, u=u: a.get_proof_file_for(g, u, o["proof_file"].pk))
        missing(lambda g=g, u=u: a.get_school_for_acceptance(g, u, cast.school.pk, cast.cycle))
    unassigned_grant = grant(unassigned, Role.EXPERT)
    missing(lambda: a.get_assignment_for_expert(unassigned_grant, unassigned, o["acceptance"].pk))
    # The school's own roles read the acceptance; the district admin's helpers
    # are not the school's.
    assert a.get_acceptance_for(admin, cast.school_admin, o["acceptance"].pk) == o["acceptance"]
    missing(lambda: a.get_rubric_item_for_district(admin, o["rubric_item"].pk))
    missing(lambda: a.get_assignment_for_district(admin, o["assignment"].pk))


def test_another_districts_export_is_missing(cast, scene):
    world, b = scene
    from assessment.selectors.district_exports import get_export_for

    key = world.objects["export_key"]
    missing(lambda: get_export_for(b["district_b"], cast.other_district_admin, key))
    for _who, g, user in _outsiders(world, cast):
        missing(lambda g=g, user=user: get_export_for(g, user, key))
    own = grant(cast.district_admin, Role.DISTRICT_ADMIN)
    assert str(get_export_for(own, cast.district_admin, key).key) == key


# ---- activities.access: evidence, supervision, a member named in the URL ---------


def test_activities_grant_helpers_answer_404_to_another_schools_people(cast, scene):
    world, _ = scene
    o, a = world.objects, activities_access
    activity = o["discussion"]
    for _who, g, user in _outsiders(world, cast):
        missing(lambda g=g, user=user: a.get_evidence_for(user, g, o["evidence"].pk))
        # Their own school's admin grant (if any) is not this school's.
        missing(
            lambda g=g, user=user: a.get_activity_for_supervisor(
                user, activity.pk, admin_school_id=g.school_id
            )
        )
    admin = grant(cast.school_admin, Role.SCHOOL_ADMIN)
    assert a.get_evidence_for(cast.school_admin, admin, o["evidence"].pk) == o["evidence"]
    assert (
        a.get_activity_for_supervisor(
            cast.school_admin, activity.pk, admin_school_id=cast.school.pk
        )
        == activity
    )


def test_supervising_an_activity_forbids_a_member_and_an_archived_group(cast, scene):
    world, _ = scene
    a, activity = activities_access, world.objects["discussion"]
    member, leader = world.s.member, world.s.leader
    forbidden(lambda: a.get_activity_for_supervisor(member, activity.pk, admin_school_id=None))
    # An info-team member sees the activity but is not its school admin.
    forbidden(
        lambda: a.get_activity_for_supervisor(cast.info_team, activity.pk, admin_school_id=None)
    )
    assert a.get_activity_for_supervisor(leader, activity.pk, admin_school_id=None) == activity
    ResearchGroup.objects.filter(pk=world.s.group.pk).update(archived_at=timezone.now())
    for user, school_id in ((leader, None), (cast.school_admin, cast.school.pk)):
        forbidden(
            lambda u=user, s=school_id: a.get_activity_for_supervisor(
                u, activity.pk, admin_school_id=s
            )
        )
        got = a.get_activity_for_supervisor(
            user, activity.pk, admin_school_id=school_id, write=False
        )
        assert got == activity


def test_withdrawn_evidence_is_missing_to_a_member(cast, scene):
    world, _ = scene
    a, evidence = activities_access, world.objects["evidence"]
    Evidence.objects.filter(pk=evidence.pk).update(withdrawn_at=timezone.now())
    member = world.s.member
    missing(lambda: a.get_evidence_for(member, grant(member, Role.TEACHER), evidence.pk))
    admin = grant(cast.school_admin, Role.SCHOOL_ADMIN)
    assert a.get_evidence_for(cast.school_admin, admin, evidence.pk) == evidence
    # An info-team member of the school is not among those who keep the record.
    info = grant(cast.info_team, Role.INFO_TEAM)
    missing(lambda: a.get_evidence_for(cast.info_team, info, evidence.pk))


def test_a_member_named_in_the_url_must_be_one_of_the_group_in_its_school(cast, scene):
    world, _ = scene
    a, activity = activities_access, world.objects["discussion"]
    # Another school's teacher, every pure role of school B, a teacher of the
    # school outside the group, the removed teacher: all missing.
    for user in (
        cast.outsider,
        *world.pure_there.values(),
        world.s.other_leader,
        world.nobody,
        cast.school_admin,
    ):
        missing(lambda u=user: a.get_member_for(activity, u.pk))
    assert a.get_member_for(activity, world.s.member.pk) == world.s.member
