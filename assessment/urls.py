from django.urls import path

from .views import (
    acceptance_files,
    district,
    district_dashboard,
    district_exports,
    district_scheme,
    expert,
    files,
    info_team,
    lacking,
    leader,
    school,
    school_acceptance,
    teacher,
)

app_name = "assessment"

urlpatterns = [
    # teacher: 我的研修
    path("training/", teacher.mine, name="mine"),
    path("training/plan/template.docx", teacher.plan_template, name="plan_template"),
    path("training/plan/", teacher.plan_upload_view, name="plan_upload"),
    path("training/points/", teacher.points_edit, name="points"),
    path("training/summaries/<int:point_id>/", teacher.summary_upload_view, name="summary_upload"),
    path("training/evaluations/<int:point_id>/", teacher.evaluation_page, name="evaluation"),
    path(
        "training/evaluations/<int:point_id>/evidence/",
        teacher.evidence_upload,
        name="evidence_upload",
    ),
    path(
        "training/evaluations/<int:point_id>/submit/",
        teacher.evaluation_submit_view,
        name="evaluation_submit",
    ),
    # downloads, for whoever may see the file
    path("training/files/plans/<int:plan_id>", files.plan_file, name="plan_file"),
    path("training/files/summaries/<int:summary_id>", files.summary_file, name="summary_file"),
    path("training/files/evidence/<int:item_id>", files.evidence_file, name="evidence_file"),
    path("training/files/cases/<int:case_id>/design", files.case_design_file, name="case_design"),
    path(
        "training/files/cases/<int:case_id>/recording",
        files.case_recording_file,
        name="case_recording",
    ),
    # group leader
    path("leading/evaluations/", leader.evaluations, name="leader_evaluations"),
    path(
        "leading/evaluations/<int:evaluation_id>/",
        leader.evaluation_check,
        name="leader_evaluation",
    ),
    path(
        "leading/evaluations/<int:evaluation_id>/view/",
        leader.evaluation_view_post,
        name="evaluation_view",
    ),
    path(
        "leading/evaluations/<int:evaluation_id>/return/",
        leader.evaluation_return_post,
        name="evaluation_return",
    ),
    path("leading/cases/", leader.cases, name="cases"),
    # who lacks what, 提醒, 延期 (issue 13)
    path("leading/members/", lacking.leader_members, name="leader_members"),
    path("leading/members/remind/", lacking.leader_members_remind, name="leader_members_remind"),
    path("school/lacking/", lacking.school_lacking_page, name="lacking"),
    path("school/lacking/remind/", lacking.school_lacking_remind, name="lacking_remind"),
    path(
        "school/lacking/<int:membership_id>/extension/",
        lacking.materials_extension_new,
        name="materials_extension_new",
    ),
    path("leading/cases/<int:case_id>/delete/", leader.case_delete_post, name="case_delete"),
    # school admin: 研修考核, 典型案例
    path("school/review/", school.review, name="review"),
    path("school/review/pass-complete/", school.review_pass_all, name="review_pass_all"),
    path("school/review/<int:membership_id>/", school.review_teacher, name="review_teacher"),
    path("school/review/<int:membership_id>/pass/", school.review_pass_post, name="review_pass"),
    path("school/review/<int:membership_id>/fail/", school.review_fail_post, name="review_fail"),
    path("school/cases/", school.school_cases, name="school_cases"),
    path("school/cases/<int:case_id>/rate/", school.case_rate_post, name="case_rate"),
    # info team: 应用能力点测评
    path("school/evaluations/", info_team.register, name="register"),
    path(
        "school/evaluations/<int:evaluation_id>/",
        info_team.evaluation_detail,
        name="evaluation_detail",
    ),
    path(
        "school/evaluations/<int:evaluation_id>/assess/",
        info_team.evaluation_assess_post,
        name="evaluation_assess",
    ),
    # school: 整校推进验收 (the admin acts, the info team reads)
    path("school/acceptance/", school_acceptance.acceptance_page, name="acceptance"),
    path(
        "school/acceptance/items/<int:item_id>/upload/",
        school_acceptance.proof_upload,
        name="acceptance_upload",
    ),
    path(
        "school/acceptance/files/<int:file_id>/delete/",
        school_acceptance.proof_delete,
        name="acceptance_file_delete",
    ),
    path(
        "school/acceptance/self-score/",
        school_acceptance.self_score_save,
        name="acceptance_self_score",
    ),
    path(
        "school/acceptance/submit/",
        school_acceptance.acceptance_submit_post,
        name="acceptance_submit",
    ),
    # acceptance materials and platform records, for the school, its district, its experts
    path("acceptance/files/<int:file_id>", acceptance_files.proof_file, name="proof_file"),
    path(
        "acceptance/schools/<int:school_id>/plan.docx",
        acceptance_files.evidence_plan,
        name="evidence_plan",
    ),
    path(
        "acceptance/schools/<int:school_id>/review.xlsx",
        acceptance_files.evidence_review,
        name="evidence_review",
    ),
    path(
        "acceptance/schools/<int:school_id>/register.xlsx",
        acceptance_files.evidence_register,
        name="evidence_register",
    ),
    path(
        "acceptance/schools/<int:school_id>/cases/",
        acceptance_files.evidence_cases,
        name="evidence_cases",
    ),
    path(
        "acceptance/schools/<int:school_id>/cases/<int:case_id>/design",
        acceptance_files.evidence_case_design,
        name="evidence_case_design",
    ),
    path(
        "acceptance/schools/<int:school_id>/cases/<int:case_id>/recording",
        acceptance_files.evidence_case_recording,
        name="evidence_case_recording",
    ),
    path(
        "acceptance/schools/<int:school_id>/consistency/",
        acceptance_files.evidence_consistency,
        name="evidence_consistency",
    ),
    # expert: 评审学校
    path("expert/acceptance/", expert.expert_schools, name="expert_schools"),
    path("expert/acceptance/<int:acceptance_id>/", expert.expert_score, name="expert_score"),
    path(
        "expert/acceptance/<int:acceptance_id>/save/",
        expert.expert_score_save,
        name="expert_score_save",
    ),
    path(
        "expert/acceptance/<int:acceptance_id>/submit/",
        expert.expert_score_submit,
        name="expert_score_submit",
    ),
    # district admin: 验收方案
    path("district/scheme/", district_scheme.scheme_page, name="scheme"),
    path(
        "district/scheme/create/",
        district_scheme.scheme_create_post,
        name="scheme_create",
    ),
    path(
        "district/scheme/settings/",
        district_scheme.scheme_settings,
        name="scheme_settings",
    ),
    path(
        "district/scheme/publish/",
        district_scheme.scheme_publish_post,
        name="scheme_publish",
    ),
    path(
        "district/scheme/rubric/new/",
        district_scheme.rubric_item_new,
        name="rubric_item_new",
    ),
    path(
        "district/scheme/rubric/<int:item_id>/",
        district_scheme.rubric_item_edit,
        name="rubric_item_edit",
    ),
    path(
        "district/scheme/rubric/<int:item_id>/delete/",
        district_scheme.rubric_item_delete_post,
        name="rubric_item_delete",
    ),
    path(
        "district/scheme/proof/new/",
        district_scheme.proof_item_new,
        name="proof_item_new",
    ),
    path(
        "district/scheme/proof/<int:proof_item_id>/",
        district_scheme.proof_item_edit,
        name="proof_item_edit",
    ),
    path(
        "district/scheme/proof/<int:proof_item_id>/delete/",
        district_scheme.proof_item_delete_post,
        name="proof_item_delete",
    ),
    # district admin: 验收评审
    path("district/acceptance/", district.district_acceptances_page, name="district_acceptances"),
    path(
        "district/acceptance/assign/",
        district.experts_assign_many,
        name="experts_assign_many",
    ),
    path(
        "district/acceptance/schools/<int:school_id>/",
        district.district_acceptance,
        name="district_acceptance",
    ),
    path(
        "district/acceptance/schools/<int:school_id>/experts/",
        district.expert_assign,
        name="expert_assign",
    ),
    path(
        "district/acceptance/assignments/<int:assignment_id>/remove/",
        district.expert_unassign_post,
        name="expert_unassign",
    ),
    path(
        "district/acceptance/schools/<int:school_id>/return/",
        district.acceptance_return_post,
        name="acceptance_return",
    ),
    path(
        "district/acceptance/schools/<int:school_id>/pass/",
        district.acceptance_pass_post,
        name="acceptance_pass",
    ),
    path(
        "district/acceptance/schools/<int:school_id>/fail/",
        district.acceptance_fail_post,
        name="acceptance_fail",
    ),
    # district admin and operator: 看板, a school read-only, exports
    path("district/dashboard/", district_dashboard.district_dashboard, name="district_dashboard"),
    path(
        "district/dashboard/schools/<int:school_id>/",
        district_dashboard.district_school,
        name="district_school",
    ),
    path(
        "district/exports/",
        district_exports.district_export_start_post,
        name="district_export_start",
    ),
    path(
        "district/exports/panel/",
        district_exports.district_exports_panel,
        name="district_exports_panel",
    ),
    path(
        "district/exports/<uuid:key>/download",
        district_exports.district_export_file,
        name="district_export_file",
    ),
]
