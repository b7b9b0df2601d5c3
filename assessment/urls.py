from django.urls import path

from .views import files, info_team, lacking, leader, school, teacher

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
]
