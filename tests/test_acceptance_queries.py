"""Every acceptance page costs a fixed number of queries whatever its size
(DESIGN §3): the expert's school list and home, the district's list and its
page of one school, the school's page, the scoring page with many rubric
items and files. Each is opened at two sizes with the same count, and the
larger page shows the rows it grew by. The comment on each test names the
queries after REQUEST and UNREAD (tests/test_list_queries.py)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessment.models import (
    Acceptance,
    ExpertAssignment,
    ExpertScore,
    ProofFile,
    ProofItem,
    RubricItem,
    SelfScore,
)
from assessment.selectors.acceptance import acceptance_stage, acceptances_by_school
from assessment.services import acceptance as acc

from . import factories as f
from . import factories_acceptance as fx
from . import test_list_queries as lq
from .conftest import login
from .test_list_queries import REQUEST, UNREAD

pytestmark = pytest.mark.django_db

fixed = lq.fixed  # the fixture: a page's queries, counted at two sizes


def schools_at_every_stage(cast, n: int, start: int = 0) -> list:
    """`n` more schools of the district, each with an acceptance, the cast's
    expert and a second expert assigned, at draft / submitted / scored with a
    submitted score (rows written directly: set-up for pages that only read)."""
    scheme = fx.scheme(cast) if start == 0 else Acceptance.objects.first().scheme
    second = fx.expert(cast, f"专家{start}")
    item = RubricItem.objects.filter(scheme=scheme, parent__isnull=False).first()
    made = []
    for i in range(start, start + n):
        school = f.school(cast.district, f"验收学校{i:03d}")
        status = ["draft", "submitted", "scored"][i % 3]
        a = Acceptance.objects.create(school=school, cycle=cast.cycle, scheme=scheme, status=status)
        for expert in (cast.expert, second):
            assignment = ExpertAssignment.objects.create(
                acceptance=a, expert=expert, assigned_by=cast.district_admin
            )
            if status == "scored":
                assignment.submitted_at = a.created_at
                assignment.save()
                ExpertScore.objects.create(assignment=assignment, item=item, points=Decimal(2))
        made.append(school)
    return made


def test_the_experts_school_list(cast, fixed):
    schools_at_every_stage(cast, 3)
    # + the cycle, the cycles one may switch to, the paginator's count, one page
    #   of assignments with their acceptance, school, region and scheme
    fixed(
        login(cast.expert),
        reverse("assessment:expert_schools"),
        REQUEST + UNREAD + 4,
        lambda: schools_at_every_stage(cast, 12, start=3),
        lambda p: p.count('data-school="验收学校'),
    )


def test_the_experts_home(cast, fixed):
    schools_at_every_stage(cast, 2)
    # + the cycle, the first ten assignments with acceptance and school, the
    #   number waiting for the expert's scores
    fixed(
        login(cast.expert),
        reverse("home"),
        REQUEST + UNREAD + 3,
        lambda: schools_at_every_stage(cast, 12, start=2),
        lambda p: p.count('data-school="验收学校'),
    )


def test_the_districts_acceptance_list(cast, fixed):
    schools_at_every_stage(cast, 3)
    # + the cycle, the region (the scope), the paginator's count, one page of
    #   schools with teacher counts and acceptance, the experts of the page's
    #   acceptances with their totals, the acceptances per status and the
    #   number of schools (the counts at the top), the scheme, the district's
    #   experts (the assignment form), the cycles one may switch to
    fixed(
        login(cast.district_admin),
        reverse("assessment:district_acceptances"),
        REQUEST + UNREAD + 10,
        lambda: schools_at_every_stage(cast, 12, start=3),
        lambda p: p.count('data-school="验收学校'),
    )


def _grow_rubric_and_files(a, n: int, start: int) -> None:
    """`n` more rubric items (under a new dimension) with a self-score, and `n`
    more files (set-up: rows written directly, one stored file reused)."""
    dimension = RubricItem.objects.create(scheme=a.scheme, title=f"维度{start}", order=50 + start)
    proof = ProofFile.objects.filter(acceptance=a).first()
    for i in range(start, start + n):
        item = RubricItem.objects.create(
            scheme=a.scheme, parent=dimension, title=f"新增指标{i:03d}", max_points=2, order=i
        )
        SelfScore.objects.create(acceptance=a, item=item, points=1, note="自评")
        extra = ProofItem.objects.create(
            scheme=a.scheme, number=100 + i, content=f"新增证明{i:03d}", form="文本"
        )
        ProofFile.objects.create(
            acceptance=a,
            item=extra,
            file=proof.file.name,
            original_name=f"新增材料{i:03d}.pdf",
            size=proof.size,
            content_type="application/pdf",
            uploaded_by=proof.uploaded_by,
        )


def test_the_scoring_page_with_many_items(cast, fixed):
    fx.scheme(cast)
    a = fx.submitted(cast)
    acc.experts_assign(
        schools=[cast.school],
        experts=[cast.expert],
        cycle=cast.cycle,
        region_id=cast.district.pk,
        by=cast.district_admin,
    )
    # + the assignment with its acceptance, school, cycle and scheme; the
    #   rubric, the checklist, the platform's records, the files, the
    #   self-scores, the expert's own scores, the expert's places in the school (回避)
    fixed(
        login(cast.expert),
        reverse("assessment:expert_score", args=[a.pk]),
        REQUEST + UNREAD + 8,
        lambda: _grow_rubric_and_files(a, 20, 0),
        lambda p: p.count("新增指标") + p.count("新增材料"),
    )


def test_the_schools_acceptance_page(cast, fixed):
    fx.scheme(cast)
    fx.gate_met(cast)
    fx.materials(cast)
    a = Acceptance.objects.get()
    # + the school, the cycle; the scheme, the acceptance, the rubric, the
    #   checklist, the platform's records, the files, the self-scores, the 95%
    #   gate, the history
    fixed(
        login(cast.school_admin),
        reverse("assessment:acceptance"),
        REQUEST + UNREAD + 11,
        lambda: _grow_rubric_and_files(a, 20, 0),
        lambda p: p.count("新增指标") + p.count("新增材料"),
    )


def test_the_districts_page_of_one_school(cast, fixed):
    fx.scheme(cast)
    a = fx.scored(cast, experts=[cast.expert, fx.expert(cast)])
    # + the region and the school (the scope), the cycle, the acceptance, the
    #   scheme, the checklist, the platform's records, the files, the rubric,
    #   the self-scores, the assignments, their scores, the history, the
    #   district's experts (the form), which experts hold a place in the school
    #   (回避), the registration batch, the 95% gate as of now
    fixed(
        login(cast.district_admin),
        reverse("assessment:district_acceptance", args=[cast.school.pk]),
        REQUEST + UNREAD + 17,
        lambda: _grow_rubric_and_files(a, 20, 0),
        lambda p: p.count("新增指标") + p.count("新增材料"),
    )


def test_acceptances_by_school_is_one_query_for_any_number(cast, django_assert_num_queries):
    """For the district dashboard: {school_id: Acceptance} with the experts'
    counts, and each school's stage label."""
    few = schools_at_every_stage(cast, 3)
    with django_assert_num_queries(1):
        small = acceptances_by_school(school_ids=[s.pk for s in few], cycle=cast.cycle)
    many = few + schools_at_every_stage(cast, 30, start=3)
    never = f.school(cast.district, "未开始学校")
    with django_assert_num_queries(1):
        large = acceptances_by_school(school_ids=[s.pk for s in [*many, never]], cycle=cast.cycle)
    assert len(small) == 3 and len(large) == 33
    scored = large[many[2].pk]
    assert (scored.expert_count, scored.scored_count) == (2, 2)
    assert [acceptance_stage(large.get(s.pk)) for s in many[:3]] == [
        "准备中",
        "已提交验收",
        "已评分",
    ]
    assert acceptance_stage(large.get(never.pk)) == "未开始"
