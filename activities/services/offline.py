"""线下活动: the leader designates participants and uploads evidence; the first
evidence completes the activity for every designated participant.

Evidence proves the activity happened (DESIGN §2): none before its date. The
first evidence credits every designated member at once, so the leader confirms
how many it will credit before it goes through."""

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from groups.models import GroupMember
from hours.services import hours_reverse, teacher_places_lock

from ..files import EVIDENCE, UploadRefused, check_upload
from ..models import Activity, Evidence, Participation
from ..selectors import evidence_would_credit
from ..window import closed_on, window_refusal
from .common import ActivityError, create_once, require_kind, require_live_group, require_window
from .completion import participations_complete, participations_uncomplete


def _require_leader_window(activity: Activity, by) -> None:
    # Draft, archived, closed, the cycle over: nothing of a 线下活动 changes then.
    require_window(activity, by, by_leader=True)


def _require_not_closed(activity: Activity) -> None:
    # Withdrawing and undesignating correct a record (they never credit), so
    # only an archived group or a closed activity stops them.
    require_live_group(activity.group)
    if activity.status == "closed":
        raise ActivityError(
            f"该活动已于 {closed_on(activity):%Y-%m-%d} 结束，参与组员和佐证材料不能再修改。"
        )


def _has_evidence(activity: Activity) -> bool:
    return activity.evidence.filter(withdrawn_at__isnull=True).exists()


def _complete_designated(*, activity: Activity, by) -> int:
    return participations_complete(
        activity=activity, by=by, reason=f"线下活动《{activity.title}》上传了佐证材料"
    )


@transaction.atomic
def participants_designate(*, activity: Activity, by, users) -> int:
    """指定组员参与. Members designated after evidence exists are completed at once."""
    require_kind(activity, Activity.Kind.OFFLINE)
    if activity.is_draft:
        raise ActivityError("请先发布线下活动，再指定参与组员。")
    users = sorted(users, key=lambda u: u.pk)
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
        _complete_designated(activity=activity, by=by)
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
    today = timezone.localdate()
    if today < activity.held_on:
        raise ActivityError(
            f"该线下活动定于 {activity.held_on:%Y-%m-%d} 举行，"
            "活动举行后才能上传佐证材料（佐证材料证明活动已经开展）。"
        )
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
    _require_not_closed(activity)
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
    _require_not_closed(activity)
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
        reversed_ = (
            hours_reverse(
                teacher=participation.user,
                source=activity,
                reason=f"线下活动《{activity.title}》取消指定参与",
                by=by,
            )
            is not None
        )
    participation.delete()
    return reversed_
