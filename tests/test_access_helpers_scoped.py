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
from activities.views.school import _claim_of_school
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
