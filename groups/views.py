"""Teaching-research groups: the school admin creates, renames, archives and
assigns leaders; the leader manages members and writes the group plan."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, Window
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.access import get_school_for, role_required
from accounts.exports import xlsx_response
from accounts.holds import held
from accounts.params import whole_number, whole_numbers
from accounts.roles import Role
from accounts.selectors import cycle_current

from .access import get_group_for, get_group_for_admin, get_group_for_leader
from .exports import group_list_xlsx
from .forms import GroupForm, GroupPlanForm, GroupScheduleFormSet, MemberAddForm, formset_rows
from .holds import GROUP_PLAN, GROUPS
from .models import GroupMember
from .selectors import (
    GROUP_STATUS_FILTERS,
    group_member_candidates,
    group_members,
    group_members_of_groups,
    group_progress,
    groups_of_school,
    groups_of_user_read,
    teachers_without_group,
)
from .services import (
    group_archive,
    group_create,
    group_member_add,
    group_member_remove,
    group_plan_save,
    group_update,
)


@role_required(Role.SCHOOL_ADMIN, Role.INFO_TEAM)
def group_list(request):
    school = get_school_for(request.grant, request.grant.school_id)
    archived = request.GET.get("archived") == "1"
    search = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    groups = groups_of_school(school_id=school.id, archived=archived, search=search, status=status)
    if request.GET.get("export") == "xlsx":
        return _group_list_export(school, list(groups))
    can_manage = request.grant.role == Role.SCHOOL_ADMIN
    return render(
        request,
        "groups/group_list.html",
        {
            "school": school,
            "progress": group_progress(school_id=school.id, with_lists=False),
            "groups": groups,
            "archived": archived,
            "search": search,
            "status": status,
            "statuses": [(k, label) for k, (label, _) in GROUP_STATUS_FILTERS.items()],
            "can_manage": can_manage,
            # While the acceptance holds the groups no group is created: the
            # page says so instead of offering a form that would refuse.
            "held": can_manage
            and held(school_id=school.id, cycle=cycle_current(), what=GROUPS, for_page=True),
        },
    )


def _group_list_export(school, groups):
    content = group_list_xlsx(
        groups=groups,
        members=group_members_of_groups(group_ids=[g.pk for g in groups], school_id=school.id),
        without_group=teachers_without_group(school_id=school.id),
    )
    return xlsx_response(content, f"{school.name}-教研组.xlsx")


@role_required(Role.SCHOOL_ADMIN)
def group_create_view(request):
    school = get_school_for(request.grant, request.grant.school_id)
    form = GroupForm(request.POST or None, school_id=school.id)
    if request.method == "POST" and form.is_valid():
        try:
            group = group_create(school=school, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已创建教研组“{group.name}”。")
            return redirect("groups:list")
    return render(request, "groups/group_form.html", {"form": form, "school": school})


@role_required(Role.SCHOOL_ADMIN)
def group_edit(request, group_id: int):
    group = get_group_for_admin(request.grant, group_id)
    initial = {"name": group.name, "leader": group.leader}
    name_held = held(school_id=group.school_id, cycle=cycle_current(), what=GROUPS, for_page=True)
    form = GroupForm(
        request.POST or None, initial=initial, school_id=group.school_id, name_held=name_held
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = group_update(group=group, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if changed:
                messages.success(request, f"已保存教研组“{group.name}”。")
            else:
                messages.info(request, "没有需要保存的修改。")
            return redirect("groups:list")
    return render(request, "groups/group_form.html", {"form": form, "group": group})


@role_required(Role.SCHOOL_ADMIN)
@require_POST
def group_archive_view(request, group_id: int):
    group = get_group_for_admin(request.grant, group_id)
    try:
        group_archive(group=group, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"教研组“{group.name}”已归档，不再计入本校教研组。")
    return redirect("groups:list")


@role_required(Role.LEADER, Role.TEACHER)
def my_groups(request):
    groups = groups_of_user_read(user=request.user, school_id=request.grant.school_id)
    return render(request, "groups/my_groups.html", {"groups": groups})


@role_required(Role.SCHOOL_ADMIN, Role.INFO_TEAM, Role.LEADER, Role.TEACHER)
def group_detail(request, group_id: int):
    group = get_group_for(request.grant, request.user, group_id)
    return render(
        request,
        "groups/group_detail.html",
        {
            "group": group,
            "members": group_members(group=group),
            "is_leader": group.leader_id == request.user.pk and group.archived_at is None,
            "is_school_admin": request.grant.role == Role.SCHOOL_ADMIN,
        },
    )


# How many candidates the member-add page lists at once (a school may hold
# thousands of teachers: the page searches and pages through them).
CANDIDATES_PER_PAGE = 20


@role_required(Role.LEADER)
def member_add(request, group_id: int):
    """A search-as-you-type picker (htmx swaps the list; without JavaScript the
    search is a plain form) over one page of the school's teachers not yet in
    the group. Adding keeps the leader here to look for more."""
    group = get_group_for_leader(request.grant, request.user, group_id)
    # The search travels in the query string, and with the form as it is posted.
    search = (request.POST or request.GET).get("q", "").strip()
    form = MemberAddForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            added = group_member_add(group=group, users=form.cleaned_data["users"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已添加 {added} 位组员，可以继续搜索添加。")
            return redirect(request.path + (f"?{urlencode({'q': search})}" if search else ""))
    candidates = group_member_candidates(group=group, search=search)
    page = _page_counted(candidates, request.GET.get("page", ""), CANDIDATES_PER_PAGE)
    chosen = set(whole_numbers(request.POST.getlist("users")))
    context = {"group": group, "form": form, "search": search, "page": page, "chosen": chosen}
    # htmx asks for the list alone as the leader types (HX-Request).
    template = "groups/_member_candidates.html" if request.htmx else "groups/member_add.html"
    return render(request, template, context)


PAGE_MAX = 100_000


def _page_counted(qs, number: str, per_page: int) -> Page:
    """One page of `qs` with how many rows there are in all, in one query (a
    window count beside the rows): the same cost whether the search finds
    none, a page or thousands. A number past the end shows the last page."""
    # Capped so the offset stays a number the database takes.
    number = min(whole_number(number) or 1, PAGE_MAX)
    counted = qs.annotate(total_rows=Window(Count("pk")))
    rows = list(counted[(number - 1) * per_page : number * per_page])
    total = rows[0].total_rows if rows else 0
    if not rows and number > 1:  # past the end (a link from a longer list)
        total = qs.count()
        number = max(1, -(-total // per_page))
        rows = list(qs[(number - 1) * per_page : number * per_page])
    paginator = Paginator([], per_page)
    paginator.count = total  # known already: the paginator would count again
    return Page(rows, number, paginator)


@role_required(Role.LEADER)
@require_POST
def member_remove(request, group_id: int, member_id: int):
    group = get_group_for_leader(request.grant, request.user, group_id)
    members = GroupMember.objects.select_related("user")
    member = get_object_or_404(members, group=group, pk=member_id)
    member.group = group
    try:
        group_member_remove(member=member, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"已将 {member.user.display_name} 移出本组。")
    return redirect("groups:detail", group_id=group.pk)


@role_required(Role.LEADER)
def group_plan_edit(request, group_id: int):
    """The plan's text, and beside it the points it targets and its months."""
    group = get_group_for_leader(request.grant, request.user, group_id)
    chosen = [p.pk for p in group.plan_points.all()]
    data = request.POST or None
    form = GroupPlanForm(
        data, initial={"plan": group.plan, "points": chosen}, school=group.school, chosen=chosen
    )
    # A post without the schedule table (not from this page) leaves it as it is.
    posted = data is not None and "schedule-TOTAL_FORMS" in data
    schedule = GroupScheduleFormSet(
        data if posted else None, initial=group.plan_schedule, prefix="schedule"
    )
    if request.method == "POST" and form.is_valid() and (not posted or schedule.is_valid()):
        try:
            group_plan_save(
                group=group,
                plan=form.cleaned_data["plan"],
                points=form.cleaned_data["points"],
                schedule=formset_rows(schedule) if posted else None,
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "研修计划已保存。")
            return redirect("groups:detail", group_id=group.pk)
    return render(
        request,
        "groups/group_plan_form.html",
        {
            "group": group,
            "form": form,
            "schedule": schedule,
            "held": held(
                school_id=group.school_id, cycle=cycle_current(), what=GROUP_PLAN, for_page=True
            ),
        },
    )
