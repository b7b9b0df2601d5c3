"""扫码签到 of a 线下活动, instead of a paper 签到表 photographed by hand.

On the activity's day the leader opens check-in (a screen shows a QR code that
changes every 30 seconds, activities.checkin_codes); members scan it and are
checked in with the time; the leader may check someone in by hand with a
reason, and closes check-in. The 签到表 made from the check-ins then goes in as
the activity's evidence through the one evidence path (evidence_add), with its
confirmation of how many designated members it credits: a check-in itself
never credits anyone.

Check-in is a member's action, so activities.window decides whether it is
still possible (published, group live, not ended, the cycle running), and
only on the activity's date (Asia/Shanghai)."""

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Activity, CheckIn, CheckInSheet, Evidence, Participation
from .common import ActivityError, lock_member, require_kind, require_live_group, require_window
from .offline import evidence_add


@dataclass
class CheckInResult:
    check_in: CheckIn
    created: bool  # False: they had checked in before (a second scan)
    designated: bool  # a designated participant (only they are credited by the evidence)


def _require_checkin_day(activity: Activity) -> None:
    if timezone.localdate() != activity.held_on:
        raise ActivityError(f"签到只能在活动当天（{activity.held_on:%Y-%m-%d}）进行。")


def _open_sheet(activity: Activity) -> CheckInSheet:
    sheet = CheckInSheet.objects.filter(activity=activity).first()
    if sheet is None:
        raise ActivityError("组长尚未开始签到，请稍后再扫码。")
    if sheet.closed_at is not None:
        raise ActivityError(
            f"签到已于 {timezone.localtime(sheet.closed_at):%H:%M} 结束；如需补签，请联系组长。"
        )
    return sheet


def checkin_open(*, activity: Activity, by) -> CheckInSheet:
    """开始签到 (or again, the same day, after closing too early)."""
    require_kind(activity, Activity.Kind.OFFLINE)
    require_window(activity, by, by_leader=True)
    _require_checkin_day(activity)
    sheet, created = CheckInSheet.objects.get_or_create(
        activity=activity, defaults={"opened_by": by}
    )
    if not created and sheet.closed_at is not None:
        sheet.closed_at, sheet.closed_by = None, None
        sheet.save(update_fields=["closed_at", "closed_by"])
    return sheet


def checkin_close(*, activity: Activity, by) -> CheckInSheet:
    """结束签到: the 签到表 is final. A second click changes nothing."""
    require_kind(activity, Activity.Kind.OFFLINE)
    require_live_group(activity.group)
    sheet = CheckInSheet.objects.filter(activity=activity).first()
    if sheet is None:
        raise ActivityError("尚未开始签到。")
    CheckInSheet.objects.filter(pk=sheet.pk, closed_at__isnull=True).update(
        closed_at=timezone.now(), closed_by=by
    )
    sheet.refresh_from_db()
    return sheet


def _check_in_once(*, activity: Activity, user, **fields) -> tuple[CheckIn, bool]:
    # The unique constraint (activity, user) is the guarantee; the place lock
    # taken before (lock_member) already makes one person's scans queue.
    existing = CheckIn.objects.filter(activity=activity, user=user).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return CheckIn.objects.create(activity=activity, user=user, **fields), True
    except IntegrityError:
        return CheckIn.objects.get(activity=activity, user=user), False


def _is_designated(activity: Activity, user) -> bool:
    return Participation.objects.filter(activity=activity, user=user).exists()


def checkin_scan(*, activity: Activity, user, at=None) -> CheckInResult:
    """A member scanned the code (checked by the view): checked in once, with the
    time they scanned (`at`, kept while they logged in; now otherwise). A group
    member who is not designated is checked in too, and shown to the leader as
    未指定 to designate on the spot or not."""
    require_kind(activity, Activity.Kind.OFFLINE)
    require_window(activity, user)
    _require_checkin_day(activity)
    _open_sheet(activity)
    with transaction.atomic():
        # An active teacher of the school and a member of the group; a removal
        # racing the scan either finished before (refused) or clears the row.
        lock_member(activity, user)
        row, created = _check_in_once(
            activity=activity,
            user=user,
            checked_in_at=at or timezone.now(),
            method=CheckIn.Method.SCAN,
        )
    return CheckInResult(row, created, _is_designated(activity, user))


def checkin_manual(*, activity: Activity, by, user, reason: str) -> CheckInResult:
    """组长代签: the leader checks a member in by hand (a phone that broke); the
    row keeps who did it and why."""
    require_kind(activity, Activity.Kind.OFFLINE)
    require_live_group(activity.group)
    reason = (reason or "").strip()
    if not reason:
        raise ActivityError("请填写代签原因（如：手机没电）。")
    require_window(activity, user)
    _require_checkin_day(activity)
    _open_sheet(activity)
    with transaction.atomic():
        lock_member(activity, user)
        row, created = _check_in_once(
            activity=activity, user=user, method=CheckIn.Method.MANUAL, by=by, reason=reason[:200]
        )
    if not created:
        raise ActivityError(
            f"{user.display_name}已于 {timezone.localtime(row.checked_in_at):%H:%M} 签到。"
        )
    return CheckInResult(row, created, _is_designated(activity, user))


def checkin_sheet_evidence(
    *, activity: Activity, by, confirmed: int | None, token=None
) -> Evidence:
    """Add the closed 签到表 (.xlsx) as evidence, through the evidence rule: if it
    is the first evidence it credits every designated member, once, after the
    leader confirmed how many (`confirmed`); a retry of the form (`token`)
    stores it once."""
    from ..exports import checkin_sheet_xlsx

    require_kind(activity, Activity.Kind.OFFLINE)
    sheet = CheckInSheet.objects.filter(activity=activity).first()
    if sheet is None or sheet.closed_at is None:
        raise ActivityError("请先结束签到，再把签到表作为佐证材料。")
    upload = SimpleUploadedFile(
        f"签到表-{activity.held_on:%Y%m%d}.xlsx",
        checkin_sheet_xlsx(activity=activity),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return evidence_add(
        activity=activity,
        by=by,
        kind=Evidence.Kind.SIGN_IN,
        upload=upload,
        confirmed=confirmed,
        token=token,
    )
