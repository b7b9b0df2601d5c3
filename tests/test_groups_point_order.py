"""Ability-point codes are listed the way people read them: A3 before A13
(issue 9 §7), on every page that lists codes."""

import pytest
from django.urls import reverse

from groups.models import AbilityPoint, ability_point_sort_key
from groups.services import theme_save
from hours.services import hours_credit

from . import factories_activities as fa
from .factories_groups import points

pytestmark = pytest.mark.django_db


def _order(text: str, *codes: str) -> list[int]:
    return [text.index(f"<strong>{code}</strong>") for code in codes]


def test_the_sort_key_reads_numbers_as_numbers():
    assert ability_point_sort_key("A3") < ability_point_sort_key("A13")
    assert ability_point_sort_key("A13") < ability_point_sort_key("B1")
    assert ability_point_sort_key("G2") < ability_point_sort_key("G12")
    assert AbilityPoint.objects.get(framework__name="广东 2.0", code="A13").sort_key == "A0013"


def _school_with_theme(cast):
    s = fa.group_setup(cast)
    theme_save(
        school=cast.school,
        cycle=cast.cycle,
        title="多技术融合",
        description="",
        key_points=points("A13", "A3", "G2"),
        by=cast.school_admin,
    )
    return s


def test_theme_topic_form_and_coverage_list_a3_before_a13(cast, as_user):
    s = _school_with_theme(cast)
    theme = as_user(cast.school_admin).get(reverse("groups:theme")).content.decode()
    a3, a13, g2 = _order(theme, "A3", "A13", "G2")
    assert a3 < a13 < g2
    form = as_user(s.leader).get(reverse("activities:topic_new", args=[s.group.pk]))
    assert [p.code for p in form.context["points"]] == ["A3", "A13", "G2"]
    coverage = as_user(s.leader).get(reverse("activities:coverage", args=[s.group.pk]))
    board = coverage.context["boards"][0]
    assert [p.code for p, _, _ in board.points] == ["A3", "A13", "G2"]
    text = coverage.content.decode()
    assert text.index("A3 微课程") < text.index("A13 评价量规")


def test_my_hours_lists_points_in_reading_order(cast, as_user):
    s = _school_with_theme(cast)
    t = fa.topic(s, points=points("A13", "A3"))
    a = fa.activity(s, "discussion", t=t)
    hours_credit(
        teacher=s.member,
        cycle=cast.cycle,
        school=cast.school,
        source=a,
        hours=2,
        category="教学研讨",
        ability_points=points("A13", "A3"),
    )
    response = as_user(s.member).get(reverse("hours:mine"))
    assert [p.code for p, _, _ in response.context["breakdown"].by_point] == ["A3", "A13"]
