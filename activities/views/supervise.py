"""Who has not completed an activity, 提醒 and 延期: the group's leader and the
school's admin (activities.access.get_activity_for_supervisor), and the
school's list of every extension granted."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import get_school_for, role_required
from accounts.dates import day_words
from accounts.forms import ReminderForm
from accounts.reminders import fields_help
from accounts.roles import Role
from accounts.selectors import cycle_current

from ..access import get_activity_for_supervisor, get_member_for
from ..forms_extensions import ExtensionForm
from ..models import Activity, Extension
from ..selectors_extensions import extensions_of_activity, extensions_of_school
from ..selectors_lacking import activity_not_completed
from ..services import ActivityError, activity_members_remind, extension_grant_activity
from ..services.extensions import EXTENSION_DAYS_AFTER_CYCLE, extension_bounds
from ..services.reminding import REMINDER_FIELDS
from ..window import activity_last_day
from .common import LEADER_ROLES, form_errors

PAGE_SIZE = 50


def _supervised(request, activity_id: int, *, write: bool = True) -> Activity:
    grant = request.access.grant(Role.SCHOOL_ADMIN)
    activity = get_activity_for_supervisor(
        request.user, activity_id, admin_school_id=grant.school_id if grant else None, write=write
    )
    if activity.kind == Activity.Kind.OFFLINE or activity.is_draft:
        raise Http404  # offline: the leader's evidence completes it; drafts: nobody sees them
    return activity


def _prefill(activity: Activity) -> str:
    return (
        f"{{姓名}}老师：研修活动《{activity.title}》将于{{截止}}截止（{{倒计时}}），"
        "你还没有完成，请尽快参与并完成。"
    )


@role_required(*LEADER_ROLES)
def activity_lacking(request, activity_id):
    """未完成组员: who has not completed it, their own last day, 提醒 and 延期.
    An archived group's list still shows (read-only); 提醒 and 延期 answer 403."""
    activity = _supervised(request, activity_id, write=False)
    lines, done = activity_not_completed(activity=activity)
    form = ReminderForm(
        initial={"message": _prefill(activity)}, fields_help=fields_help(*REMINDER_FIELDS)
    )
    return render(
        request,
        "activities/activity_lacking.html",
        {
            "activity": activity,
            "lines": lines,
            "done": done,
            "form": form,
            "today": timezone.localdate(),
            "history": extensions_of_activity(activity=activity)[:20],
        },
    )


@require_POST
@role_required(*LEADER_ROLES)
def activity_remind(request, activity_id):
    activity = _supervised(request, activity_id)
    form = ReminderForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("activities:activity_lacking", activity.pk)
    try:
        sent = activity_members_remind(
            activity=activity,
            by=request.user,
            message=form.cleaned_data["message"],
            user_ids=form.chosen(request.POST),
        )
    except ActivityError as error:
        messages.error(request, str(error))
    else:
        (messages.success if sent.count else messages.warning)(request, sent.line)
    return redirect("activities:activity_lacking", activity.pk)


@role_required(*LEADER_ROLES)
def extension_new(request, activity_id, user_id):
    """延期 for one member: the new last day (within its bounds) and why."""
    activity = _supervised(request, activity_id)
    teacher = get_member_for(activity, user_id)
    today = timezone.localdate()
    current = activity_last_day(activity=activity, teacher=teacher)
    earliest, latest = extension_bounds(current_last=current, cycle=activity.cycle, today=today)
    form = ExtensionForm(request.POST or None, earliest=earliest, latest=latest)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            extension = extension_grant_activity(
                activity=activity,
                teacher=teacher,
                until=data["until"],
                reason=data["reason"],
                by=request.user,
                token=data.get("request_token"),
            )
        except ActivityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"已为 {teacher.display_name} 延期至 {day_words(extension.until)}，并已通知本人。",
            )
            return redirect("activities:activity_lacking", activity.pk)
    return render(
        request,
        "activities/extension_form.html",
        {
            "activity": activity,
            "teacher": teacher,
            "form": form,
            "current": current,
            "possible": earliest <= latest,
            "latest": latest,
            "days_after": EXTENSION_DAYS_AFTER_CYCLE,
            "cancel_url": reverse("activities:activity_lacking", args=[activity.pk]),
        },
    )


@role_required(Role.SCHOOL_ADMIN)
def school_extensions(request):
    """延期记录: every extension granted in the school this cycle (the audit
    trail: who, to whom, for what, until, why, when), searchable."""
    school = get_school_for(request.grant, request.grant.school_id)
    cycle = cycle_current()
    search = request.GET.get("q", "").strip()
    scope = request.GET.get("scope", "")
    rows = extensions_of_school(school_id=school.pk, cycle=cycle, search=search, scope=scope)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/extensions.html",
        {
            "school": school,
            "cycle": cycle,
            "page": page,
            "search": search,
            "scope": scope if scope in Extension.Scope.values else "",
            "scopes": Extension.Scope.choices,
            "days_after": EXTENSION_DAYS_AFTER_CYCLE,
        },
    )
