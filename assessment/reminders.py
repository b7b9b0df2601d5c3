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


# ---- the acceptance deadline -----------------------------------------------------

# The daily job reminds a school's admins this many days before the district's
# 验收截止日期 while the school has not submitted (or was returned).
ACCEPTANCE_DAYS_BEFORE = (14, 7, 3, 1)

ACCEPTANCE_REMINDER = (
    "{学校}：区县规定整校推进验收材料须在{截止}前提交（{倒计时}），目前{状态}。"
    "请在“整校推进验收”中补齐证明材料和自评后提交。"
)


def acceptance_reminder_kind(scheme_id: int) -> str:
    return f"acceptance:{scheme_id}"


def acceptance_deadline_due(*, school_id: int, day: ReminderDay) -> list[Due]:
    """The school's admins, 14, 7, 3 and 1 days before its district's published
    acceptance deadline for the current cycle, while the school still has to
    submit (no acceptance yet, 准备中 or 已退回). At most three queries (the
    scheme due today, the school's acceptance, its admins); one on most days."""
    from .models import Acceptance, AcceptanceScheme

    cycle = day.cycle
    if cycle is None:
        return []
    targets = [day.today + datetime.timedelta(days=n) for n in ACCEPTANCE_DAYS_BEFORE]
    scheme = (
        AcceptanceScheme.objects.filter(
            cycle=cycle,
            published_at__isnull=False,
            deadline__in=targets,
            region__schools__pk=school_id,
        )
        .select_related("region")
        .first()
    )
    if scheme is None:
        return []
    acceptance = Acceptance.objects.filter(school_id=school_id, cycle=cycle).first()
    to_submit = (Acceptance.Status.DRAFT, Acceptance.Status.RETURNED)
    if acceptance is not None and acceptance.status not in to_submit:
        return []
    admins = staff_of_school(school_id).filter(is_school_admin=True).select_related("school")
    due = []
    for place in admins:
        values = {
            "学校": place.school.name,
            "截止": day_words(scheme.deadline),
            "倒计时": countdown(last_day=scheme.deadline, today=day.today).words,
            "状态": (
                f"验收{acceptance.get_status_display()}" if acceptance else "尚未开始准备验收材料"
            ),
        }
        due.append(
            Due(
                place.user_id,
                acceptance_reminder_kind(scheme.pk),
                reminder_text(ACCEPTANCE_REMINDER, values),
                reverse("assessment:acceptance"),
            )
        )
    return due
