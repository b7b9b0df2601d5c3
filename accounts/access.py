"""Access helpers: the first line of every view.

- `role_required(*roles)` answers anonymous people with the login page and
  people without any of the roles with 403, and sets `request.grant`.
- `*_visible_to` functions return the querysets a grant may see; object helpers
  build on them and answer 404 for anything outside, so another school's
  objects look exactly like missing ones.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from .models import Region, School, SchoolMembership
from .roles import Grant, Role


def role_required(*roles: Role):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = request.access
            active = access.active
            if active and active.role in roles:
                grant = active
            else:
                grant = next((g for r in roles if (g := access.grant(r))), None)
            if grant is None:
                raise PermissionDenied("你的账号没有访问此页面的角色。")
            request.grant = grant
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def regions_under(region: Region) -> Q:
    """Schools in `region` or below it (the tree is three levels deep)."""
    return Q(region=region) | Q(region__parent=region) | Q(region__parent__parent=region)


def schools_visible_to(grant: Grant):
    qs = School.objects.select_related("region")
    if grant.role == Role.OPERATOR:
        return qs
    if grant.role == Role.DISTRICT_ADMIN:
        region = Region.objects.get(pk=grant.region_id)
        return qs.filter(regions_under(region))
    if grant.school_id:
        return qs.filter(pk=grant.school_id)
    return qs.none()


def get_school_for(grant: Grant, school_id: int) -> School:
    return get_object_or_404(schools_visible_to(grant), pk=school_id)


def staff_of_school(school_id: int):
    """Active people of a school, with their user row (roster order)."""
    return (
        SchoolMembership.objects.active()
        .filter(school_id=school_id)
        .select_related("user")
        .order_by("user__real_name", "pk")
    )


def get_staff_member(grant: Grant, membership_id: int) -> SchoolMembership:
    """A person of the grant's own school; 404 for anyone else."""
    return get_object_or_404(staff_of_school(grant.school_id), pk=membership_id)
