from django.db import IntegrityError, transaction

from accounts.compiled import CompiledRead
from accounts.services import teacher_place_lock
from groups.models import GroupMember

from ..models import Activity
from ..window import window_refusal


class ActivityError(Exception):
    """A refusal the person can act on; the message is shown as it is (Chinese)."""


def require_window(activity: Activity, teacher, *, by_leader: bool = False) -> None:
    """Refuse with the reason (naming the date) when `teacher` may not act in the
    activity today, or `by_leader`, be credited through it (activities.window)."""
    refusal = window_refusal(activity=activity, teacher=teacher, by_leader=by_leader)
    if refusal:
        raise ActivityError(refusal)


def lock_member(activity: Activity, user) -> None:
    """Inside atomic(), before writing anything of `user`'s: lock their place in
    the school (the lock 调岗移除 takes first, accounts.services.teacher_place_lock)
    and check they are still a teacher there and a member of the group. A row
    written after this cannot outlive a removal racing it: the removal either
    finished before (refused here) or waits and then clears the row."""
    if not teacher_place_lock(teacher_id=user.pk, school_id=activity.group.school_id):
        raise ActivityError("你已不是本校在职教师，不能参与此活动。")
    if not _MEMBER.rows(group=activity.group_id, user=user.pk):
        raise ActivityError("只有本教研组的组员可以参与此活动。")


# Every member action checks it under the lock: compiled once per process (accounts.compiled).
_MEMBER = CompiledRead(
    lambda group, user: GroupMember.objects.filter(group_id=group, user_id=user).values("pk")[:1],
    "group",
    "user",
)


def require_live_group(group) -> None:
    """An archived group is read-only: every write refuses (issue 8 §6)."""
    if group.archived_at is not None:
        raise ActivityError(f"教研组“{group.name}”已归档，只能查看，不能再修改。")


def require_kind(activity: Activity, kind: str) -> None:
    if activity.kind != kind:
        raise ActivityError(f"该活动是{activity.get_kind_display()}，不支持此操作。")


def create_once(model, *, token, owner: dict, fields: dict):
    """Create a row once per form: a double tap or a retry of the same POST
    carries the same `token` (a UUID rendered into the form) and gets the row
    the first request made. The database guarantees it: a UniqueConstraint on
    (owner, request_token); the loser of a race hits it and reads the winner's
    row. Without a token (callers that are not forms) it simply creates.
    Returns (row, created)."""
    if token is None:
        return model.objects.create(**owner, **fields), True
    # Insert first: a repeated form is the rare case, and the constraint finds
    # it without a lookup before every first submit (issue 15).
    try:
        with transaction.atomic():
            return model.objects.create(**owner, **fields, request_token=token), True
    except IntegrityError:
        existing = model.objects.filter(**owner, request_token=token).first()
        if existing is None:  # some other constraint: not ours to hide
            raise
        return existing, False
