"""Who lacks what, 提醒 and 延期 (issue 13): the school admin's page (counts per
reason, the names behind each, filters, .xlsx) and the leader's (each member
of their groups and what they miss)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import get_school_for, get_staff_member, role_required
from accounts.dates import countdown
from accounts.exports import xlsx_response
from accounts.forms import ReminderForm
from accounts.reminders import fields_help, reminders_last
from accounts.roles import Role
from activities.forms_extensions import ExtensionForm
from activities.services import EXTENSION_DAYS_AFTER_CYCLE, extension_bounds
from groups.selectors import groups_led_by
from hours.selectors import group_names_by_user

from ..exports import lacking_xlsx
from ..reminders import CYCLE_REMINDER, CYCLE_REMINDER_FIELDS, cycle_reminder_kind
from ..selectors import (
    LACKING_HEADER,
    REASON_KEYS,
    REASONS,
    lacking_cells,
    lacking_counts,
    lacks_of,
    materials_last_day,
    members_lacking,
    school_lacking,
)
from ..services import extension_grant_materials, lacking_remind
from .common import current_cycle, form_errors, group_filter, refuse

PAGE_SIZE = 50


# ---- the school ------------------------------------------------------------------


def _school_filters(request, data: QueryDict, school_id: int) -> dict:
    groups, group = group_filter(request, school_id, data=data)
    reason = data.get("reason", "")
    return {
        "groups": groups,
        "group": group,
        "reason": reason if reason in REASON_KEYS else "",
        "search": data.get("q", "").strip(),
    }


def _rows(school_id: int, cycle, f: dict):
    return school_lacking(
        school_id=school_id,
        cycle=cycle,
        reason=f["reason"],
        search=f["search"],
        group_id=f["group"] and f["group"].pk,
    )


@role_required(Role.SCHOOL_ADMIN)
def school_lacking_page(request):
    """未完成情况: counts per reason (each the link to its names), the list of
    who lacks what with filters, 提醒 and 延期, and .xlsx."""
    school = get_school_for(request.grant, request.grant.school_id)
    cycle = current_cycle(request)
    f = _school_filters(request, request.GET, school.pk)
    context = {"school": school, "cycle": cycle, **f, "reasons": REASONS}
    if cycle is None:
        return render(request, "assessment/lacking.html", context)
    rows = _rows(school.pk, cycle, f)
    if request.GET.get("export") == "xlsx":
        names = group_names_by_user(school_id=school.pk)
        title = REASON_KEYS[f["reason"]].label if f["reason"] else "未完成情况"
        return xlsx_response(lacking_xlsx(rows, names, cycle), f"{school.name}-{title}.xlsx")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [m.user_id for m in page]
    names = group_names_by_user(school_id=school.pk, user_ids=ids)
    last = reminders_last(kind=cycle_reminder_kind(cycle.pk), user_ids=ids)
    lines = []
    for n, m in enumerate(page, start=page.start_index()):
        lacks = lacks_of(m, cycle=cycle)
        cells = lacking_cells(m, lacks, names.get(m.user_id, ""))
        lines.append((n, m, lacks, cells, last.get(m.user_id)))
    context.update(
        page=page,
        lines=lines,
        counts=lacking_counts(
            school_id=school.pk, cycle=cycle, group_id=f["group"] and f["group"].pk
        ),
        header=LACKING_HEADER,
        cycle_countdown=countdown(last_day=cycle.ends_on),
        form=ReminderForm(
            initial={"message": CYCLE_REMINDER}, fields_help=fields_help(*CYCLE_REMINDER_FIELDS)
        ),
        query=request.GET.urlencode(),
    )
    return render(request, "assessment/lacking.html", context)


@require_POST
@role_required(Role.SCHOOL_ADMIN)
def school_lacking_remind(request):
    """提醒 the ticked teachers of the list, or everyone the list counts (its
    filters come with the form)."""
    school = get_school_for(request.grant, request.grant.school_id)
    cycle = current_cycle(request)
    back = reverse("assessment:lacking") + "?" + _filter_query(request.POST)
    if cycle is None:
        return redirect(back)
    f = _school_filters(request, request.POST, school.pk)
    _remind(request, _rows(school.pk, cycle, f), cycle)
    return redirect(back)


def _filter_query(data: QueryDict) -> str:
    kept = QueryDict(mutable=True)
    for key in ("reason", "group", "q"):
        if data.get(key):
            kept[key] = data[key]
    return kept.urlencode()


def _remind(request, rows, cycle) -> None:
    form = ReminderForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return
    try:
        sent = lacking_remind(
            rows=rows,
            cycle=cycle,
            by=request.user,
            message=form.cleaned_data["message"],
            user_ids=form.chosen(request.POST),
        )
    except ValidationError as exc:
        refuse(request, exc)
    else:
        (messages.success if sent.count else messages.warning)(request, sent.line)


@role_required(Role.SCHOOL_ADMIN)
def materials_extension_new(request, membership_id: int):
    """延期 of one teacher's materials for the cycle: the school admin only."""
    membership = get_staff_member(request.grant, membership_id)
    if not membership.is_teacher:
        raise Http404
    cycle = current_cycle(request)
    if cycle is None:
        return redirect("assessment:lacking")
    teacher = membership.user
    current = materials_last_day(teacher=teacher, cycle=cycle)
    earliest, latest = extension_bounds(
        current_last=current, cycle=cycle, today=timezone.localdate()
    )
    form = ExtensionForm(request.POST or None, earliest=earliest, latest=latest)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            extension = extension_grant_materials(
                membership=membership,
                cycle=cycle,
                until=data["until"],
                reason=data["reason"],
                by=request.user,
                token=data.get("request_token"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"已将 {teacher.display_name} 的个人材料提交期限延至 "
                f"{extension.until:%Y-%m-%d}，并已通知本人。",
            )
            return redirect("assessment:lacking")
    return render(
        request,
        "activities/extension_form.html",
        {
            "teacher": teacher,
            "cycle": cycle,
            "form": form,
            "current": current,
            "possible": earliest <= latest,
            "latest": latest,
            "days_after": EXTENSION_DAYS_AFTER_CYCLE,
            "cancel_url": reverse("assessment:lacking"),
        },
    )


# ---- the leader ------------------------------------------------------------------


def _leader_filters(request, data: QueryDict) -> dict:
    groups = list(groups_led_by(user=request.user, school_id=request.grant.school_id))
    group_id = data.get("group", "")
    group = next((g for g in groups if str(g.pk) == group_id), None)
    if group_id and group is None:
        raise Http404
    return {"groups": groups, "group": group, "everyone_shown": data.get("all") == "1"}


def _members(request, cycle, f: dict, *, behind_only: bool):
    return members_lacking(
        user=request.user,
        school_id=request.grant.school_id,
        cycle=cycle,
        group_id=f["group"] and f["group"].pk,
        behind_only=behind_only,
    )


@role_required(Role.LEADER)
def leader_members(request):
    """组员进度: each member of the leader's groups and what they still miss,
    with 提醒."""
    cycle = current_cycle(request)
    f = _leader_filters(request, request.GET)
    context = {"cycle": cycle, **f}
    if cycle is None:
        return render(request, "assessment/leader_members.html", context)
    rows = _members(request, cycle, f, behind_only=not f["everyone_shown"])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    last = reminders_last(kind=cycle_reminder_kind(cycle.pk), user_ids=[m.user_id for m in page])
    context.update(
        page=page,
        lines=[(m, lacks_of(m, cycle=cycle), last.get(m.user_id)) for m in page],
        form=ReminderForm(
            initial={"message": CYCLE_REMINDER}, fields_help=fields_help(*CYCLE_REMINDER_FIELDS)
        ),
        cycle_countdown=countdown(last_day=cycle.ends_on),
    )
    return render(request, "assessment/leader_members.html", context)


@require_POST
@role_required(Role.LEADER)
def leader_members_remind(request):
    cycle = current_cycle(request)
    f = _leader_filters(request, request.POST)
    query = QueryDict(mutable=True)
    if f["group"]:
        query["group"] = f["group"].pk
    if f["everyone_shown"]:
        query["all"] = "1"
    back = reverse("assessment:leader_members") + ("?" + query.urlencode() if query else "")
    if cycle is not None:
        # Only members who lack something are reminded, whatever was ticked.
        _remind(request, _members(request, cycle, f, behind_only=True), cycle)
    return redirect(back)
