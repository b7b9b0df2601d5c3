"""扫码签到: the leader's screen (a QR code redrawn every 30 seconds, the list
filling in live), the member's scan, and the 签到表 it makes."""

import datetime
from functools import wraps

import segno
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.exports import xlsx_response
from accounts.params import whole_number

from .. import selectors, selectors_checkin
from ..access import get_activity_for, get_activity_for_leader
from ..checkin_codes import CheckInCodeRefused, checkin_token, checkin_token_read
from ..exports import checkin_sheet_xlsx
from ..forms_checkin import CheckInEvidenceForm, ManualCheckInForm
from ..models import Activity
from ..services import (
    ActivityError,
    CreditUnconfirmed,
    checkin_close,
    checkin_manual,
    checkin_open,
    checkin_scan,
    checkin_sheet_evidence,
    participant_undesignate,
    participants_designate,
)
from .common import LEADER_ROLES, MEMBER_ROLES, designation_confirm, form_errors, run_service

# A member who scans while logged out logs in first; the scan they made in time
# is kept in their session (it survives login) for this long.
SCAN_SESSION_KEY = "checkin_scan"
SCAN_GRACE = datetime.timedelta(minutes=10)
# htmx stops polling on this status: the check-in was closed.
STOP_POLLING = 286


def _offline_for_leader(request, activity_id: int, *, write: bool = True) -> Activity:
    """An offline activity of a group the user leads (others: 404 / 403)."""
    activity = get_activity_for_leader(request.user, activity_id, write=write)
    if activity.kind != Activity.Kind.OFFLINE:
        raise Http404
    return activity


def _members_not_checked_in(activity: Activity):
    from accounts.models import User

    return (
        User.objects.filter(group_memberships__group_id=activity.group_id)
        .exclude(check_ins__activity=activity)
        .order_by("real_name", "pk")
    )


def _screen_context(request, activity: Activity) -> dict:
    board = selectors_checkin.checkin_board(activity=activity)
    return {
        "activity": activity,
        "board": board,
        "is_today": timezone.localdate() == activity.held_on,
        "manual_form": ManualCheckInForm(members=_members_not_checked_in(activity)),
    }


@role_required(*LEADER_ROLES)
def screen(request, activity_id):
    """The screen for a projector or a phone held up: the code, the list."""
    activity = _offline_for_leader(request, activity_id)
    ctx = _screen_context(request, activity)
    if ctx["board"].is_open:
        ctx["code"] = _code_svg(request, activity)
    return render(request, "activities/checkin_screen.html", ctx)


def _code_svg(request, activity: Activity) -> str:
    url = request.build_absolute_uri(
        reverse("activities:checkin_scan", args=[checkin_token(activity_id=activity.pk)])
    )
    # Drawn here, as SVG (no image library, no script): nothing leaves the server.
    return segno.make(url, error="m", micro=False).svg_inline(
        omitsize=True, border=2, light="#fff", title="签到二维码"
    )


@role_required(*LEADER_ROLES)
def code(request, activity_id):
    """The code alone, fetched again every 30 seconds by the screen."""
    activity = _offline_for_leader(request, activity_id)
    sheet = selectors_checkin.checkin_sheet_of(activity=activity)
    if sheet is None or sheet.closed_at is not None:
        response = render(request, "activities/_checkin_code.html", {"activity": activity})
        response.status_code = STOP_POLLING
        return response
    return render(
        request,
        "activities/_checkin_code.html",
        {"activity": activity, "code": _code_svg(request, activity)},
    )


@role_required(*LEADER_ROLES)
def board(request, activity_id):
    """The list alone, fetched again every few seconds by the screen."""
    activity = _offline_for_leader(request, activity_id)
    return render(request, "activities/_checkin_list.html", _screen_context(request, activity))


@require_POST
@role_required(*LEADER_ROLES)
def open_(request, activity_id):
    activity = _offline_for_leader(request, activity_id)
    run_service(
        request,
        lambda: checkin_open(activity=activity, by=request.user),
        success="已开始签到：请组员用微信扫描屏幕上的二维码。",
    )
    return redirect("activities:checkin_screen", activity.pk)


@require_POST
@role_required(*LEADER_ROLES)
def close(request, activity_id):
    activity = _offline_for_leader(request, activity_id)
    if run_service(
        request,
        lambda: checkin_close(activity=activity, by=request.user),
        success="签到已结束，签到表已生成。",
    ):
        return redirect("activities:checkin_sheet", activity.pk)
    return redirect("activities:checkin_screen", activity.pk)


@require_POST
@role_required(*LEADER_ROLES)
def manual(request, activity_id):
    activity = _offline_for_leader(request, activity_id)
    form = ManualCheckInForm(request.POST, members=_members_not_checked_in(activity))
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        user = form.cleaned_data["user"]
        run_service(
            request,
            lambda: checkin_manual(
                activity=activity, by=request.user, user=user, reason=form.cleaned_data["reason"]
            ),
            success=f"已为{user.display_name}代签。",
        )
    return redirect("activities:checkin_screen", activity.pk)


@require_POST
@role_required(*LEADER_ROLES)
def designate(request, activity_id, user_id):
    """指定 on the spot a member who checked in without being designated."""
    activity = _offline_for_leader(request, activity_id)
    row = get_object_or_404(
        selectors_checkin.checkin_rows(activity=activity).select_related("user"), user_id=user_id
    )
    back = "sheet" if request.POST.get("back") == "sheet" else "screen"
    confirmed = request.POST.get("confirm_credit", "")
    try:
        participants_designate(
            activity=activity,
            by=request.user,
            users=[row.user],
            confirmed=whole_number(confirmed),
        )
    except CreditUnconfirmed as ask:
        return designation_confirm(request, activity=activity, users=[row.user], ask=ask, back=back)
    except ActivityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已指定{row.user.display_name}参与本活动。")
    return redirect(f"activities:checkin_{back}", activity.pk)


@require_POST
@role_required(*LEADER_ROLES)
def undesignate(request, activity_id, user_id):
    """A designated member who did not come: the leader takes them off (or not)."""
    activity = _offline_for_leader(request, activity_id)
    participation = get_object_or_404(
        selectors.activity_participants(activity=activity), user_id=user_id
    )
    run_service(
        request,
        lambda: participant_undesignate(
            activity=activity, by=request.user, user=participation.user
        ),
        success=f"已取消指定{participation.user.display_name}。",
    )
    return redirect("activities:checkin_sheet", activity.pk)


@role_required(*LEADER_ROLES)
def sheet(request, activity_id):
    """签到表, printable; once closed, who did not come and the offer to add it
    as evidence."""
    activity = _offline_for_leader(request, activity_id, write=False)
    ctx = _screen_context(request, activity)
    if ctx["board"].sheet is None:
        messages.info(request, "尚未开始签到。")
        return redirect("activities:checkin_screen", activity.pk)
    would = selectors.evidence_would_credit(activity=activity)
    ctx["evidence_form"] = CheckInEvidenceForm(
        would_credit=would,
        hours=activity.hours_value,
        leader_included=bool(
            would and selectors.participation_of(activity=activity, user=request.user)
        ),
    )
    ctx["would_credit"] = would
    ctx["school"] = activity.group.school
    return render(request, "activities/checkin_sheet.html", ctx)


@role_required(*LEADER_ROLES)
def sheet_xlsx(request, activity_id):
    activity = _offline_for_leader(request, activity_id, write=False)
    return xlsx_response(
        checkin_sheet_xlsx(activity=activity),
        f"{activity.title}-签到表-{activity.held_on:%Y%m%d}.xlsx",
    )


@require_POST
@role_required(*LEADER_ROLES)
def evidence(request, activity_id):
    activity = _offline_for_leader(request, activity_id)
    form = CheckInEvidenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("activities:checkin_sheet", activity.pk)
    done = run_service(
        request,
        lambda: checkin_sheet_evidence(
            activity=activity,
            by=request.user,
            confirmed=form.cleaned_data["confirm_credit"],
            token=form.cleaned_data["request_token"],
        ),
        success="签到表已作为佐证材料上传，指定的参与组员已记为完成并计入学时。",
    )
    if done:
        return redirect(f"{activity.get_absolute_url()}#manage")
    return redirect("activities:checkin_sheet", activity.pk)


# The member's scan ------------------------------------------------------------


def _remember_scan_before_login(view):
    """Logged out: check the code now (a scan is only good for seconds), keep
    it in the session, and log in; the login brings them back here."""

    @wraps(view)
    def wrapper(request, token):
        if request.user.is_authenticated:
            return view(request, token)
        try:
            checkin_token_read(token)
        except CheckInCodeRefused as refusal:
            return _scan_page(request, error=str(refusal), status=400)
        request.session[SCAN_SESSION_KEY] = {"token": token, "at": timezone.now().isoformat()}
        return redirect_to_login(request.get_full_path())

    return wrapper


def _scanned_at(request, token: str):
    """When this code was scanned: now, or when they scanned it before logging in."""
    kept = request.session.pop(SCAN_SESSION_KEY, None)
    if kept and kept.get("token") == token:
        at = parse_datetime(kept.get("at", ""))
        if at is not None and timezone.now() - at <= SCAN_GRACE:
            return at
    return timezone.now()


def _scan_page(request, *, status: int = 200, **ctx):
    return render(request, "activities/checkin_scan.html", ctx, status=status)


@_remember_scan_before_login
@role_required(*MEMBER_ROLES)
def scan(request, token):
    """What the phone opens. A GET that checks in: WeChat's scanner opens a link.
    The token is what makes it safe to follow: only someone who saw the
    leader's screen in the last half minute has one."""
    at = _scanned_at(request, token)
    try:
        activity_id = checkin_token_read(token, now=at)
    except CheckInCodeRefused as refusal:
        return _scan_page(request, error=str(refusal), status=400)
    activity = get_activity_for(request.user, activity_id)  # another group: 404
    try:
        result = checkin_scan(activity=activity, user=request.user, at=at)
    except ActivityError as error:
        return _scan_page(request, activity=activity, error=str(error))
    return _scan_page(request, activity=activity, result=result)
