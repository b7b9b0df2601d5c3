from django.contrib import messages
from django.shortcuts import render

from accounts.roles import Role
from accounts.texts import DOCUMENT_CHARS

from ..services import ActivityError

# The real check is per object (activities.access): being the group's leader or
# a member of it. These roles only decide who may reach the pages at all.
MEMBER_ROLES = (Role.TEACHER, Role.LEADER)
LEADER_ROLES = (Role.LEADER, Role.TEACHER, Role.SCHOOL_ADMIN)
VIEWER_ROLES = (
    Role.TEACHER,
    Role.LEADER,
    Role.SCHOOL_ADMIN,
    Role.INFO_TEAM,
    Role.OPERATOR,
)
SCHOOL_ROLES = (Role.SCHOOL_ADMIN, Role.INFO_TEAM)


def run_service(request, call, *, success: str) -> bool:
    """Run `call()` (a service); show its refusal, or `success`, as a message.
    True if the service went through."""
    try:
        call()
    except ActivityError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, success)
    return True


def draft_keep(request, activity, typed: str | dict[str, str]) -> None:
    """What a member typed in a form that was refused (a file of the wrong
    kind beside their homework text, a view too short, a score out of range
    in the 听课评课表: its answers by field name): the activity page they are
    sent back to shows it again, once, instead of an empty form."""
    if isinstance(typed, dict):
        kept = {k: v[:DOCUMENT_CHARS] for k, v in list(typed.items())[:DRAFT_FIELDS] if v.strip()}
        if kept:
            request.session[_draft_key(activity.pk)] = kept
    elif typed and typed.strip():
        request.session[_draft_key(activity.pk)] = typed[:DOCUMENT_CHARS]


# An evaluation form's questions, as many as a leader would write (the session
# row stays small whatever a request sends).
DRAFT_FIELDS = 100


def draft_take(request, activity_id: int) -> str | dict[str, str] | None:
    """What draft_keep kept for this activity, forgotten once shown."""
    key = _draft_key(activity_id)
    return request.session.pop(key) if key in request.session else None


def _draft_key(activity_id: int) -> str:
    return f"activity_draft:{activity_id}"


def form_errors(form) -> str:
    return "；".join(e for errors in form.errors.values() for e in errors)


def designation_confirm(request, *, activity, users, ask, back: str = ""):
    """指定 once evidence stands credits at once (services.CreditUnconfirmed):
    this page names who will be credited and how many hours, and sends the
    same request again with the number ticked, as for the first evidence."""
    return render(
        request,
        "activities/designate_confirm.html",
        {"activity": activity, "users": users, "ask": ask, "action": request.path, "back": back},
    )
