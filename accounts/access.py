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
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404

from .models import Region, RegionRole, School, SchoolMembership, User
from .roles import Grant, Role

# What role_required answers (403) to a person without any of the view's roles.
ROLE_REFUSAL = "你的账号没有访问此页面的角色。"


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
                raise PermissionDenied(ROLE_REFUSAL)
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


# What a school's forms and imports say about a person they may not touch. It
# names no school and no role: the admin learns only whom to ask.
BEYOND_SCHOOL_MESSAGE = (
    "该人员的账号不由本校管理，不能在此添加或修改。若其确已调入本校，"
    "请其原学校管理员先办理调岗移除；如有疑问请联系区县教育局管理员。"
)


def people_beyond_school(*, school_id: int, user_ids) -> set[int]:
    """Of `user_ids`, the people a school's forms and imports must never attach,
    change or reset (DESIGN §2 "People and passwords"): platform staff and
    operators, anyone holding a region role (district admin, expert), anyone
    with an active place in another school. One query for any number of ids.

    (教研组长 is granted by groups only within the school where the leader has
    an active place, and removal (调岗) ends it, so no other role needs a look.)"""
    ids = {pk for pk in user_ids if pk is not None}
    if not ids:
        return set()
    other_place = (
        SchoolMembership.objects.active().filter(user=OuterRef("pk")).exclude(school_id=school_id)
    )
    region_role = RegionRole.objects.filter(user=OuterRef("pk"))
    return set(
        User.objects.filter(pk__in=ids)
        .filter(Q(is_staff=True) | Q(is_superuser=True) | Exists(region_role) | Exists(other_place))
        .values_list("pk", flat=True)
    )


def person_within_school(*, school_id: int, user) -> bool:
    """Whether the school's forms may change or reset `user` (see people_beyond_school)."""
    return not people_beyond_school(school_id=school_id, user_ids=[user.pk])
