"""调岗移除, confirmed by the school admin. The removal itself is
groups.services.teacher_remove, which runs every app's registered clearer
(groups.removal): this page shows what each of them will clear."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from accounts.access import get_staff_member, role_required
from accounts.roles import Role
from groups.forms import RemovalForm
from groups.removal import removal_preview
from groups.selectors import teacher_removal_preview
from groups.services import teacher_remove


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
        "hours/removal_confirm.html",
        {
            "membership": membership,
            "form": form,
            "preview": teacher_removal_preview(membership=membership),
            "lines": removal_preview(membership),
        },
    )
