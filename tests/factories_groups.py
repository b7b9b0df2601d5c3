"""Builders and a fixture for the groups tests: import them from test modules.

`grouped` adds to the fixed cast: 语文组 led by cast.teacher with cast.teacher2 as
member; 数学组 led by another teacher of the same school; a group in the other
school led by the outsider."""

from dataclasses import dataclass

import pytest

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


@dataclass
class Grouped:
    chinese: ResearchGroup
    maths: ResearchGroup
    maths_leader: User
    foreign: ResearchGroup


@pytest.fixture
def grouped(cast) -> Grouped:
    maths_leader = f.teacher(cast.school, "数学组长")
    return Grouped(
        chinese=group(cast.school, "语文组", leader=cast.teacher, members=[cast.teacher2]),
        maths=group(cast.school, "数学组", leader=maths_leader),
        maths_leader=maths_leader,
        foreign=group(cast.other_school, "外校语文组", leader=cast.outsider),
    )
