from django.urls import path

from .views import (
    checkin,
    consistency,
    detail,
    files,
    leader,
    manage,
    member,
    moments,
    school,
    supervise,
)

app_name = "activities"

urlpatterns = [
    # teacher
    path("", member.mine, name="mine"),
    path("<int:activity_id>/", detail.activity_detail, name="detail"),
    path("<int:activity_id>/join/", member.join, name="join"),
    path("<int:activity_id>/enter/", member.enter, name="enter"),
    path("<int:activity_id>/posts/", member.post_new, name="post_new"),
    path("posts/<int:post_id>/like/", member.like, name="like"),
    path("<int:activity_id>/homework/", member.homework_new, name="homework_submit"),
    path("<int:activity_id>/observation/", member.observation_new, name="observation_submit"),
    # leader
    path("leading/", leader.leading, name="leading"),
    path("groups/<int:group_id>/", leader.group_page, name="group"),
    path("groups/<int:group_id>/coverage/", leader.group_coverage, name="coverage"),
    path("groups/<int:group_id>/topics/new/", leader.topic_new, name="topic_new"),
    path(
        "groups/<int:group_id>/topics/new/publish/",
        leader.topic_new_publish,
        name="topic_new_publish",
    ),
    path("topics/<int:topic_id>/edit/", leader.topic_edit, name="topic_edit"),
    path("topics/<int:topic_id>/publish/", leader.topic_publish_view, name="topic_publish"),
    path("topics/<int:topic_id>/delete/", leader.topic_delete_view, name="topic_delete"),
    path("topics/<int:topic_id>/activities/new/", leader.activity_new, name="activity_new"),
    path("<int:activity_id>/edit/", leader.activity_edit, name="activity_edit"),
    path("<int:activity_id>/publish/", leader.activity_publish_view, name="activity_publish"),
    path("<int:activity_id>/close/", leader.activity_close_view, name="activity_close"),
    path("<int:activity_id>/delete/", leader.activity_delete_view, name="activity_delete"),
    path("<int:activity_id>/video/", manage.video_set, name="video_set"),
    path("<int:activity_id>/form/header/", manage.observation_header, name="form_header"),
    path("<int:activity_id>/form/questions/", manage.question_add, name="question_add"),
    path(
        "<int:activity_id>/form/questions/<int:question_id>/delete/",
        manage.question_delete,
        name="question_delete",
    ),
    path("<int:activity_id>/results/", manage.observation_results, name="observation_results"),
    path("<int:activity_id>/results.xlsx", manage.observation_export, name="observation_export"),
    path("<int:activity_id>/participants/", manage.designate, name="designate"),
    path(
        "<int:activity_id>/participants/<int:user_id>/remove/",
        manage.undesignate,
        name="undesignate",
    ),
    path("<int:activity_id>/evidence/", manage.evidence_new, name="evidence_add"),
    path(
        "evidence/<int:evidence_id>/withdraw/",
        manage.evidence_withdraw_view,
        name="evidence_withdraw",
    ),
    path("<int:activity_id>/homework.zip", manage.homework_zip, name="homework_zip"),
    # 扫码签到 (issue 14)
    path("checkin/<str:token>/", checkin.scan, name="checkin_scan"),
    path("<int:activity_id>/checkin/", checkin.screen, name="checkin_screen"),
    path("<int:activity_id>/checkin/open/", checkin.open_, name="checkin_open"),
    path("<int:activity_id>/checkin/close/", checkin.close, name="checkin_close"),
    path("<int:activity_id>/checkin/code/", checkin.code, name="checkin_code"),
    path("<int:activity_id>/checkin/list/", checkin.board, name="checkin_list"),
    path("<int:activity_id>/checkin/manual/", checkin.manual, name="checkin_manual"),
    path(
        "<int:activity_id>/checkin/designate/<int:user_id>/",
        checkin.designate,
        name="checkin_designate",
    ),
    path(
        "<int:activity_id>/checkin/undesignate/<int:user_id>/",
        checkin.undesignate,
        name="checkin_undesignate",
    ),
    path("<int:activity_id>/checkin/sheet/", checkin.sheet, name="checkin_sheet"),
    path("<int:activity_id>/checkin/sheet.xlsx", checkin.sheet_xlsx, name="checkin_sheet_xlsx"),
    path("<int:activity_id>/checkin/evidence/", checkin.evidence, name="checkin_evidence"),
    # 听课评课: comments pinned to moments of the video (issue 14)
    path("<int:activity_id>/comments/", moments.comment_new, name="video_comment_add"),
    # 方案与实施一致性 (issue 14); the acceptance checklist links to "consistency"
    path("school/consistency/", consistency.school_page, name="consistency"),
    path(
        "groups/<int:group_id>/consistency/",
        consistency.group_page,
        name="group_consistency",
    ),
    # who has not completed, 提醒 and 延期 (issue 13): the leader and the school admin
    path("<int:activity_id>/lacking/", supervise.activity_lacking, name="activity_lacking"),
    path("<int:activity_id>/remind/", supervise.activity_remind, name="activity_remind"),
    path(
        "<int:activity_id>/extensions/<int:user_id>/",
        supervise.extension_new,
        name="extension_new",
    ),
    path("school/extensions/", supervise.school_extensions, name="school_extensions"),
    # school
    path("school/coverage/", leader.school_coverage, name="school_coverage"),
    path("school/claims/", school.claims, name="claims"),
    path("school/claims/<int:claim_id>/confirm/", school.claim_confirm, name="claim_confirm"),
    path("school/claims/<int:claim_id>/reject/", school.claim_reject, name="claim_reject"),
    # files
    path("<int:activity_id>/video/stream", files.lesson_video, name="video_stream"),
    path("files/homework/<int:file_id>", files.homework_file, name="homework_file"),
    path("files/evidence/<int:evidence_id>", files.evidence_file, name="evidence_file"),
]
