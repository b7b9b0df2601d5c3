"""提醒 from an activity's list of members who have not completed it."""

from accounts.dates import countdown, day_words
from accounts.reminders import Due, Sent, reminder_text, reminders_send

from ..models import Activity
from ..reminders import activity_reminder_kind
from ..selectors_lacking import activity_not_completed
from .common import ActivityError, require_live_group

# What an activity's reminder may name in braces (filled in per member).
REMINDER_FIELDS = ("姓名", "截止", "倒计时")


def activity_members_remind(
    *, activity: Activity, by, message: str, user_ids: list[int] | None = None
) -> Sent:
    """Remind the ticked members (`user_ids`; None: all of them) who have not
    completed the activity, each with `message`, {姓名}, {截止} and {倒计时}
    filled in for them (their own last day, an extension included). Ids of
    anyone else are ignored. Once per member, activity and day, whoever sends
    it (accounts.reminders)."""
    require_live_group(activity.group)
    if activity.is_draft:
        raise ActivityError("草稿活动尚未发布，不能提醒。")
    message = (message or "").strip()
    if not message:
        raise ActivityError("请填写提醒内容。")
    lines, _ = activity_not_completed(activity=activity)
    if user_ids is not None:
        chosen = set(user_ids)
        lines = [line for line in lines if line.user.pk in chosen]
    if not lines:
        raise ActivityError("请勾选要提醒的组员。")
    kind = activity_reminder_kind(activity.pk)
    link = activity.get_absolute_url()
    items = [
        Due(
            line.user.pk,
            kind,
            reminder_text(
                message,
                {
                    "姓名": line.user.display_name,
                    "截止": day_words(line.last_day),
                    "倒计时": countdown(last_day=line.last_day).words,
                },
            ),
            link,
        )
        for line in lines
    ]
    return reminders_send(items=items, by=by)
