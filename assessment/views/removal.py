"""调岗移除, confirmed by the school admin. It lives in assessment, the
rightmost app that clears something: assessment.services.teacher_remove wraps
hours' removal (credits reversed; groups' memberships and audit row) and
archives the teacher's plan, points, summaries, evaluations and review."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from accounts.access import get_staff_member, role_required
from accounts.roles import Role
from groups.forms import RemovalForm
from groups.selectors import teacher_removal_preview
from hours.selectors import standing_hours

from ..selectors import teacher_materials_preview
from ..services import teacher_remove


@role_required(Role.SCHOOL_ADMIN)
def teacher_remove_confirm(request, membership_id: int):
    membership = get_staff_member(request.grant, membership_id)
    form = RemovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            teacher_remove(
                membership=membership, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, f"已将 {membership.user.display_name} 移出本校。")
            return redirect("groups:removals")
    return render(
        request,
        "assessment/removal_confirm.html",
        {
            "membership": membership,
            "form": form,
            "preview": teacher_removal_preview(membership=membership),
            "standing": standing_hours(teacher=membership.user),
            "materials": teacher_materials_preview(membership=membership),
        },
    )
