"""The permission ladder of every URL of the project, as data.

Each URL name maps to the roles its view lets in (the roles given to
accounts.access.role_required, or everyone signed in, or the public).
tests/test_ladder_all_views.py walks every URL pattern Django knows and, for
each, checks against this table:

- anonymous → the login page (or the public answer given here);
- every role in accounts.roles.Role that is not listed → 403 (the role gate's
  own refusal), and a signed-in person with no role at all → 403;
- every listed role held in another school (or district) → 404 for this
  school's objects (when the URL names one), exactly like a missing object;
- every listed role held here → let through the role gate (the object check
  that follows may still answer 403 or 404).

A URL whose name is not below fails the test until someone adds it: a new view
must say who may use it. See README.md, "Development", "Who may do what".
"""

from dataclasses import dataclass, field

from accounts.roles import Role

R = Role


@dataclass(frozen=True)
class Rung:
    roles: frozenset = frozenset()  # the roles let in
    method: str = "get"  # how the page is used (POST-only actions: "post")
    # Which world object (tests/world.py) a URL keyword names, where the default
    # (world.DEFAULT_OBJECTS) is not the right kind of thing.
    objects: dict = field(default_factory=dict)
    signed_in: bool = False  # every signed-in person, with or without a role
    public: int | None = None  # the status anonymous people get (no login needed)
    # Another school's people find this school's objects missing (404). False
    # only where the URL names no object of a school.
    scoped: bool = True


def roles(*rs: Role) -> frozenset:
    return frozenset(rs)


SCHOOL_ADMIN = roles(R.SCHOOL_ADMIN)
SCHOOL_WIDE = roles(R.SCHOOL_ADMIN, R.INFO_TEAM)
SCHOOL_ROLES = roles(R.SCHOOL_ADMIN, R.INFO_TEAM, R.LEADER, R.TEACHER)
DISTRICT = roles(R.DISTRICT_ADMIN, R.OPERATOR)
# activities/views/common.py: who may reach the pages at all; the real check
# is per object (activities.access: leader of the group, member of it).
MEMBER = roles(R.TEACHER, R.LEADER)
LEADER = roles(R.LEADER, R.TEACHER, R.SCHOOL_ADMIN)
VIEWER = roles(R.TEACHER, R.LEADER, R.SCHOOL_ADMIN, R.INFO_TEAM, R.OPERATOR)
DISTRICT_ADMIN = roles(R.DISTRICT_ADMIN)
EXPERT = roles(R.EXPERT)
# Whole-school acceptance's materials: the school's own roles, its district
# admin, and the experts assigned to it (assessment.access.acceptances_visible_to).
ACCEPTANCE_READERS = roles(R.SCHOOL_ADMIN, R.INFO_TEAM, R.DISTRICT_ADMIN, R.EXPERT)

# assessment/views/files.py DOWNLOAD_ROLES: the real check is per file.
MATERIALS = roles(R.TEACHER, R.LEADER, R.SCHOOL_ADMIN, R.INFO_TEAM)
OFFLINE = {"activity_id": "offline"}

SIGNED_IN = Rung(signed_in=True)


def post(allowed: frozenset, **kw) -> Rung:
    return Rung(roles=allowed, method="post", **kw)


LADDER: dict[str, Rung] = {
    # config
    "home": SIGNED_IN,
    "healthz": Rung(public=200),
    # accounts
    "accounts:login": Rung(public=200),
    "accounts:logout": Rung(public=302, method="post"),
    "accounts:password_change": SIGNED_IN,
    "accounts:role_switch": Rung(signed_in=True, method="post"),
    "accounts:roster": Rung(SCHOOL_ADMIN),
    "accounts:teacher_create": Rung(SCHOOL_ADMIN),
    "accounts:teacher_edit": Rung(SCHOOL_ADMIN),
    "accounts:teacher_password_reset": post(SCHOOL_ADMIN),
    "accounts:roster_import": Rung(SCHOOL_ADMIN),
    "accounts:roster_passwords_reissue": post(SCHOOL_ADMIN),
    "accounts:roster_template": Rung(SCHOOL_ADMIN),
    "accounts:district_schools": Rung(DISTRICT),
    "accounts:district_id_refusals": Rung(DISTRICT),
    "accounts:inbox": SIGNED_IN,
    "accounts:inbox_read": Rung(signed_in=True, method="post"),
    "accounts:email": SIGNED_IN,
    # hours
    "hours:mine": Rung(roles(R.TEACHER)),
    "hours:group": Rung(roles(R.LEADER)),
    "hours:school": Rung(SCHOOL_WIDE),
    "hours:school_registration": Rung(SCHOOL_WIDE),
    "hours:district": Rung(DISTRICT),
    # 调岗移除: the school admin only (never the group leader, issue 16 §5).
    "hours:teacher_remove": Rung(SCHOOL_ADMIN),
    # groups
    "groups:list": Rung(SCHOOL_WIDE),
    "groups:create": Rung(SCHOOL_ADMIN),
    "groups:edit": Rung(SCHOOL_ADMIN),
    "groups:archive": post(SCHOOL_ADMIN),
    "groups:mine": Rung(roles(R.LEADER, R.TEACHER)),
    "groups:detail": Rung(SCHOOL_ROLES),
    "groups:member_add": Rung(roles(R.LEADER)),
    "groups:member_remove": post(roles(R.LEADER)),
    "groups:group_plan": Rung(roles(R.LEADER)),
    "groups:settings": Rung(SCHOOL_ADMIN),
    "groups:theme": Rung(SCHOOL_ROLES),
    "groups:theme_edit": Rung(SCHOOL_ADMIN),
    "groups:plan": Rung(SCHOOL_ROLES),
    "groups:plan_edit": Rung(SCHOOL_WIDE),
    "groups:plan_export": Rung(SCHOOL_ROLES),
    "groups:removals": Rung(SCHOOL_ADMIN),  # 调岗移除's search and audit list
    "groups:district_removals": Rung(DISTRICT),
    # activities: teacher
    "activities:mine": Rung(MEMBER),
    "activities:detail": Rung(VIEWER),
    "activities:join": post(MEMBER),
    "activities:enter": post(MEMBER),
    "activities:post_new": post(MEMBER),
    "activities:like": post(MEMBER),
    "activities:homework_submit": post(MEMBER, objects={"activity_id": "homework"}),
    "activities:observation_submit": post(MEMBER, objects={"activity_id": "observation"}),
    # activities: leader
    "activities:leading": Rung(LEADER),
    "activities:group": Rung(LEADER),
    "activities:coverage": Rung(LEADER),
    "activities:topic_new": Rung(LEADER),
    "activities:topic_new_publish": post(LEADER),
    "activities:topic_edit": Rung(LEADER),
    "activities:topic_publish": post(LEADER),
    "activities:topic_delete": post(LEADER),
    "activities:activity_new": Rung(LEADER),
    "activities:activity_edit": Rung(LEADER),
    "activities:activity_publish": post(LEADER),
    "activities:activity_close": post(LEADER),
    "activities:activity_delete": post(LEADER),
    "activities:video_set": post(LEADER, objects={"activity_id": "observation"}),
    "activities:form_header": post(LEADER, objects={"activity_id": "observation"}),
    "activities:question_add": post(LEADER, objects={"activity_id": "observation"}),
    "activities:question_delete": post(LEADER, objects={"activity_id": "observation"}),
    "activities:observation_results": Rung(LEADER, objects={"activity_id": "observation"}),
    "activities:observation_export": Rung(LEADER, objects={"activity_id": "observation"}),
    "activities:designate": post(LEADER, objects={"activity_id": "offline"}),
    "activities:undesignate": post(LEADER, objects={"activity_id": "offline"}),
    "activities:evidence_add": post(LEADER, objects={"activity_id": "offline"}),
    "activities:evidence_withdraw": post(LEADER),
    "activities:homework_zip": Rung(LEADER, objects={"activity_id": "homework"}),
    # activities: who has not completed, 提醒 and 延期 (issue 13): the group's
    # leader and the school admin (activities.access.get_activity_for_supervisor)
    "activities:activity_lacking": Rung(LEADER),
    "activities:activity_remind": post(LEADER),
    "activities:extension_new": Rung(LEADER),
    "activities:school_extensions": Rung(SCHOOL_ADMIN),
    # activities: school
    "activities:school_coverage": Rung(SCHOOL_WIDE),
    "activities:claims": Rung(SCHOOL_ADMIN),
    "activities:claim_confirm": post(SCHOOL_ADMIN),
    "activities:claim_reject": post(SCHOOL_ADMIN),
    # activities: files, served only after the access helper
    "activities:video_stream": Rung(VIEWER, objects={"activity_id": "observation"}),
    "activities:homework_file": Rung(VIEWER),
    "activities:evidence_file": Rung(VIEWER),
    # activities: 扫码签到 (the leader's screen and sheet; a member's scan)
    "activities:checkin_scan": Rung(MEMBER),
    "activities:checkin_screen": Rung(LEADER, objects=OFFLINE),
    "activities:checkin_code": Rung(LEADER, objects=OFFLINE),
    "activities:checkin_list": Rung(LEADER, objects=OFFLINE),
    "activities:checkin_sheet": Rung(LEADER, objects=OFFLINE),
    "activities:checkin_sheet_xlsx": Rung(LEADER, objects=OFFLINE),
    "activities:checkin_open": post(LEADER, objects=OFFLINE),
    "activities:checkin_close": post(LEADER, objects=OFFLINE),
    "activities:checkin_manual": post(LEADER, objects=OFFLINE),
    "activities:checkin_designate": post(LEADER, objects=OFFLINE),
    "activities:checkin_undesignate": post(LEADER, objects=OFFLINE),
    "activities:checkin_evidence": post(LEADER, objects=OFFLINE),
    # activities: comments on moments of the lesson video; 方案与实施一致性
    "activities:video_comment_add": post(MEMBER, objects={"activity_id": "observation"}),
    "activities:consistency": Rung(SCHOOL_WIDE),
    "activities:group_consistency": Rung(LEADER),
    # assessment: the teacher's 我的研修
    "assessment:mine": Rung(roles(R.TEACHER)),
    "assessment:plan_template": Rung(roles(R.TEACHER)),
    "assessment:plan_upload": post(roles(R.TEACHER)),
    "assessment:points": Rung(roles(R.TEACHER)),
    "assessment:summary_upload": post(roles(R.TEACHER)),
    "assessment:evaluation": Rung(roles(R.TEACHER)),
    "assessment:evidence_upload": post(roles(R.TEACHER)),
    "assessment:evaluation_submit": post(roles(R.TEACHER)),
    # assessment: files, served only after the access helper
    "assessment:plan_file": Rung(MATERIALS),
    "assessment:summary_file": Rung(MATERIALS),
    "assessment:evidence_file": Rung(MATERIALS),
    "assessment:case_design": Rung(MATERIALS),
    "assessment:case_recording": Rung(MATERIALS),
    # assessment: the group leader's checks and typical case
    "assessment:leader_evaluations": Rung(roles(R.LEADER)),
    "assessment:leader_evaluation": Rung(roles(R.LEADER)),
    "assessment:evaluation_view": post(roles(R.LEADER)),
    "assessment:evaluation_return": post(roles(R.LEADER)),
    "assessment:cases": Rung(roles(R.LEADER)),
    "assessment:case_delete": post(roles(R.LEADER)),
    # assessment: the school's review, typical cases and evaluation register
    "assessment:review": Rung(SCHOOL_ADMIN),
    "assessment:review_pass_all": post(SCHOOL_ADMIN),
    "assessment:review_teacher": Rung(SCHOOL_ADMIN),
    "assessment:review_pass": post(SCHOOL_ADMIN),
    "assessment:review_fail": post(SCHOOL_ADMIN),
    "assessment:school_cases": Rung(SCHOOL_WIDE),
    "assessment:case_rate": post(SCHOOL_ADMIN),
    "assessment:register": Rung(SCHOOL_WIDE),
    "assessment:evaluation_detail": Rung(SCHOOL_WIDE),
    "assessment:evaluation_assess": post(roles(R.INFO_TEAM)),
    # assessment: who lacks what, 提醒 and 延期 (issue 13)
    "assessment:leader_members": Rung(roles(R.LEADER)),
    "assessment:leader_members_remind": post(roles(R.LEADER)),
    "assessment:lacking": Rung(SCHOOL_ADMIN),
    "assessment:lacking_remind": post(SCHOOL_ADMIN),
    "assessment:materials_extension_new": Rung(SCHOOL_ADMIN),
    # assessment: 整校推进验收, the school (the admin acts, the info team reads)
    "assessment:acceptance": Rung(SCHOOL_WIDE),
    "assessment:acceptance_upload": post(SCHOOL_ADMIN, objects={"item_id": "proof_item"}),
    "assessment:acceptance_file_delete": post(SCHOOL_ADMIN, objects={"file_id": "proof_file"}),
    "assessment:acceptance_self_score": post(SCHOOL_ADMIN),
    "assessment:acceptance_submit": post(SCHOOL_ADMIN),
    # its materials and the platform's records: the school, its district, its experts
    "assessment:proof_file": Rung(ACCEPTANCE_READERS, objects={"file_id": "proof_file"}),
    "assessment:evidence_plan": Rung(ACCEPTANCE_READERS),
    "assessment:evidence_review": Rung(ACCEPTANCE_READERS),
    "assessment:evidence_register": Rung(ACCEPTANCE_READERS),
    "assessment:evidence_cases": Rung(ACCEPTANCE_READERS),
    "assessment:evidence_case_design": Rung(ACCEPTANCE_READERS),
    "assessment:evidence_case_recording": Rung(ACCEPTANCE_READERS),
    "assessment:evidence_consistency": Rung(ACCEPTANCE_READERS),
    # the expert (an unassigned school: 404 past the gate)
    "assessment:expert_schools": Rung(EXPERT, scoped=False),
    "assessment:expert_score": Rung(EXPERT),
    "assessment:expert_score_save": post(EXPERT),
    "assessment:expert_score_submit": post(EXPERT),
    # the district admin: 验收方案 and 验收评审
    "assessment:scheme": Rung(DISTRICT_ADMIN),
    "assessment:scheme_create": post(DISTRICT_ADMIN),
    "assessment:scheme_settings": post(DISTRICT_ADMIN),
    "assessment:scheme_publish": post(DISTRICT_ADMIN),
    "assessment:rubric_item_new": Rung(DISTRICT_ADMIN),
    "assessment:rubric_item_edit": Rung(DISTRICT_ADMIN, objects={"item_id": "rubric_item"}),
    "assessment:rubric_item_delete": post(DISTRICT_ADMIN, objects={"item_id": "rubric_item"}),
    "assessment:proof_item_new": Rung(DISTRICT_ADMIN),
    "assessment:proof_item_edit": Rung(DISTRICT_ADMIN),
    "assessment:proof_item_delete": post(DISTRICT_ADMIN),
    "assessment:district_acceptances": Rung(DISTRICT_ADMIN),
    "assessment:experts_assign_many": post(DISTRICT_ADMIN),
    "assessment:district_acceptance": Rung(DISTRICT_ADMIN),
    "assessment:expert_assign": post(DISTRICT_ADMIN),
    "assessment:expert_unassign": post(DISTRICT_ADMIN),
    "assessment:acceptance_return": post(DISTRICT_ADMIN),
    "assessment:acceptance_pass": post(DISTRICT_ADMIN),
    "assessment:acceptance_fail": post(DISTRICT_ADMIN),
    # the district admin and the operator: 看板, a school read-only, exports
    "assessment:district_dashboard": Rung(DISTRICT, scoped=False),
    "assessment:district_school": Rung(DISTRICT),
    "assessment:district_export_start": post(DISTRICT, scoped=False),
    "assessment:district_exports_panel": Rung(DISTRICT, scoped=False),
    # the export's key (tests/world.py: asked by 赤坎区's admin)
    "assessment:district_export_file": Rung(DISTRICT),
}

# The Django admin (admin:*) is the operator's: AdminSite.admin_view wraps every
# one of its pages but the login, and sends everyone else to the admin login.
ADMIN_PUBLIC = {"admin:login"}
