from django.utils import timezone

from groups.models import GroupMember

from ..models import Activity, Notification


def notify_group_members(*, activity: Activity, message: str) -> int:
    """One inbox row per member of the activity's group (one INSERT)."""
    user_ids = GroupMember.objects.filter(group_id=activity.group_id).values_list(
        "user_id", flat=True
    )
    rows = [Notification(user_id=uid, activity=activity, message=message) for uid in user_ids]
    Notification.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def notification_read_all(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
