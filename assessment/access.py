"""Who may see which teacher materials: one "visible to" queryset per model,
and the get_* helpers every view and download calls first.

- A teacher sees their own materials, nobody else's.
- A group leader sees the evaluations of the members of the live groups they
  lead (never their own: nobody checks themselves), and their groups' cases.
- The school admin and the info team see everything of their own school.
Anything outside answers 404, exactly like a missing object. Cleared rows (a
调岗 removal) are visible to nobody.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.access import regions_under, schools_visible_to
from accounts.models import Region, School, SchoolMembership
from accounts.roles import Role
from groups.models import GroupMember, ResearchGroup

from .models import (
    AbilityEvaluation,
    AbilitySummary,
    Acceptance,
    EvaluationEvidence,
    ExpertAssignment,
    ImprovementPlan,
    ProofFile,
    ProofItem,
    RubricItem,
    TypicalCase,
)
from .selectors.acceptance import UNDER_REVIEW

NOT_LEADER = "只有本组的教研组长可以进行此操作。"
ARCHIVED = "该教研组已归档，只能查看，不能再修改。"


def _as(grant, *roles: Role) -> None:
    """A grant of another role finds nothing (404). The views gate roles
    first; this keeps each helper safe on its own (issue 16 §6)."""
    if grant.role not in roles:
        raise Http404


def _staff_school_ids(user):
    """Schools where the user is school admin or on the info team."""
    return (
        SchoolMembership.objects.active()
        .filter(user=user)
        .filter(Q(is_school_admin=True) | Q(is_info_team=True))
        .values("school_id")
    )


def _admin_school_ids(user):
    return (
        SchoolMembership.objects.active()
        .filter(user=user, is_school_admin=True)
        .values("school_id")
    )


def _led_groups(user):
    return ResearchGroup.objects.filter(leader=user, archived_at__isnull=True)


def _own_or_school(user) -> Q:
    return Q(teacher=user) | Q(school_id__in=_staff_school_ids(user))


def plans_visible_to(user):
    return ImprovementPlan.objects.filter(_own_or_school(user)).select_related("teacher", "cycle")


def summaries_visible_to(user):
    return AbilitySummary.objects.filter(_own_or_school(user)).select_related("teacher", "point")


def evaluations_visible_to(user):
    led = _led_groups(user)
    members = GroupMember.objects.filter(group__in=led).exclude(user=user).values("user_id")
    return AbilityEvaluation.objects.filter(
        _own_or_school(user) | Q(teacher_id__in=members, school_id__in=led.values("school_id"))
    ).select_related("teacher", "point", "cycle")


def evidence_visible_to(user):
    return EvaluationEvidence.objects.filter(
        evaluation__in=evaluations_visible_to(user).values("pk")
    ).select_related("evaluation__teacher")


def cases_visible_to(user):
    # A leader still reads the cases of a group of theirs that was archived
    # (read-only, issue 8 §6); get_case_for_leader refuses changing them.
    return TypicalCase.objects.filter(
        Q(group__leader=user) | Q(group__school_id__in=_staff_school_ids(user))
    ).select_related("group", "uploaded_by")


def get_plan_for(user, plan_id: int) -> ImprovementPlan:
    return get_object_or_404(plans_visible_to(user), pk=plan_id)


def get_summary_for(user, summary_id: int) -> AbilitySummary:
    return get_object_or_404(summaries_visible_to(user), pk=summary_id)


def get_evidence_for(user, item_id: int) -> EvaluationEvidence:
    return get_object_or_404(evidence_visible_to(user), pk=item_id)


def get_case_for(user, case_id: int) -> TypicalCase:
    return get_object_or_404(cases_visible_to(user), pk=case_id)


def get_evaluation_for_leader(user, evaluation_id: int) -> AbilityEvaluation:
    """An evaluation of a member of a group the user leads, submitted at least
    once; 404 for anything else (a draft is still the teacher's own)."""
    led = _led_groups(user)
    members = GroupMember.objects.filter(group__in=led).exclude(user=user).values("user_id")
    qs = (
        AbilityEvaluation.objects.filter(
            teacher_id__in=members, school_id__in=led.values("school_id")
        )
        .exclude(status=AbilityEvaluation.Status.DRAFT)
        .select_related("teacher", "point", "cycle")
    )
    return get_object_or_404(qs, pk=evaluation_id)


def get_evaluation_for_school(grant, evaluation_id: int) -> AbilityEvaluation:
    """An evaluation of the grant's own school (info team, school admin)."""
    _as(grant, Role.SCHOOL_ADMIN, Role.INFO_TEAM)
    qs = AbilityEvaluation.objects.filter(school_id=grant.school_id).select_related(
        "teacher", "point", "cycle", "assessed_by", "viewed_by"
    )
    return get_object_or_404(qs, pk=evaluation_id)


def get_case_for_school(grant, case_id: int) -> TypicalCase:
    _as(grant, Role.SCHOOL_ADMIN, Role.INFO_TEAM)
    qs = TypicalCase.objects.filter(group__school_id=grant.school_id).select_related("group")
    return get_object_or_404(qs, pk=case_id)


def get_case_for_leader(user, case_id: int) -> TypicalCase:
    """A case of a group the user leads; a case of their school they do not
    lead, or of a group of theirs now archived (read-only, issue 8 §6): 403;
    anything else: 404."""
    case = get_object_or_404(
        TypicalCase.objects.select_related("group").filter(
            Q(group__leader=user) | Q(group__school_id__in=_staff_school_ids(user))
        ),
        pk=case_id,
    )
    if case.group.leader_id != user.pk:
        raise PermissionDenied(NOT_LEADER)
    if case.group.archived_at is not None:
        raise PermissionDenied(ARCHIVED)
    return case


def get_led_group(user, group_id: int) -> ResearchGroup:
    return get_object_or_404(_led_groups(user).select_related("school"), pk=group_id)


# ---- whole-school acceptance ------------------------------------------------------
# - The school admin and the info team see their own school's acceptance (the
#   info team reads: views allow it only the pages, not the actions).
# - A district admin sees the acceptances of their district's schools.
# - An expert sees an acceptance assigned to them in their region, and its
#   materials only once the school submitted them (never a draft in progress).


def _region_schools(region_id: int):
    return School.objects.filter(regions_under(Region(pk=region_id)))


def acceptances_visible_to(grant, user):
    qs = Acceptance.objects.select_related("school", "cycle", "scheme")
    if grant.role == Role.DISTRICT_ADMIN:
        return qs.filter(school__in=schools_visible_to(grant))
    if grant.role == Role.EXPERT:
        return qs.filter(
            assignments__expert=user,
            school__in=_region_schools(grant.region_id),
            status__in=UNDER_REVIEW,
        )
    if grant.role in (Role.SCHOOL_ADMIN, Role.INFO_TEAM):
        return qs.filter(school_id=grant.school_id)
    return qs.none()


def get_acceptance_for(grant, user, acceptance_id: int) -> Acceptance:
    return get_object_or_404(acceptances_visible_to(grant, user), pk=acceptance_id)


def get_proof_file_for(grant, user, file_id: int) -> ProofFile:
    qs = ProofFile.objects.filter(
        acceptance__in=acceptances_visible_to(grant, user).values("pk")
    ).select_related("item", "acceptance")
    return get_object_or_404(qs, pk=file_id)


def get_own_proof_file(grant, file_id: int) -> ProofFile:
    """A file of the grant's own school (the school admin deleting it)."""
    _as(grant, Role.SCHOOL_ADMIN)
    qs = ProofFile.objects.filter(acceptance__school_id=grant.school_id).select_related(
        "acceptance"
    )
    return get_object_or_404(qs, pk=file_id)


def get_proof_item_for_school(grant, item_id: int, cycle) -> ProofItem:
    """An item of the checklist the grant's school answers: its district's
    published scheme for the cycle."""
    _as(grant, Role.SCHOOL_ADMIN)
    qs = ProofItem.objects.filter(
        scheme__region__schools=grant.school_id,
        scheme__cycle=cycle,
        scheme__published_at__isnull=False,
    )
    return get_object_or_404(qs, pk=item_id)


def get_assignment_for_expert(grant, user, acceptance_id: int) -> ExpertAssignment:
    """The expert's own assignment on an acceptance of their region; anything
    else (another expert's school, another region) answers 404."""
    _as(grant, Role.EXPERT)
    qs = ExpertAssignment.objects.filter(
        expert=user, acceptance__school__in=_region_schools(grant.region_id)
    ).select_related("acceptance__school", "acceptance__cycle", "acceptance__scheme")
    return get_object_or_404(qs, acceptance_id=acceptance_id)


def get_assignment_for_district(grant, assignment_id: int) -> ExpertAssignment:
    _as(grant, Role.DISTRICT_ADMIN)
    qs = ExpertAssignment.objects.filter(
        acceptance__school__in=schools_visible_to(grant)
    ).select_related("acceptance", "expert")
    return get_object_or_404(qs, pk=assignment_id)


def get_rubric_item_for_district(grant, item_id: int) -> RubricItem:
    _as(grant, Role.DISTRICT_ADMIN)
    qs = RubricItem.objects.filter(scheme__region_id=grant.region_id).select_related("scheme")
    return get_object_or_404(qs, pk=item_id)


def get_proof_item_for_district(grant, item_id: int) -> ProofItem:
    _as(grant, Role.DISTRICT_ADMIN)
    qs = ProofItem.objects.filter(scheme__region_id=grant.region_id).select_related("scheme")
    return get_object_or_404(qs, pk=item_id)


def get_school_for_acceptance(grant, user, school_id: int, cycle) -> School:
    """The school whose acceptance materials (and platform records) the grant
    may read: the school's own roles and its district admin always; an expert
    only a school assigned to them whose materials were submitted."""
    if grant.role == Role.EXPERT:
        visible = acceptances_visible_to(grant, user).filter(cycle=cycle)
        return get_object_or_404(
            School.objects.filter(pk__in=visible.values("school_id")), pk=school_id
        )
    if grant.role in (Role.DISTRICT_ADMIN, Role.SCHOOL_ADMIN, Role.INFO_TEAM):
        return get_object_or_404(schools_visible_to(grant), pk=school_id)
    raise Http404
