from accounts.notices import notify
from groups.models import GroupMember

from ..models import Activity


def notify_group_members(*, activity: Activity, message: str) -> int:
    """One inbox row per member of the activity's group (one INSERT)."""
    user_ids = GroupMember.objects.filter(group_id=activity.group_id).values_list(
        "user_id", flat=True
    )
    return notify(
        users=user_ids,
        message=message,
        link=activity.get_absolute_url(),
        kind="activity_published",
    )
