"""调岗移除: the audit trail, visible to the school and its district. The removal
itself is confirmed in hours.views_removal and done by
groups.services.teacher_remove, which runs every app's clearer (groups.removal)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.access import get_school_for, role_required
from accounts.roles import Role
from accounts.selectors import roster

from .access import removals_visible_to


@role_required(Role.SCHOOL_ADMIN)
def removal_list(request):
    school = get_school_for(request.grant, request.grant.school_id)
    search = request.GET.get("q", "").strip()
    candidates = roster(school_id=school.id, search=search)[:20] if search else []
    page = Paginator(removals_visible_to(request.grant), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "groups/removal_list.html",
        {"school": school, "page": page, "search": search, "candidates": candidates},
    )


@role_required(Role.DISTRICT_ADMIN, Role.OPERATOR)
def district_removals(request):
    page = Paginator(removals_visible_to(request.grant), 50).get_page(request.GET.get("page"))
    return render(request, "groups/district_removals.html", {"page": page})
