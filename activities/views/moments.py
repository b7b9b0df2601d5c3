"""听课评课: comments pinned to moments of the lesson video."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from accounts.access import role_required

from ..access import get_activity_for_member
from ..forms_moments import VideoCommentForm
from ..services import video_comment_add
from .common import MEMBER_ROLES, form_errors, run_service


@require_POST
@role_required(*MEMBER_ROLES)
def comment_new(request, activity_id):
    """在此处评论. Outside the group: 404; a viewer who is not a member: 403."""
    activity = get_activity_for_member(request.user, activity_id)
    form = VideoCommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        run_service(
            request,
            lambda: video_comment_add(
                activity=activity,
                user=request.user,
                second=form.cleaned_data["at"],
                body=form.cleaned_data["body"],
                token=form.cleaned_data["request_token"],
            ),
            success="评论已发表。",
        )
    return redirect(f"{activity.get_absolute_url()}#moments")
