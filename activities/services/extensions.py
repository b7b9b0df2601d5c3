"""延期 (DESIGN §2 Time): a school admin, or the group's leader for their own
activity, gives one teacher more time — on an activity, or (the school admin,
through assessment.services) on the cycle's materials — with a reason. The
grant is a row of activities.Extension (the audit trail: who, whom, what,
until, why, when), the teacher is told in their inbox, and the one place each
time rule lives reads it (activities.window, assessment.selectors.rules);
nobody else's dates move.

Bounds (said on the form too): the new day is later than the teacher's current
last day and not before today, and at most EXTENSION_DAYS_AFTER_CYCLE days
after the cycle's end.
"""

import datetime

from django.db import transaction
from django.utils import timezone

# How far after the cycle's end: one place, accounts.models (hours reads it too).
from accounts.models import (
    EXTENSION_DAYS_AFTER_CYCLE,
    SchoolMembership,
)
from accounts.notices import notify
from accounts.services import teacher_place_lock
from groups.models import GroupMember

from ..models import Activity, Extension
from ..window import activity_last_day
from .common import ActivityError, create_once, require_live_group

Scope = Extension.Scope


def extension_bounds(
    *, current_last: datetime.date, cycle, today: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """(earliest, latest) day a new extension may run until."""
    earliest = max(current_last + datetime.timedelta(days=1), today)
    latest = cycle.last_extension_day
    return earliest, latest


def _check_until(*, until, current_last, cycle, today) -> None:
    earliest, latest = extension_bounds(current_last=current_last, cycle=cycle, today=today)
    if earliest > latest:
        raise ActivityError(
            f"已超过可延期的最后期限 {latest:%Y-%m-%d}"
            f"（研修周期结束后 {EXTENSION_DAYS_AFTER_CYCLE} 天），不能再延期。"
        )
    if until <= current_last:
        raise ActivityError(f"延期日期须晚于当前截止日期 {current_last:%Y-%m-%d}。")
    if until < today:
        raise ActivityError("延期日期不能早于今天。")
    if until > latest:
        raise ActivityError(
            f"延期最晚只能到 {latest:%Y-%m-%d}（研修周期结束后 {EXTENSION_DAYS_AFTER_CYCLE} 天）。"
        )


def _is_school_admin(user, school_id: int) -> bool:
    return (
        SchoolMembership.objects.active()
        .filter(user=user, school_id=school_id, is_school_admin=True)
        .exists()
    )


def extension_grant(
    *,
    scope: str,
    teacher,
    school,
    cycle,
    current_last: datetime.date,
    until: datetime.date,
    reason: str,
    by,
    what: str,
    link: str,
    activity: Activity | None = None,
    today: datetime.date | None = None,
    token=None,
) -> Extension:
    """Record one grant and tell the teacher; `current_last` is the teacher's
    last day by the caller's own rule (the activity's window, the materials
    rule). Call inside atomic() with the teacher's place locked, so two grants
    for one teacher are checked one after the other. A retry of the same form
    (`token`) stores one grant and tells the teacher once."""
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    if not reason:
        raise ActivityError("请填写延期原因。")
    _check_until(until=until, current_last=current_last, cycle=cycle, today=today)
    extension, created = create_once(
        Extension,
        token=token,
        owner={"granted_by": by},
        fields={
            "scope": scope,
            "teacher": teacher,
            "school": school,
            "cycle": cycle,
            "activity": activity,
            "until": until,
            "reason": reason[:200],
        },
    )
    if created:
        notify(
            users=[teacher],
            message=(
                f"{by.display_name}为你延长了{what}的提交期限：由 {current_last:%Y-%m-%d} "
                f"延至 {until:%Y-%m-%d}。原因：{reason}"
            ),
            link=link,
            kind="extension",
        )
    return extension


def extension_grant_activity(
    *, activity: Activity, teacher, until: datetime.date, reason: str, by, token=None
) -> Extension:
    """More time for one member on one online activity (教学研讨, 研修作业,
    听课评课): its open period and, for it, the cycle's end. By the group's
    leader or a school admin of its school; only for a member of the group."""
    require_live_group(activity.group)
    if activity.is_draft:
        raise ActivityError("草稿活动尚未发布，无需延期。")
    if activity.kind == Activity.Kind.OFFLINE:
        raise ActivityError("线下活动由组长上传佐证材料计入学时，无需为组员延期。")
    school_id = activity.group.school_id
    if activity.group.leader_id != by.pk and not _is_school_admin(by, school_id):
        raise ActivityError("只有本组组长或学校管理员可以为组员延期。")
    if teacher.pk == by.pk:
        raise ActivityError("不能为自己延期，请联系学校管理员。")
    with transaction.atomic():
        if not teacher_place_lock(teacher_id=teacher.pk, school_id=school_id):
            raise ActivityError("该教师已不是本校在职教师，不能延期。")
        if not GroupMember.objects.filter(group_id=activity.group_id, user=teacher).exists():
            raise ActivityError("只能为本教研组的组员延期。")
        return extension_grant(
            scope=Scope.ACTIVITY,
            teacher=teacher,
            school=activity.group.school,
            cycle=activity.cycle,
            activity=activity,
            current_last=activity_last_day(activity=activity, teacher=teacher),
            until=until,
            reason=reason,
            by=by,
            what=f"研修活动《{activity.title}》",
            link=activity.get_absolute_url(),
            token=token,
        )
