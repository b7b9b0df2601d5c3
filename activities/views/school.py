"""The school admin's queue of 组长本人学时: a leader's own hours from an activity
of the group they lead wait here (DESIGN §2: nobody credits themselves
unseen). The admin sees the activity and what proves it, and confirms (the
ledger credits and tells the leader) or rejects with a reason."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.roles import Role
from hours.models import HoursClaim
from hours.selectors import hours_claims_pending
from hours.services import CreditRefused, hours_claim_reject

from .. import selectors, services


def _claim_of_school(grant, claim_id: int) -> HoursClaim:
    """A claim of the admin's own school; any other answers 404 like a missing one."""
    return get_object_or_404(HoursClaim.objects.filter(school_id=grant.school_id), pk=claim_id)


@role_required(Role.SCHOOL_ADMIN)
def claims(request):
    rows = selectors.claims_with_work(
        claims=hours_claims_pending(school_id=request.grant.school_id)
    )
    return render(request, "activities/claims.html", {"rows": rows})


@require_POST
@role_required(Role.SCHOOL_ADMIN)
def claim_confirm(request, claim_id: int):
    claim = _claim_of_school(request.grant, claim_id)
    try:
        entry = services.claim_confirm(claim=claim, by=request.user)
    except services.ActivityError as refusal:
        messages.error(request, str(refusal))
    except CreditRefused as refusal:
        messages.error(request, refusal.messages[0])
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
    else:
        if entry is not None:
            messages.success(
                request, f"已确认，{claim.teacher.display_name}计入 {claim.hours} 学时。"
            )
        else:
            messages.info(request, "该学时已处理过。")
    return redirect("activities:claims")


@require_POST
@role_required(Role.SCHOOL_ADMIN)
def claim_reject(request, claim_id: int):
    claim = _claim_of_school(request.grant, claim_id)
    try:
        done = hours_claim_reject(claim=claim, by=request.user, note=request.POST.get("note", ""))
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
    else:
        if done:
            messages.success(request, f"已不予确认，并已告知{claim.teacher.display_name}原因。")
        else:
            messages.info(request, "该学时已处理过。")
    return redirect("activities:claims")
