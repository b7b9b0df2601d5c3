"""The `grouped` fixture, loaded by test modules with
`pytest_plugins = ["tests.fixtures_groups"]` (never imported directly).

It adds to the fixed cast: 语文组 led by cast.teacher with cast.teacher2 as
member; 数学组 led by another teacher of the same school; a group in the other
school led by the outsider."""

from dataclasses import dataclass

import pytest

from accounts.models import User
from groups.models import ResearchGroup

from . import factories as f
from .factories_groups import group


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
