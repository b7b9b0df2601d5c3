"""The `mats` fixture, loaded by test modules with
`pytest_plugins = ["tests.fixtures_assessment"]` (never imported directly):
the cast's school with 4 key points and two groups (see factories_assessment.Mats)."""

import pytest

from .factories_assessment import Mats, mats_setup


@pytest.fixture
def mats(cast) -> Mats:
    return mats_setup(cast)
