"""听课评课: comments pinned to moments of the lesson video, and the leader's
export of the responses with them."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.exports import xlsx_response

from .. import selectors, selectors_moments
from ..access import get_activity_for_leader, get_activity_for_member
from ..forms_moments import VideoCommentForm
from ..services import video_comment_add
from ..sheets import observation_xlsx
from .common import LEADER_ROLES, MEMBER_ROLES, form_errors, run_service


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


@role_required(*LEADER_ROLES)
def observation_export(request, activity_id):
    """Every 听课评课表 of the activity and every moment comment, as .xlsx."""
    activity = get_activity_for_leader(request.user, activity_id, write=False)
    content = observation_xlsx(
        summary=selectors.observation_summary(activity=activity),
        comments=selectors_moments.video_comments_all(activity=activity),
    )
    return xlsx_response(content, f"{activity.title}-听课评课.xlsx")
