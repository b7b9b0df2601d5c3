"""Builders for the groups tests (the `grouped` fixture is in fixtures_groups.py)."""

from accounts.models import School, User
from groups.models import AbilityPoint, Framework, ResearchGroup
from groups.services import group_create, group_member_add

from . import factories as f


def group(school: School, name: str, leader: User | None = None, members=()) -> ResearchGroup:
    by = leader or f.person("builder")
    g = group_create(school=school, name=name, leader=leader, by=by)
    if members:
        group_member_add(group=g, users=members, by=by)
    return g


def guangdong() -> Framework:
    """The default catalogue loaded by the data migration."""
    return Framework.objects.get(name="广东 2.0")


def points(*codes: str) -> list[AbilityPoint]:
    return list(AbilityPoint.objects.filter(framework=guangdong(), code__in=codes))
