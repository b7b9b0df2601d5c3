"""The `mats` and `held` fixtures, loaded by test modules with
`pytest_plugins = ["tests.fixtures_assessment"]` (never imported directly):
the cast's school with 4 key points and two groups (see factories_assessment.Mats);
`held`: the same school with its acceptance submitted, which holds its records."""

import pytest

from . import factories_acceptance as fx
from .factories_assessment import Mats, mats_setup


@pytest.fixture
def mats(cast) -> Mats:
    return mats_setup(cast)


@pytest.fixture
def held(cast) -> Mats:
    """A school whose acceptance is submitted, every teacher with three 合格 points."""
    fx.scheme(cast)
    mats = mats_setup(cast)
    fx.submitted(cast)
    return mats
