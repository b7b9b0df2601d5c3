"""线下活动: the leader designates participants and uploads evidence; the first
evidence completes the activity for every designated participant.

Evidence proves the activity happened (DESIGN §2): none before its date. The
first evidence credits every designated member at once, so the leader confirms
how many it will credit before it goes through."""

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from accounts.selectors import places_joined_on
from accounts.services import teacher_places_lock
from groups.models import GroupMember
from hours.services import ReversalRefused, hours_reverse

from ..files import EVIDENCE, UploadRefused, check_upload
from ..models import Activity, Evidence, Participation
from ..selectors import evidence_would_credit
from ..window import offline_held_refusal, place_began_refusal, window_refusal
from .common import ActivityError, create_once, require_kind, require_live_group, require_window
from .completion import participations_complete, participations_uncomplete


def _require_leader_window(activity: Activity, by) -> None:
    # Draft, archived, closed, the cycle over: nothing of a 线下活动 changes then.
    require_window(activity, by, by_leader=True)


def _require_not_closed(activity: Activity, teacher) -> None:
    # Withdrawing and undesignating correct a record, and may reverse credits:
    # an archived group, a closed activity or the cycle's end (for `teacher`,
    # whose hours would change) stops them (activities.window).
    require_live_group(activity.group)
    require_window(activity, teacher, by_leader=True)


def _has_evidence(activity: Activity) -> bool:
    return activity.evidence.filter(withdrawn_at__isnull=True).exists()


def _complete_designated(*, activity: Activity, by, reason: str = "") -> int:
    reason = (reason or "线下活动《{title}》上传了佐证材料").format(title=activity.title)
    return participations_complete(activity=activity, by=by, reason=reason)


@transaction.atomic
def participants_designate(*, activity: Activity, by, users, confirmed: int | None = None) -> int:
    """指定组员参与. Members designated after evidence exists are completed at once,
    so the leader confirms how many first (`confirmed`, CreditUnconfirmed until
    it matches), and the ledger says the credit came from a designation."""
    require_kind(activity, Activity.Kind.OFFLINE)
    if activity.is_draft:
        raise ActivityError("请先发布线下活动，再指定参与组员。")
    users = sorted(users, key=lambda u: u.pk)
    _check_designation(activity=activity, users=users, confirmed=confirmed)
    for user in users:
        refusal = window_refusal(activity=activity, teacher=user, by_leader=True)
        if refusal:
            raise ActivityError(refusal)
    # Lock every place first, in user order (the lock 调岗移除 takes first): a
    # designation cannot outlive a removal of the same teacher racing it.
    user_ids = {u.pk for u in users}
    placed = teacher_places_lock(teacher_ids=user_ids, school_id=activity.group.school_id)
    gone = user_ids - placed
    members = set(
        GroupMember.objects.filter(group_id=activity.group_id, user_id__in=user_ids).values_list(
            "user_id", flat=True
        )
    )
    if gone or user_ids - members:
        raise ActivityError("只能指定本教研组的在职组员参与。")
    already = set(activity.participations.values_list("user_id", flat=True))
    Participation.objects.bulk_create(
        [
            Participation(activity=activity, user_id=uid, designated_by=by)
            for uid in sorted(members - already)
        ],
        ignore_conflicts=True,
    )
    if _has_evidence(activity):
        _complete_designated(activity=activity, by=by, reason=DESIGNATED_LATE)
    return len(members - already)


def evidence_add(
    *, activity: Activity, by, kind: str, upload, confirmed: int | None = None, token=None
) -> Evidence:
    """Upload one piece of evidence. Refused before the activity's date. The first
    evidence completes every designated member: `confirmed` must be the number
    the leader was shown (evidence_would_credit), so nobody is credited by
    surprise. A retry of the same form (`token`) stores the file once."""
    require_kind(activity, Activity.Kind.OFFLINE)
    _require_leader_window(activity, by)
    refusal = offline_held_refusal(activity=activity)
    if refusal:
        raise ActivityError(refusal)
    waiting = activity.participations.filter(completed_at__isnull=True).select_related("user")
    _require_present_on_the_day(activity, [p.user for p in waiting])
    if kind not in Evidence.Kind.values:
        raise ActivityError("请选择佐证材料的类型。")
    would = evidence_would_credit(activity=activity)
    if would and confirmed != would:
        raise ActivityError(
            f"上传第一份佐证材料将为 {would} 名组员计入 {activity.hours_value} 学时，"
            "请勾选确认后再上传。"
        )
    try:
        content_type = check_upload(upload, EVIDENCE)
    except UploadRefused as refusal:
        raise ActivityError(str(refusal)) from None
    evidence = Evidence(
        activity=activity,
        kind=kind,
        original_name=upload.name[:200],
        size=upload.size,
        content_type=content_type,
        uploaded_by=by,
    )
    # Store first (large videos, maybe S3), then record and complete in one transaction.
    evidence.file.save(upload.name, upload, save=False)
    names = ("activity", "kind", "original_name", "size", "content_type")
    fields = {f: getattr(evidence, f) for f in names}
    fields["file"] = evidence.file.name
    with transaction.atomic():
        row, created = create_once(Evidence, token=token, owner={"uploaded_by": by}, fields=fields)
        if created:
            _complete_designated(activity=activity, by=by)
    if not created:  # a retry: the first request's file is the one kept
        default_storage.delete(evidence.file.name)
    return row


@transaction.atomic
def evidence_withdraw(*, evidence: Evidence, by) -> int:
    """Withdraw one file (the row stays as history). Withdrawing the last one undoes
    every completion and reverses the credits. Returns the completions undone."""
    if evidence.withdrawn_at is not None:
        return 0
    activity = evidence.activity
    _require_not_closed(activity, by)
    evidence.withdrawn_at = timezone.now()
    evidence.withdrawn_by = by
    evidence.save(update_fields=["withdrawn_at", "withdrawn_by"])
    if _has_evidence(activity):
        return 0
    return participations_uncomplete(
        activity=activity, by=by, reason=f"线下活动《{activity.title}》的佐证材料已全部撤回"
    )


@transaction.atomic
def participant_undesignate(*, activity: Activity, by, user) -> bool:
    """取消指定: take a wrongly designated member off a 线下活动.

    Before any evidence the row simply goes. After evidence the member was
    credited, and they did not take part: the completion is undone and the
    ledger reverses that one credit (with the leader as actor and the reason),
    the other participants keep theirs. Returns True if a credit was reversed."""
    require_kind(activity, Activity.Kind.OFFLINE)
    _require_not_closed(activity, user)
    participation = (
        Participation.objects.select_for_update(of=("self",))  # not the user row
        .filter(activity=activity, user=user)
        .select_related("user")
        .first()
    )
    if participation is None:
        return False
    reversed_ = False
    if participation.completed_at is not None:
        try:
            reversed_ = (
                hours_reverse(
                    teacher=participation.user,
                    source=activity,
                    reason=f"线下活动《{activity.title}》取消指定参与",
                    by=by,
                )
                is not None
            )
        except ReversalRefused as refusal:  # the member passed 研修考核 on these hours
            raise ActivityError(refusal.messages[0]) from None
    participation.delete()
    return reversed_


# ---- who may be designated and credited (attack report 1 §2, §3) ----------------


class CreditUnconfirmed(ActivityError):
    """The action would credit people at once: the leader first confirms how
    many (`would`) and how many hours each (`hours`), as for the first evidence,
    so that nobody is credited by surprise."""

    def __init__(self, message: str, *, would: int, hours: int):
        super().__init__(message)
        self.would = would
        self.hours = hours


def _require_present_on_the_day(activity: Activity, users) -> None:
    """Nobody is designated on, or credited through, a 线下活动 held before their
    place in the school began (activities.window.place_began_refusal)."""
    joined = places_joined_on(school_id=activity.group.school_id, user_ids=[u.pk for u in users])
    for user in users:
        refusal = place_began_refusal(
            activity=activity, teacher=user, joined_on=joined.get(user.pk)
        )
        if refusal:
            raise ActivityError(refusal)


def _check_designation(*, activity: Activity, users, confirmed: int | None) -> None:
    """指定 beyond the window: only people who were in the school on the day;
    and once evidence stands, when designating credits at once, not before the
    activity's date and only after the leader confirmed how many it credits."""
    _require_present_on_the_day(activity, users)
    if not _has_evidence(activity):
        return
    refusal = offline_held_refusal(activity=activity)
    if refusal:
        raise ActivityError(refusal)
    already = set(activity.participations.filter(user__in=users).values_list("user_id", flat=True))
    would = len({u.pk for u in users} - already)
    if would and confirmed != would:
        raise CreditUnconfirmed(
            f"该活动已上传佐证材料：指定后将为 {would} 名组员计入 {activity.hours_value} 学时，"
            "请确认后再指定。",
            would=would,
            hours=activity.hours_value,
        )


# Why a credit came from a designation rather than from the evidence itself.
DESIGNATED_LATE = "线下活动《{title}》的佐证材料已上传，组长随后指定参与"
