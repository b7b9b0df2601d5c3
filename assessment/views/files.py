"""Downloads: every file goes through an access helper first (access.py), never
a media URL. A file outside the person's scope answers 404."""

from django.http import Http404

from accounts.access import role_required
from accounts.roles import Role
from activities.files import serve_file

from ..access import get_case_for, get_evidence_for, get_plan_for, get_summary_for
from ..files import inline, plan_download_name, summary_download_name

# Who may reach a download at all; the access helper decides which files.
DOWNLOAD_ROLES = (Role.TEACHER, Role.LEADER, Role.SCHOOL_ADMIN, Role.INFO_TEAM)


@role_required(*DOWNLOAD_ROLES)
def plan_file(request, plan_id: int):
    plan = get_plan_for(request.user, plan_id)
    return serve_file(
        request,
        plan.file,
        filename=plan_download_name(plan.teacher.real_name, plan.ext),
        content_type=plan.content_type,
    )


@role_required(*DOWNLOAD_ROLES)
def summary_file(request, summary_id: int):
    summary = get_summary_for(request.user, summary_id)
    return serve_file(
        request,
        summary.file,
        filename=summary_download_name(summary.teacher.real_name, summary.point.code, summary.ext),
        content_type=summary.content_type,
    )


@role_required(*DOWNLOAD_ROLES)
def evidence_file(request, item_id: int):
    item = get_evidence_for(request.user, item_id)
    if not item.file:
        raise Http404  # a link: the page shows it, there is nothing to download
    return serve_file(
        request,
        item.file,
        filename=item.original_name,
        content_type=item.content_type,
        inline=inline(item.content_type),
    )


@role_required(*DOWNLOAD_ROLES)
def case_design_file(request, case_id: int):
    case = get_case_for(request.user, case_id)
    return serve_file(
        request,
        case.file,
        filename=f"{case.group.name}-{case.title}-教学设计.{case.ext}",
        content_type=case.content_type,
    )


@role_required(*DOWNLOAD_ROLES)
def case_recording_file(request, case_id: int):
    case = get_case_for(request.user, case_id)
    if not case.recording_file:
        raise Http404
    return serve_file(
        request,
        case.recording_file,
        filename=case.recording_name or f"{case.title}-课堂实录.mp4",
        content_type=case.recording_type or "video/mp4",
        inline=True,
    )
