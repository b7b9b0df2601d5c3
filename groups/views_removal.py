"""调岗移除: the school admin removes a transferred teacher after a confirmation
that says what will be cleared; the audit trail is visible to the school and
its district."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from accounts.access import get_school_for, get_staff_member, role_required
from accounts.roles import Role
from accounts.selectors import roster

from .access import removals_visible_to
from .forms import RemovalForm
from .selectors import teacher_removal_preview
from .services import teacher_remove_everywhere


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


@role_required(Role.SCHOOL_ADMIN)
def removal_confirm(request, membership_id: int):
    membership = get_staff_member(request.grant, membership_id)
    form = RemovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            teacher_remove_everywhere(
                membership=membership, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, f"已将 {membership.user.display_name} 移出本校。")
            return redirect("groups:removals")
    return render(
        request,
        "groups/removal_confirm.html",
        {
            "membership": membership,
            "form": form,
            "preview": teacher_removal_preview(membership=membership),
        },
    )


@role_required(Role.DISTRICT_ADMIN, Role.OPERATOR)
def district_removals(request):
    page = Paginator(removals_visible_to(request.grant), 50).get_page(request.GET.get("page"))
    return render(request, "groups/district_removals.html", {"page": page})
