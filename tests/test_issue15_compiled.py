"""Reads compiled once per process (accounts.compiled): they answer what the
ORM would, each call reads the tables afresh, and they refuse what would make
a compiled query go stale (a date among its parameters, an id it never uses)."""

import datetime

import pytest
from django.db.models import Count, Q

from accounts.compiled import CompiledAggregate, CompiledRead
from accounts.models import Cycle, SchoolMembership, User
from assessment.selectors import lacking_counts, review_counts, teacher_lacks, with_lacks
from assessment.selectors.lacking import lacks_of, review_and_lacking_counts

from . import factories as f

pytestmark = pytest.mark.django_db


def test_a_teachers_figures_are_what_the_orm_reads(cast):
    orm = with_lacks(User.objects.filter(pk=cast.teacher.pk), cycle=cast.cycle, user_field="pk")
    assert teacher_lacks(teacher=cast.teacher, cycle=cast.cycle) == lacks_of(
        orm.get(), cycle=cast.cycle
    )


def test_the_schools_counts_are_what_the_orm_counts(cast):
    review, lacks = review_and_lacking_counts(school_id=cast.school.pk, cycle=cast.cycle)
    assert review == review_counts(school_id=cast.school.pk, cycle=cast.cycle)
    assert lacks == lacking_counts(school_id=cast.school.pk, cycle=cast.cycle)
    f.teacher(cast.school, "新来的老师")  # read afresh: nothing kept between calls
    review, lacks = review_and_lacking_counts(school_id=cast.school.pk, cycle=cast.cycle)
    assert review.total == lacks.total == 4


def test_a_compiled_read_reads_afresh_with_each_id(cast):
    places = CompiledRead(
        lambda school: SchoolMembership.objects.filter(school_id=school).values("user_id"),
        "school",
    )
    assert len(places.rows(school=cast.school.pk)) == 4
    assert len(places.rows(school=cast.other_school.pk)) == 1
    f.teacher(cast.other_school, "又一位外校老师")
    assert len(places.rows(school=cast.other_school.pk)) == 2


def test_a_compiled_read_converts_values_as_django_reads_them(cast):
    cycles = CompiledRead(lambda cycle: Cycle.objects.filter(pk=cycle).values("ends_on"), "cycle")
    assert cycles.rows(cycle=cast.cycle.pk) == [{"ends_on": cast.cycle.ends_on}]
    assert isinstance(cycles.rows(cycle=cast.cycle.pk)[0]["ends_on"], datetime.date)


def test_a_compiled_aggregate_counts_by_name(cast):
    counts = CompiledAggregate(
        lambda school: (
            SchoolMembership.objects.filter(school_id=school),
            {"all": Count("pk"), "teaching": Count("pk", filter=Q(is_teacher=True))},
        ),
        "school",
    )
    assert counts.rows(school=cast.school.pk) == [{"all": 4, "teaching": 3}]


def test_a_compiled_read_refuses_a_date_it_would_keep(cast):
    today = datetime.date.today()
    stale = CompiledRead(
        lambda cycle: Cycle.objects.filter(pk=cycle, ends_on__gte=today).values("pk"), "cycle"
    )
    with pytest.raises(ValueError, match="only by ids"):
        stale.rows(cycle=cast.cycle.pk)


def test_a_compiled_read_refuses_an_id_it_does_not_use(cast):
    careless = CompiledRead(lambda school, cycle: Cycle.objects.values("pk"), "school", "cycle")
    with pytest.raises(ValueError, match="does not use"):
        careless.rows(school=cast.school.pk, cycle=cast.cycle.pk)
