from django.contrib import messages

from accounts.roles import Role

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


def form_errors(form) -> str:
    return "；".join(e for errors in form.errors.values() for e in errors)
