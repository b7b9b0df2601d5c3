"""Participation and completion: the one place a completion is recorded and
the ledger is asked to credit (or reverse) the hours it is worth."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from groups.models import GroupMember
from hours.services import (
    ReversalRefused,
    hours_claim,
    hours_credit,
    hours_credit_many,
    hours_reverse_source,
    teacher_place_lock,
    teacher_places_lock,
)

from ..models import Activity, Participation
from ..window import window_refusal
from .common import ActivityError, lock_member, require_window


def participation_join(*, activity: Activity, user) -> Participation:
    """参与活动. Idempotent: a second click returns the same row."""
    if activity.kind == Activity.Kind.OFFLINE:
        raise ActivityError("线下活动由教研组长指定参与组员，无需报名。")
    require_window(activity, user)
    if not GroupMember.objects.filter(group_id=activity.group_id, user=user).exists():
        raise ActivityError("只有本教研组的组员可以参与此活动。")
    with transaction.atomic():
        lock_member(activity, user)  # a join cannot outlive a removal racing it
        try:
            with transaction.atomic():
                participation, _ = Participation.objects.get_or_create(activity=activity, user=user)
        except IntegrityError:  # the same click racing itself: the other request made the row
            participation = Participation.objects.get(activity=activity, user=user)
    return participation


def participation_enter(*, participation: Participation) -> Participation:
    """进入研修: remembered the first time only."""
    if participation.entered_at is None:
        participation.entered_at = timezone.now()
        participation.save(update_fields=["entered_at"])
    return participation


def is_self_credit(*, activity: Activity, user) -> bool:
    """DESIGN §2: nobody credits themselves unseen. A leader's own hours from an
    activity of the group they lead wait for the school admin (hours.HoursClaim)."""
    return activity.group.leader_id == user.pk


def participation_complete(
    *, participation: Participation, by, reason: str, place_locked: bool = False
) -> bool:
    """Record the completion and credit the hours, once. True if this call completed it.

    Refused (False, nothing written) for anyone who is not an active teacher of
    the activity's school (the place is locked first: a removal running at the
    same moment either finishes before, or waits until this commits and then
    reverses it) or whose window has closed (activities.window). A caller that
    has already locked the place in its transaction (common.lock_member: the
    member's own post, homework or form) says so with `place_locked`, and the
    lock is not asked for again, here or in the ledger.

    The conditional UPDATE is the guard: of two requests completing the same
    participation at the same moment only one sees a row with completed_at
    still empty (the database serialises the update), so only one credits.
    The ledger is idempotent per (teacher, activity) as a second safety net.

    A leader completing an activity of their own group gets a claim the school
    admin confirms, not a credit."""
    activity = participation.activity
    user = participation.user
    # Inside the member's own transaction (their post, homework or form): no
    # savepoint, as hours.services.hours_credit.
    with transaction.atomic(savepoint=False):
        if not place_locked and not teacher_place_lock(
            teacher_id=user.pk, school_id=activity.group.school_id
        ):
            return False
        # A 线下活动 is completed by the leader's evidence, which comes after the
        # open period; the other kinds by the member's own work inside it.
        by_leader = activity.kind == Activity.Kind.OFFLINE
        if window_refusal(activity=activity, teacher=user, by_leader=by_leader):
            return False
        now = timezone.now()
        updated = Participation.objects.filter(
            pk=participation.pk, completed_at__isnull=True
        ).update(completed_at=now)
        if not updated:
            return False
        participation.completed_at = now
        ledger = hours_claim if is_self_credit(activity=activity, user=user) else hours_credit
        ledger(
            teacher=user,
            cycle=activity.cycle,
            school=activity.group.school,
            source=activity,
            hours=activity.hours_value,
            category=activity.get_kind_display(),
            ability_points=list(activity.topic.key_points.all()),
            reason=reason,
            by=by,
            place_locked=True,  # just above, or by the caller
        )
    return True


def participations_complete(*, activity: Activity, by, reason: str) -> int:
    """Complete every participation of `activity` still waiting (a 线下活动's
    designated members, when its first evidence arrives) and credit them, in a
    fixed number of queries whatever their number. Returns how many.

    The rules of participation_complete, for each member: the places are
    locked first, in user order (the lock 调岗移除 takes first, so a removal
    racing this either finished before and its teacher is skipped, or waits
    and then reverses the credit); anyone whose window has closed is skipped;
    the waiting rows are locked and read again under the locks, so of two
    evidences uploaded at the same instant the second finds them done and
    credits nobody twice; a leader's own hours wait as a claim. The ledger
    credits in bulk (hours.services.hours_credit_many)."""
    waiting = Participation.objects.filter(activity=activity, completed_at__isnull=True)
    by_leader = activity.kind == Activity.Kind.OFFLINE
    with transaction.atomic():
        user_ids = list(waiting.order_by("user_id").values_list("user_id", flat=True))
        placed = teacher_places_lock(teacher_ids=user_ids, school_id=activity.group.school_id)
        rows = [
            p
            for p in waiting.filter(user_id__in=sorted(placed))
            .select_related("user")
            .select_for_update(of=("self",))  # not the user rows
            .order_by("user_id")
            if not window_refusal(activity=activity, teacher=p.user, by_leader=by_leader)
        ]
        if not rows:
            return 0
        Participation.objects.filter(pk__in=[p.pk for p in rows]).update(
            completed_at=timezone.now()
        )
        ledger = {
            "cycle": activity.cycle,
            "school": activity.group.school,
            "source": activity,
            "hours": activity.hours_value,
            "category": activity.get_kind_display(),
            "ability_points": list(activity.topic.key_points.all()),
            "reason": reason,
            "by": by,
        }
        leaders = [p.user for p in rows if is_self_credit(activity=activity, user=p.user)]
        hours_credit_many(teachers=[p.user for p in rows if p.user not in leaders], **ledger)
        for leader in leaders:  # at most one: the group's leader
            hours_claim(teacher=leader, **ledger)
    return len(rows)


def participations_uncomplete(*, activity: Activity, by, reason: str) -> int:
    """Undo every completion of `activity` and reverse its credits (offline evidence withdrawn)."""
    with transaction.atomic():
        undone = Participation.objects.filter(activity=activity, completed_at__isnull=False).update(
            completed_at=None
        )
        try:
            hours_reverse_source(source=activity, reason=reason, by=by)
        except ReversalRefused as refusal:  # a passed teacher would fall below 25
            raise ActivityError(refusal.messages[0]) from None
    return undone
