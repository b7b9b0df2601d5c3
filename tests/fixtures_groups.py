"""The `grouped` and `catalogue` fixtures, loaded by test modules with
`pytest_plugins = ["tests.fixtures_groups"]` (never imported directly).

It adds to the fixed cast: 语文组 led by cast.teacher with cast.teacher2 as
member; 数学组 led by another teacher of the same school; a group in the other
school led by the outsider."""

import importlib
from dataclasses import dataclass

import pytest

from accounts.models import User
from groups.models import Framework, ResearchGroup

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


@pytest.fixture
def catalogue(db):
    """The default ability-point catalogue, as the data migration loads it.

    A transactional (browser) test that ran earlier on the same xdist worker ends
    with a flush, which takes migration-loaded data with it (serialized_rollback
    only restores it at the start of that test). Reload it then, the same way."""
    if not Framework.objects.exists():
        from django.apps import apps

        importlib.import_module("groups.migrations.0003_load_ability_points").load(apps, None)
