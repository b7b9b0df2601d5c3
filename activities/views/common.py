from django.contrib import messages
from django.shortcuts import redirect

from accounts.roles import Role

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


def refuse(request, error, to):
    messages.error(request, str(error))
    return redirect(to) if not hasattr(to, "pk") else redirect("activities:detail", to.pk)


def form_errors(form) -> str:
    return "；".join(e for errors in form.errors.values() for e in errors)
