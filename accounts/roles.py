"""The one place that answers "who is this person here": their role grants.

A grant is one role held in one place (a school or a region). Apps to the right
of accounts add grants of their own (groups adds 教研组长) by appending a
provider to ROLE_PROVIDERS in their AppConfig.ready(); accounts never imports them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from .models import RegionRole, SchoolMembership


class Role(models.TextChoices):
    OPERATOR = "operator", "省工程办"
    DISTRICT_ADMIN = "district_admin", "教育局管理员"
    EXPERT = "expert", "考核专家"
    SCHOOL_ADMIN = "school_admin", "学校管理员"
    INFO_TEAM = "info_team", "信息化管理团队"
    LEADER = "leader", "教研组长"
    TEACHER = "teacher", "教师"


ROLE_ORDER = list(Role)


@dataclass(frozen=True)
class Grant:
    role: Role
    school_id: int | None = None
    region_id: int | None = None
    place: str = ""

    @property
    def key(self) -> str:
        return f"{self.role}:{self.school_id or self.region_id or ''}"

    @property
    def label(self) -> str:
        name = Role(self.role).label
        return f"{name} · {self.place}" if self.place else name


ROLE_PROVIDERS: list[Callable[[object], list[Grant]]] = []


def grants_for(user) -> list[Grant]:
    """Every role the user holds. Costs two queries plus one per provider."""
    if not user.is_authenticated:
        return []
    grants: list[Grant] = []
    if user.is_superuser:
        grants.append(Grant(Role.OPERATOR, place="全省"))
    for rr in RegionRole.objects.filter(user=user).select_related("region"):
        grants.append(Grant(Role(rr.kind), region_id=rr.region_id, place=rr.region.name))
    membership = (
        SchoolMembership.objects.active().filter(user=user).select_related("school").first()
    )
    if membership:
        school = membership.school
        if membership.is_school_admin:
            grants.append(Grant(Role.SCHOOL_ADMIN, school_id=school.id, place=school.name))
        if membership.is_info_team:
            grants.append(Grant(Role.INFO_TEAM, school_id=school.id, place=school.name))
        if membership.is_teacher:
            grants.append(Grant(Role.TEACHER, school_id=school.id, place=school.name))
    for provider in ROLE_PROVIDERS:
        grants.extend(provider(user))
    grants.sort(key=lambda g: ROLE_ORDER.index(g.role))
    return grants


class Access:
    """The grants of the person behind a request, and which one is in use."""

    SESSION_KEY = "active_role"

    def __init__(self, request):
        self.request = request
        self.user = request.user
        self.grants = grants_for(request.user)

    @property
    def active(self) -> Grant | None:
        wanted = self.request.session.get(self.SESSION_KEY)
        for grant in self.grants:
            if grant.key == wanted:
                return grant
        return self.grants[0] if self.grants else None

    def activate(self, key: str) -> bool:
        if any(g.key == key for g in self.grants):
            self.request.session[self.SESSION_KEY] = key
            return True
        return False

    def grant(self, role: Role) -> Grant | None:
        """The grant for `role`, preferring the active one."""
        active = self.active
        if active and active.role == role:
            return active
        return next((g for g in self.grants if g.role == role), None)

    def has(self, role: Role) -> bool:
        return self.grant(role) is not None
