"""The other assessment lists cost a fixed number of queries whatever their
size: the leader's evaluations to check, the school's typical cases, the
teacher's 我的研修."""

import pytest
from django.urls import reverse

from assessment.models import AbilityEvaluation
from assessment.services import case_create
from groups.models import GroupMember, ResearchGroup

from . import factories as f
from . import factories_assessment as fm
from .test_assessment_review import request_cost

pytest_plugins = ["tests.fixtures_assessment"]
pytestmark = pytest.mark.django_db


def submitted_members(cast, mats, n):
    """`n` more members of 语文组, each with a submitted evaluation (set-up rows)."""
    for _ in range(n):
        user = f.teacher(cast.school)
        GroupMember.objects.create(group=mats.chinese, user=user)
        AbilityEvaluation.objects.create(
            teacher=user,
            school=cast.school,
            cycle=cast.cycle,
            point=mats.keys[0],
            status="submitted",
            requirement=[{"kind": "方案", "count": 1}],
        )


def test_the_leaders_list_is_constant(cast, as_user, mats, django_assert_num_queries):
    client = as_user(mats.leader)
    url = reverse("assessment:leader_evaluations")
    submitted_members(cast, mats, 3)
    client.get(url)
    # cycle, the paginator's count, one page of evaluations (teacher, point), the
    # members' group names
    expected = request_cost(mats.leader) + 4
    with django_assert_num_queries(expected):
        client.get(url)
    submitted_members(cast, mats, 40)
    with django_assert_num_queries(expected):
        assert len(client.get(url).context["rows"]) == 43


def cases(cast, n, start=0):
    leader = f.teacher(cast.school)
    for i in range(start, start + n):
        group = ResearchGroup.objects.create(school=cast.school, name=f"组{i}", leader=leader)
        case_create(
            group=group,
            cycle=cast.cycle,
            by=leader,
            title=f"案例{i}",
            design=fm.upload("设计.pdf"),
            recording="link",
            recording_url="https://v.example.com/1",
        )
        ResearchGroup.objects.create(school=cast.school, name=f"无案例组{i}")


def test_the_schools_cases_page_is_constant(cast, as_user, mats, django_assert_num_queries):
    client = as_user(cast.school_admin)
    url = reverse("assessment:school_cases")
    cases(cast, 2)
    client.get(url)
    # school, cycle, the cases (group, uploader, rater), the groups without one,
    # whether the acceptance holds the cases
    expected = request_cost(cast.school_admin) + 5
    with django_assert_num_queries(expected):
        client.get(url)
    cases(cast, 12, start=2)
    with django_assert_num_queries(expected):
        client.get(url)


def test_my_training_is_constant(cast, as_user, mats, django_assert_num_queries):
    client = as_user(cast.teacher)
    url = reverse("assessment:mine")
    fm.complete(cast, cast.teacher, mats.keys[:3])
    fm.fill_evidence(cast, cast.teacher, mats.keys[0])
    client.get(url)
    # school, cycle, plan, choices, summaries, evaluations, review, progress,
    # the teacher's extension (延期) of their materials
    expected = request_cost(cast.teacher) + 9
    with django_assert_num_queries(expected):
        client.get(url)
    fm.choose(cast, cast.teacher, mats.keys)
    fm.summary(cast, cast.teacher, mats.keys[3])
    fm.fill_evidence(cast, cast.teacher, mats.keys[3])
    from assessment.services import review_fail

    review_fail(
        membership=fm.place(cast.teacher), cycle=cast.cycle, by=cast.school_admin, reason="x"
    )
    # ... and the review's decisions, now that there is a review
    with django_assert_num_queries(expected + 1):
        client.get(url)
