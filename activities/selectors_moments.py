"""Reads of the comments pinned to moments of a lesson video (听课评课).

Who sees what: the group's leader sees every comment; a member sees their own,
and everyone's once they have handed in their own 听课评课表 (so that nobody
is swayed before forming a view); nobody outside the group sees any (the
activity itself answers 404 to them)."""

from dataclasses import dataclass

from django.db.models import Count, ExpressionWrapper, F, IntegerField, Q

from accounts.compiled import CompiledAggregate, CompiledModels

from .models import Activity, VideoComment
from .moments import moment_label

HOTSPOT_SECONDS = 30


@dataclass
class MomentBoard:
    comments: list  # VideoComment in time order, with .author
    hidden: int  # others' comments the member will see after handing in the form
    sees_all: bool


def _comments(activity: Activity | int):
    return (
        VideoComment.objects.filter(activity=activity)
        .select_related("author")
        .order_by("second", "created_at", "pk")
    )


# A member's 听课评课 page reads these: compiled once per process (accounts.compiled).
_EVERY = CompiledModels(_comments, "activity")
_OWN = CompiledModels(
    lambda activity, user: _comments(activity).filter(author=user), "activity", "user"
)
_HIDDEN = CompiledAggregate(
    lambda activity, user: (
        VideoComment.objects.filter(activity=activity).exclude(author=user),
        {"n": Count("pk")},
    ),
    "activity",
    "user",
)


def video_comments_for(*, activity: Activity, user, leader: bool, answered: bool) -> MomentBoard:
    """What `user` (the leader, or a member) may read: one or two queries.
    `answered`: the member's 听课评课表 is in (the page has read it)."""
    if leader or answered:
        return MomentBoard(_EVERY.all(activity=activity.pk), 0, True)
    mine = _OWN.all(activity=activity.pk, user=user.pk)
    (hidden,) = _HIDDEN.rows(activity=activity.pk, user=user.pk)
    return MomentBoard(mine, hidden["n"], False)


def video_comments_all(*, activity: Activity) -> list:
    """Every comment, for the leader's export (one query)."""
    return list(_comments(activity))


@dataclass
class Hotspot:
    start: int  # seconds
    count: int
    comments: list

    @property
    def label(self) -> str:
        return f"{moment_label(self.start)}–{moment_label(self.start + HOTSPOT_SECONDS)}"


def video_comment_hotspots(*, activity: Activity, limit: int = 5) -> list[Hotspot]:
    """The moments most commented on: the video cut into 30-second pieces, the
    `limit` busiest (ties: the earlier first), each with its comments. Two
    queries."""
    bucket = ExpressionWrapper(F("second") / HOTSPOT_SECONDS, output_field=IntegerField())
    top = list(
        VideoComment.objects.filter(activity=activity)
        .annotate(bucket=bucket)
        .values("bucket")
        .annotate(n=Count("pk"))
        .order_by("-n", "bucket")[:limit]
    )
    if not top:
        return []
    within = Q()
    for row in top:
        start = row["bucket"] * HOTSPOT_SECONDS
        within |= Q(second__gte=start, second__lt=start + HOTSPOT_SECONDS)
    spots = {row["bucket"]: Hotspot(row["bucket"] * HOTSPOT_SECONDS, row["n"], []) for row in top}
    for comment in _comments(activity).filter(within):
        spots[comment.second // HOTSPOT_SECONDS].comments.append(comment)
    return [spots[row["bucket"]] for row in top]
