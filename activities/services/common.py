from django.utils import timezone

from ..models import Activity


class ActivityError(Exception):
    """A refusal the person can act on; the message is shown as it is (Chinese)."""


def require_open(activity: Activity) -> None:
    """Members act only while the activity is published and inside its open period."""
    if activity.is_draft:
        raise ActivityError("该活动尚未发布。")
    today = timezone.localdate()
    if not activity.is_open(today):
        if today < activity.opens_on:
            raise ActivityError(f"该活动将于 {activity.opens_on:%Y-%m-%d} 开放。")
        raise ActivityError(f"该活动已于 {activity.closes_on:%Y-%m-%d} 结束，不能再提交。")


def require_kind(activity: Activity, kind: str) -> None:
    if activity.kind != kind:
        raise ActivityError(f"该活动是{activity.get_kind_display()}，不支持此操作。")
