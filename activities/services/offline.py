"""线下活动: the leader designates participants and uploads evidence; the first
evidence completes the activity for every designated participant."""

from django.db import transaction
from django.utils import timezone

from groups.models import GroupMember
from hours.services import hours_reverse

from ..files import EVIDENCE, UploadRefused, check_upload
from ..models import Activity, Evidence, Participation, Status
from .common import ActivityError, require_kind
from .completion import participation_complete, participations_uncomplete


def _require_not_closed(activity: Activity) -> None:
    # A closed activity is a finished record: who took part and the evidence
    # that credited them no longer change (closing never reverses credits).
    if activity.status == Status.CLOSED:
        raise ActivityError("活动已结束，参与组员和佐证材料不能再修改。")


def _has_evidence(activity: Activity) -> bool:
    return activity.evidence.filter(withdrawn_at__isnull=True).exists()


def _complete_designated(*, activity: Activity, by) -> int:
    done = 0
    pending = Participation.objects.filter(
        activity=activity, completed_at__isnull=True
    ).select_related("user")
    for participation in pending:
        participation.activity = activity
        done += participation_complete(
            participation=participation, by=by, reason=f"线下活动《{activity.title}》上传了佐证材料"
        )
    return done


@transaction.atomic
def participants_designate(*, activity: Activity, by, users) -> int:
    """指定组员参与. Members designated after evidence exists are completed at once."""
    require_kind(activity, Activity.Kind.OFFLINE)
    if activity.is_draft:
        raise ActivityError("请先发布线下活动，再指定参与组员。")
    _require_not_closed(activity)
    user_ids = {u.pk for u in users}
    members = set(
        GroupMember.objects.filter(group_id=activity.group_id, user_id__in=user_ids).values_list(
            "user_id", flat=True
        )
    )
    if user_ids - members:
        raise ActivityError("只能指定本教研组的组员参与。")
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


def evidence_add(*, activity: Activity, by, kind: str, upload) -> Evidence:
    require_kind(activity, Activity.Kind.OFFLINE)
    if activity.is_draft:
        raise ActivityError("请先发布线下活动，再上传佐证材料。")
    _require_not_closed(activity)
    if kind not in Evidence.Kind.values:
        raise ActivityError("请选择佐证材料的类型。")
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
    with transaction.atomic():
        evidence.save()
        _complete_designated(activity=activity, by=by)
    return evidence


@transaction.atomic
def evidence_withdraw(*, evidence: Evidence, by) -> int:
    """Withdraw one file (the row stays as history). Withdrawing the last one undoes
    every completion and reverses the credits. Returns the completions undone."""
    if evidence.withdrawn_at is not None:
        return 0
    _require_not_closed(evidence.activity)
    evidence.withdrawn_at = timezone.now()
    evidence.withdrawn_by = by
    evidence.save(update_fields=["withdrawn_at", "withdrawn_by"])
    activity = evidence.activity
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
        Participation.objects.select_for_update()
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
