"""Reminders about the cycle (accounts.reminders): what a teacher who is not
complete still lacks before their last day — sent by the school's or the
leader's 提醒 and, 14, 7 and 3 days before that day, by the daily job. Kind
"cycle:<id>": at most one a day per teacher, whoever sends it."""

import datetime

from django.urls import reverse

from accounts.access import staff_of_school
from accounts.dates import countdown, day_words
from accounts.reminders import Due, ReminderDay, reminder_text
from activities.selectors_extensions import materials_extensions

from .selectors.lacking import Lacks, lacks_of, with_lacks

# The daily job reminds this many days before the cycle's end (for a teacher
# with an extension of their materials: before their own last day).
DAYS_BEFORE = (14, 7, 3)

# What the daily job says, and what the lists prefill (the sender may edit it).
CYCLE_REMINDER = (
    "{姓名}老师：研修周期“{周期}”将于{截止}结束（{倒计时}），你还缺：{缺少}。"
    "结束后不能再提交材料或计入学时，请尽快完成。"
)


# What a cycle reminder may name in braces (cycle_reminder_values fills them in).
CYCLE_REMINDER_FIELDS = ("姓名", "缺少", "截止", "倒计时", "周期")


def cycle_reminder_kind(cycle_id: int) -> str:
    return f"cycle:{cycle_id}"


def cycle_reminder_values(*, cycle, lacks: Lacks, name: str, today=None) -> dict[str, str]:
    """The fields a reminder's text may name, filled in for one teacher."""
    return {
        "姓名": name,
        "截止": day_words(lacks.last_day),
        "倒计时": countdown(last_day=lacks.last_day, today=today).words,
        "缺少": lacks.line,
        "周期": cycle.name,
    }


def cycle_end_due(*, school_id: int, day: ReminderDay) -> list[Due]:
    """Active teachers of the school who are not complete (研修考核's 完成) and
    whose last day — the cycle's end, or their own extension — is 14, 7 or 3
    days away. Two queries (the school's extensions, the teachers with what
    they lack); one on the other days."""
    cycle = day.cycle
    if cycle is None or day.today < cycle.starts_on:
        return []
    targets = {day.today + datetime.timedelta(days=n) for n in DAYS_BEFORE}
    extensions = materials_extensions(cycle=cycle, school_id=school_id)
    extended_due = [t for t, until in extensions.items() if until in targets]
    rows = with_lacks(staff_of_school(school_id).filter(is_teacher=True), cycle=cycle)
    if cycle.ends_on in targets:
        # Everyone, but those whose own last day is another one.
        rows = rows.exclude(user_id__in=[t for t in extensions if t not in extended_due])
    elif extended_due:
        rows = rows.filter(user_id__in=extended_due)
    else:
        return []
    kind = cycle_reminder_kind(cycle.pk)
    link = reverse("assessment:mine")
    due = []
    for row in rows.filter(complete=False):
        values = cycle_reminder_values(
            cycle=cycle,
            lacks=lacks_of(row, cycle=cycle),
            name=row.user.display_name,
            today=day.today,
        )
        due.append(Due(row.user_id, kind, reminder_text(CYCLE_REMINDER, values), link))
    return due
