"""The one place that answers "who is this person here": their role grants.

A grant is one role held in one place (a school or a region). Apps to the right
of accounts add grants of their own (groups adds 教研组长) by appending a
provider to ROLE_PROVIDERS in their AppConfig.ready(); accounts never imports them.

Every signed-in request asks this, so the answer is one query (a UNION ALL of
each source's rows, built by `grant_rows`), compiled once per process and read
fresh from the tables on each request: a removed teacher, a demoted admin or a
replaced leader has lost the role on their very next request, with no cache to
invalidate.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import CharField, F, IntegerField, Value
from django.db.models.functions import Cast

from .compiled import CompiledRead
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


@dataclass(frozen=True)
class Place:
    """The person's active place in a school (one at a time, a DB constraint),
    as the grants query read it: what a teacher's home page shows of it."""

    school_id: int
    school_name: str
    subject: str
    stage: str


# A provider takes a user id and returns `grant_rows(...)` of its own queryset:
# the rows join the one grants query, so a provider costs no query of its own.
ROLE_PROVIDERS: list[Callable[[int], models.QuerySet]] = []

# Typed: PostgreSQL reads a bare NULL in a DISTINCT branch as text.
_NO_ID = Cast(Value(None), output_field=IntegerField())
_NO_TEXT = Value("", output_field=CharField())


def grant_rows(qs, *, role, school=_NO_ID, region=_NO_ID, place, subject=_NO_TEXT, stage=_NO_TEXT):
    """`qs` as rows of the grants query, every source's columns in the same
    order (a UNION matches columns by position). `role` is a Role or a field
    naming one; the others are field names or expressions."""

    def expr(value):
        return F(value) if isinstance(value, str) else value

    role = Value(str(role), output_field=CharField()) if isinstance(role, Role) else expr(role)
    return qs.order_by().values(
        g_role=role,
        g_school=expr(school),
        g_region=expr(region),
        g_place=expr(place),
        g_subject=expr(subject),
        g_stage=expr(stage),
    )


def _grants_query(user) -> models.QuerySet:
    region_roles = RegionRole.objects.filter(user_id=user)
    place = SchoolMembership.objects.active().filter(user_id=user)
    school_role = {"school": "school_id", "place": "school__name"}
    details = {"subject": "subject", "stage": "stage"}
    sources = [
        grant_rows(region_roles, role="kind", region="region_id", place="region__name"),
        grant_rows(
            place.filter(is_school_admin=True), role=Role.SCHOOL_ADMIN, **school_role, **details
        ),
        grant_rows(place.filter(is_info_team=True), role=Role.INFO_TEAM, **school_role, **details),
        grant_rows(place.filter(is_teacher=True), role=Role.TEACHER, **school_role, **details),
    ]
    first, *rest = sources + [provider(user) for provider in ROLE_PROVIDERS]
    return first.union(*rest, all=True)


# Every request runs it: compiled once per process (accounts.compiled), read
# fresh from the tables each time.
_GRANTS = CompiledRead(_grants_query, "user")


def grants_and_place(user) -> tuple[list[Grant], Place | None]:
    """Every role the user holds, and their place in a school. One query."""
    if not user.is_authenticated:
        return [], None
    grants: list[Grant] = []
    place = None
    for row in _GRANTS.rows(user=user.pk):
        role, school_id, name = Role(row["g_role"]), row["g_school"], row["g_place"]
        grants.append(Grant(role, school_id=school_id, region_id=row["g_region"], place=name))
        if role in SCHOOL_PLACE_ROLES:
            place = Place(school_id, name, row["g_subject"], row["g_stage"])
    if user.is_superuser:
        grants.append(Grant(Role.OPERATOR, place="全省"))
    # Roles in their fixed order, then by place: the same list on every request.
    grants.sort(key=lambda g: (ROLE_ORDER.index(g.role), g.school_id or 0, g.region_id or 0))
    return grants, place


def grants_for(user) -> list[Grant]:
    """Every role the user holds. One query."""
    return grants_and_place(user)[0]


# The roles that come from the person's place in a school (SchoolMembership flags).
SCHOOL_PLACE_ROLES = (Role.SCHOOL_ADMIN, Role.INFO_TEAM, Role.TEACHER)


class Access:
    """The grants of the person behind a request, and which one is in use."""

    SESSION_KEY = "active_role"

    def __init__(self, request):
        self.request = request
        self.user = request.user
        # Once per request (the middleware makes one Access, lazily).
        self.grants, self.place = grants_and_place(request.user)

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
