"""Downloads: every file goes through an access helper first, never a media URL."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.access import role_required
from accounts.roles import Role

from ..access import activities_visible_to, get_activity_for, get_evidence_for, is_leader
from ..files import serve_file
from ..models import SubmissionFile
from .common import VIEWER_ROLES


@role_required(*VIEWER_ROLES)
def lesson_video(request, activity_id):
    """The 听课评课 video, with Range support so the page's <video> can seek."""
    activity = get_activity_for(request.user, activity_id)
    if not activity.video:
        raise Http404
    return serve_file(
        request,
        activity.video,
        filename=activity.video_name or "课堂视频.mp4",
        content_type=_video_type(activity.video_name),
        inline=True,
    )


@role_required(*VIEWER_ROLES)
def homework_file(request, file_id):
    """The author and the group's leader may download a homework file; so may the
    school admin when the author is that group's leader (the admin checks a
    leader's own work before confirming their hours, DESIGN §2)."""
    row = get_object_or_404(
        SubmissionFile.objects.select_related("submission__activity__group").filter(
            submission__activity__in=activities_visible_to(request.user).values("pk")
        ),
        pk=file_id,
    )
    submission = row.submission
    group = submission.activity.group
    checks_leader = (
        request.grant.role == Role.SCHOOL_ADMIN
        and request.grant.school_id == group.school_id
        and submission.user_id == group.leader_id
    )
    if (
        submission.user_id != request.user.pk
        and not is_leader(request.user, group)
        and not checks_leader
    ):
        raise Http404
    return serve_file(request, row.file, filename=row.original_name, content_type=row.content_type)


@role_required(*VIEWER_ROLES)
def evidence_file(request, evidence_id):
    """Evidence is visible to everyone who may see the activity; withdrawn
    evidence only to those who keep the record (access.get_evidence_for)."""
    row = get_evidence_for(request.user, request.grant, evidence_id)
    inline = row.content_type.startswith(("image/", "video/", "application/pdf"))
    return serve_file(
        request, row.file, filename=row.original_name, content_type=row.content_type, inline=inline
    )


def _video_type(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else "mp4"
    return {"webm": "video/webm", "mov": "video/quicktime"}.get(ext, "video/mp4")
