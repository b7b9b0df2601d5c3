"""A whole school's worth of data for the tests that walk every URL (the
permission ladder, tests/test_ladder_all_views.py) and scan every page for ID
numbers (tests/test_masks_everywhere.py).

School A (the fixed cast's 赤坎第一小学) holds one of everything a URL can name:
a group with a topic, an activity of each kind with work in it (a post and a
like, homework with a file, an observation video with a question and a
response, an offline activity with a designated member and evidence), a
leader's own homework waiting as a claim, a removed teacher with the audit row.
School B (霞山第二中学, another district) has people of every school role, who
must find school A's objects missing.

`PURE` builds, for every role in accounts.roles.Role, a person who holds that
role and nothing else (so a view that allows, say, teachers can't let a leader
in through their teacher grant). A role added to the enum without a builder
here fails tests/test_ladder_all_views.py with a message saying so.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from accounts.demo_ids import make_id_number
from accounts.models import School, SchoolMembership, User
from accounts.roles import Grant, Role, grants_for
from activities import services
from activities.checkin_codes import checkin_token
from activities.models import Evidence, ObservationQuestion, Post, SubmissionFile
from assessment.models import (
    AbilitySummary,
    Acceptance,
    DistrictExport,
    EvaluationEvidence,
    ExpertAssignment,
    ImprovementPlan,
    ProofFile,
    ProofItem,
    RubricItem,
)
from assessment.services import case_create
from assessment.services.acceptance import experts_assign, proof_files_add
from assessment.services.district_exports import district_export_build, district_export_start
from groups.models import GroupMember, ResearchGroup
from groups.services import teacher_remove
from hours.models import HoursClaim

from . import factories as f
from . import factories_acceptance as fx
from . import factories_activities as fa


def _pure_operator(cast, school: School, region) -> User:
    return f.person("省工程办二", is_superuser=True, is_staff=True)


def _pure_district_admin(cast, school: School, region) -> User:
    return f.region_person(region, "district_admin", "教育局管理员")


def _pure_expert(cast, school: School, region) -> User:
    return f.region_person(region, "expert", "考核专家")


def _pure_school_admin(cast, school: School, region) -> User:
    return f.school_admin(school, "学校管理员")  # does not teach


def _pure_info_team(cast, school: School, region) -> User:
    user = f.person("信息化成员")
    SchoolMembership.objects.create(
        user=user, school=school, is_info_team=True, is_teacher=False, is_full_time=False
    )
    return user


def _pure_leader(cast, school: School, region) -> User:
    # 教研组长 comes from leading a live group while holding an active place in
    # its school (groups.apps.leader_grants). A leader whose place carries no
    # role of its own does not arise through the forms (a leader must teach
    # there), so place and group are made directly: this person holds 教研组长
    # and nothing else, which is what the ladder needs.
    user = f.person("只任组长")
    SchoolMembership.objects.create(user=user, school=school, is_teacher=False, is_full_time=False)
    ResearchGroup.objects.create(school=school, name=f"{user.pk}号组", leader=user)
    return user


def _pure_teacher(cast, school: School, region) -> User:
    return f.teacher(school, "普通教师")


# Every role, a builder of a person holding only it, in `school` (and `region`).
PURE: dict[Role, Callable[..., User]] = {
    Role.OPERATOR: _pure_operator,
    Role.DISTRICT_ADMIN: _pure_district_admin,
    Role.EXPERT: _pure_expert,
    Role.SCHOOL_ADMIN: _pure_school_admin,
    Role.INFO_TEAM: _pure_info_team,
    Role.LEADER: _pure_leader,
    Role.TEACHER: _pure_teacher,
}


def pure(role: Role, cast, school: School, region) -> User:
    """A person holding `role` and no other, checked against grants_for."""
    user = PURE[role](cast, school, region)
    held = [g.role for g in grants_for(user)]
    assert held == [role], f"the builder for {role} made someone holding {held}"
    return user


@dataclass
class World:
    cast: object
    s: fa.Setup
    objects: dict  # what a URL's kwargs name, by world name (see DEFAULT_OBJECTS)
    pure_here: dict  # Role -> a person holding only it, in school A / 赤坎区
    pure_there: dict  # Role -> the same, in school B / 霞山区 (not the operator)
    nobody: User  # signed in, no role at all (removed from their school)
    people: dict = field(default_factory=dict)  # who a page scan looks through


def build(cast) -> World:
    s = fa.group_setup(cast)
    leader, member, member2 = s.leader, s.member, s.member2
    topic = fa.topic(s)

    discussion = fa.activity(s, "discussion", t=topic)
    services.participation_join(activity=discussion, user=member)
    services.post_create(
        activity=discussion, user=member, body="信息技术让课堂评价更及时，也更具体。"
    )
    post = Post.objects.get(activity=discussion)
    services.participation_join(activity=discussion, user=member2)
    services.like_set(post=post, user=member2, liked=True)

    homework = fa.activity(s, "homework", t=topic)
    for who in (member, leader):  # the leader's own work waits as a claim
        services.participation_join(activity=homework, user=who)
        services.homework_submit(
            activity=homework,
            user=who,
            text="教学设计与反思",
            files=[fa.upload("教学设计.pdf", fa.PDF, "application/pdf")],
        )

    observation = fa.activity(s, "observation", t=topic, publish=False)
    services.observation_video_set(
        activity=observation, by=leader, upload=fa.upload("课例.mp4", fa.MP4, "video/mp4")
    )
    services.activity_publish(activity=observation, by=leader)
    services.participation_join(activity=observation, user=member)
    services.observation_submit(
        activity=observation, user=member, raw_answers=fa.answers_for(observation)
    )

    offline = fa.activity(s, "offline", t=topic, hours=3)
    services.participants_designate(activity=offline, by=leader, users=[member, member2])
    services.evidence_add(
        activity=offline,
        by=leader,
        kind="photo",
        upload=fa.upload("现场.png", fa.PNG, "image/png"),
        confirmed=2,
    )

    # A teacher of another region (a different ID prefix) in the group, and one
    # removed (调岗): the audit list and the removal search show them.
    incomer = f.teacher(cast.school, "外区调入老师")
    User.objects.filter(pk=incomer.pk).update(id_number=make_id_number(77, area="440881"))
    departed = f.teacher(cast.school, "调走老师")
    GroupMember.objects.create(group=s.group, user=incomer)
    GroupMember.objects.create(group=s.group, user=departed)
    teacher_remove(
        membership=SchoolMembership.objects.get(user=departed),
        by=cast.school_admin,
        reason="调往外校",
    )

    assessed = _assessment(cast, s)
    accepting = _acceptance(cast)
    exported = _export(cast)

    here, there = cast.district, cast.other_district
    pure_here = {role: pure(role, cast, cast.school, here) for role in Role}
    pure_there = {
        role: pure(role, cast, cast.other_school, there) for role in Role if role != Role.OPERATOR
    }
    objects = {
        "group": s.group,
        "topic": topic,
        "discussion": discussion,
        "homework": homework,
        "observation": observation,
        "offline": offline,
        "post": post,
        "question": ObservationQuestion.objects.filter(form__activity=observation).first(),
        "evidence": Evidence.objects.get(activity=offline),
        "homework_file": SubmissionFile.objects.filter(submission__user=member).get(),
        "member_place": SchoolMembership.objects.get(user=member2),
        "group_member": GroupMember.objects.get(group=s.group, user=member2),
        "designated": member,
        "claim": HoursClaim.objects.get(teacher=leader),
        "checkin_token": checkin_token(activity_id=offline.pk),
        **assessed,
        **accepting,
        **exported,
    }
    people = {
        "leader": leader,
        "teacher": member,
        "teacher2": member2,
        "school_admin": cast.school_admin,
        "info_team": cast.info_team,
        "district_admin": cast.district_admin,
        "expert": cast.expert,
        "outsider": cast.outsider,
        **{f"only_{role.value}": u for role, u in pure_here.items() if role != Role.OPERATOR},
    }
    return World(
        cast=cast,
        s=s,
        objects=objects,
        pure_here=pure_here,
        pure_there=pure_there,
        nobody=departed,
        people=people,
    )


def _assessment(cast, s) -> dict:
    """The member's materials (a plan, three points with a summary each, an
    evaluation handed in) and the group's typical case."""
    from . import factories_assessment as fm

    chosen = s.points[:3]
    fm.complete(cast, s.member, chosen)
    evaluation = fm.submit_evaluation(cast, s.member, chosen[0])
    case = case_create(
        group=s.group,
        cycle=cast.cycle,
        by=s.leader,
        title="秋天的雨",
        design=fm.upload("设计.pdf"),
        recording="file",
        recording_upload=fm.upload("实录.mp4", fm.MP4),
    )
    return {
        "point": chosen[0],
        "plan": ImprovementPlan.objects.get(teacher=s.member),
        "summary": AbilitySummary.objects.filter(teacher=s.member).first(),
        "evaluation": evaluation,
        "evaluation_item": EvaluationEvidence.objects.filter(
            evaluation=evaluation, file__gt=""
        ).first(),
        "case": case,
    }


def _acceptance(cast) -> dict:
    """整校推进验收 of school A: 赤坎区's published scheme, one file uploaded,
    the materials before the cast's expert. The submission is written
    directly (set-up: the gate would need every full-time teacher's
    evaluation passed; the path itself is tests/test_acceptance_path.py)."""
    scheme = fx.scheme(cast)
    item = ProofItem.objects.filter(scheme=scheme).first()
    proof_files_add(
        school=cast.school,
        cycle=cast.cycle,
        item=item,
        uploads=[fx.upload("学校信息化管理团队.pdf")],
        by=cast.school_admin,
    )
    acceptance = Acceptance.objects.get(school=cast.school, cycle=cast.cycle)
    Acceptance.objects.filter(pk=acceptance.pk).update(
        status=Acceptance.Status.SUBMITTED, submitted_by=cast.school_admin
    )
    experts_assign(
        schools=[cast.school],
        experts=[cast.expert],
        cycle=cast.cycle,
        region_id=cast.district.pk,
        by=cast.district_admin,
    )
    return {
        "school": cast.school,
        "acceptance": acceptance,
        "proof_item": item,
        "proof_file": ProofFile.objects.get(acceptance=acceptance),
        "rubric_item": RubricItem.objects.filter(scheme=scheme, parent__isnull=False).first(),
        "assignment": ExpertAssignment.objects.get(acceptance=acceptance),
    }


def _export(cast) -> dict:
    """赤坎区's admin's export of every teacher of the district, built (the
    task's service run in place: the test's transaction never commits, so no
    on_commit task runs). The scan of every page reads its cells too."""
    export, _ = district_export_start(
        kind=DistrictExport.Kind.TEACHERS,
        grant=Grant(Role.DISTRICT_ADMIN, region_id=cast.district.pk),
        by=cast.district_admin,
        cycle=cast.cycle,
    )
    district_export_build(export_id=export.pk)
    return {"export_key": str(export.key)}


# Which world object a URL keyword names, unless the ladder entry says otherwise.
DEFAULT_OBJECTS = {
    "activity_id": "discussion",
    "group_id": "group",
    "topic_id": "topic",
    "post_id": "post",
    "question_id": "question",
    "evidence_id": "evidence",
    "file_id": "homework_file",
    "membership_id": "member_place",
    "member_id": "group_member",
    "user_id": "designated",
    "claim_id": "claim",
    "token": "checkin_token",
    "point_id": "point",
    "plan_id": "plan",
    "summary_id": "summary",
    "evaluation_id": "evaluation",
    "item_id": "evaluation_item",
    "school_id": "school",
    "acceptance_id": "acceptance",
    "proof_item_id": "proof_item",
    "assignment_id": "assignment",
    "case_id": "case",
    "key": "export_key",
}


def all_id_numbers() -> list[str]:
    """Every ID number stored, of every person (the scan looks for each)."""
    return [n for n in User.objects.exclude(id_number=None).values_list("id_number", flat=True)]
