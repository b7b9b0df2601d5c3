"""教学研讨: posts (发表观点) and likes (点赞)."""

import unicodedata

from django.db import IntegrityError, transaction
from django.db.models import F

from ..models import Activity, Like, Post
from ..selectors import participation_of
from .common import ActivityError, create_once, lock_member, require_kind, require_window
from .completion import participation_complete, participation_enter

MIN_POST_CHARS = 10
# Everyone in the group reads every post on one page: a view is a paragraph or
# a few, not a document (outside test 6: a 9 MB post made a 9 MB page).
MAX_POST_CHARS = 5000


def meaningful_length(text: str) -> int:
    """Letters and digits only: "。。。。" or "顶顶！" are not a view."""
    return sum(1 for ch in text if unicodedata.category(ch)[0] in ("L", "N"))


def post_create(*, activity: Activity, user, body: str, token=None) -> Post:
    """发表观点. The first post of real content completes the discussion.

    A double submit or a retry of the same form (same `token`) returns the post
    already made, even when the requests arrive at the same instant (the
    database's unique (author, request_token), services.common.create_once)."""
    require_kind(activity, Activity.Kind.DISCUSSION)
    require_window(activity, user)
    body = body.strip()
    if meaningful_length(body) < MIN_POST_CHARS:
        raise ActivityError(f"观点内容太短，请至少写 {MIN_POST_CHARS} 个字。")
    if len(body) > MAX_POST_CHARS:
        raise ActivityError(
            f"观点最多 {MAX_POST_CHARS} 字（现在 {len(body)} 字），请精简后再发表；"
            "较长的材料可以作为研修作业提交。"
        )
    participation = participation_of(activity=activity, user=user)
    if participation is None:
        raise ActivityError("请先点击“参与活动”，再发表观点。")
    with transaction.atomic():
        lock_member(activity, user)
        participation_enter(participation=participation)
        post, _ = create_once(
            Post, token=token, owner={"author": user}, fields={"activity": activity, "body": body}
        )
        participation.activity, participation.user = activity, user
        participation_complete(
            participation=participation,
            by=user,
            place_locked=True,  # lock_member above
            reason=f"在教学研讨《{activity.title}》发表观点",
        )
    return post


def like_set(*, post: Post, user, liked: bool) -> tuple[bool, int]:
    """点赞 (`liked`) / 取消点赞: the state the person asked for, not a toggle, so
    the same request twice (a double tap on a slow network) leaves it as asked
    instead of undoing it. Returns (liked now, like count). Closes with the
    discussion, like every member action (activities.window).

    Like(post, user) is unique in the database; like_count moves with F() only
    when a row was added or removed, so two people liking at once both count
    and one person's two identical requests count once."""
    activity = post.activity
    require_window(activity, user)
    if post.author_id == user.pk:
        raise ActivityError("不能给自己的观点点赞。")
    with transaction.atomic():
        if liked:
            try:
                with transaction.atomic():
                    Like.objects.create(post=post, user=user)
                Post.objects.filter(pk=post.pk).update(like_count=F("like_count") + 1)
            except IntegrityError:
                pass  # liked already (the same tap twice)
        else:
            deleted, _ = Like.objects.filter(post=post, user=user).delete()
            if deleted:
                Post.objects.filter(pk=post.pk).update(like_count=F("like_count") - 1)
    count = Post.objects.filter(pk=post.pk).values_list("like_count", flat=True).get()
    return liked, count
