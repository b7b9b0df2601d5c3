"""听课评课: comments pinned to moments of the lesson video (在此处评论).

A member of the activity's group, once they have joined and entered the
activity, comments on a moment while the activity is open (activities.window,
like every member action). Who sees whose comments is the selectors' business
(a member sees others' only after handing in their own 听课评课表)."""

from django.db import transaction

from ..models import Activity, VideoComment
from ..moments import moment_label
from ..selectors import participation_of
from .common import ActivityError, create_once, lock_member, require_kind, require_window

BODY_MAX = 1000


def video_comment_add(
    *, activity: Activity, user, second: int, body: str, token=None
) -> VideoComment:
    """Pin `body` to `second` of the lesson video. A retry of the same form
    (`token`) stores it once."""
    require_kind(activity, Activity.Kind.OBSERVATION)
    require_window(activity, user)
    body = (body or "").strip()
    if not body:
        raise ActivityError("请填写评论内容。")
    if len(body) > BODY_MAX:
        raise ActivityError(f"评论最多 {BODY_MAX} 字，请精简后再发表。")
    if not 0 <= second <= VideoComment.MAX_SECOND:
        raise ActivityError(
            f"视频时间点须在 00:00 到 {moment_label(VideoComment.MAX_SECOND)} 之间。"
        )
    participation = participation_of(activity=activity, user=user)
    if participation is None or participation.entered_at is None:
        raise ActivityError("请先点击“参与活动”并“进入研修”，再发表评论。")
    with transaction.atomic():
        lock_member(activity, user)  # a comment cannot outlive a removal racing it
        comment, _ = create_once(
            VideoComment,
            token=token,
            owner={"author": user},
            fields={"activity": activity, "second": second, "body": body},
        )
    return comment
