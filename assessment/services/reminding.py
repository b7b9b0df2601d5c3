"""提醒 from the lists of who lacks what: the school admin's (by reason) and
the leader's (their groups' members). Kind "cycle:<id>": one a day per teacher,
whoever sends it (accounts.reminders)."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Cycle
from accounts.reminders import Due, Sent, reminder_text, reminders_send

from ..reminders import cycle_reminder_kind, cycle_reminder_values
from ..selectors.lacking import lacks_of


def lacking_remind(*, rows, cycle: Cycle, by, message: str, user_ids: list[int] | None) -> Sent:
    """Remind the people among `rows` (a who-lacks-what list, already scoped
    and filtered by the caller's selector) who were ticked (`user_ids`; None:
    everyone in the list), each with `message` and its fields ({姓名}, {截止},
    {倒计时}, {缺少}) filled in for them. Ids outside `rows` are ignored."""
    message = (message or "").strip()
    if not message:
        raise ValidationError("请填写提醒内容。")
    if user_ids is not None:
        rows = rows.filter(user_id__in=user_ids)
    rows = list(rows)
    if not rows:
        raise ValidationError("请勾选要提醒的教师。")
    kind = cycle_reminder_kind(cycle.pk)
    link = reverse("assessment:mine")
    items = [
        Due(
            row.user_id,
            kind,
            reminder_text(
                message,
                cycle_reminder_values(
                    cycle=cycle, lacks=lacks_of(row, cycle=cycle), name=row.user.display_name
                ),
            ),
            link,
        )
        for row in rows
    ]
    return reminders_send(items=items, by=by)
