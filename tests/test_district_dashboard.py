"""The district's dashboard (区县看板, issue 12) and its read-only view of one
school: every school with its stage and figures, the filters, search, sort and
pages, the drill-down's scope, and what each costs at 5 and at 50 schools
(issue 15: the district pages read a few hundred schools' kept rows, never
every teacher of the district)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import SchoolMembership
from assessment import services as materials
from assessment.selectors.stats import school_stats_mismatches
from assessment.services import acceptance as acc
from groups.services import group_create, teacher_remove
from hours.services import hours_reverse

from . import factories as f
from . import factories_acceptance as fx
from . import factories_assessment as fm
from .conftest import login

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("assessment:district_dashboard")
REQUEST = 3  # session, user, the role grants (one query, accounts.roles)
UNREAD = 1  # the navbar's unread-message count


def lines(client, **params) -> dict:
    """{school name: line} of the dashboard page as the client sees it."""
    response = client.get(DASHBOARD, params)
    assert response.status_code == 200
    return {line.school.name: line for line in response.context["lines"]}


def school_with(district, name: str, teachers: int = 2):
    school = f.school(district, name)
    for i in range(teachers):
        f.teacher(school, f"{name}老师{i}")
    return school


# ---- stages -------------------------------------------------------------------------


def test_each_school_shows_the_stage_it_has_reached(cast):
    """组建中 → 研修中 → 考核中 from the school's own data; 已提交验收, 已评分,
    已通过, 未通过 from its acceptance."""
    fx.scheme(cast)
    d = cast.district
    forming = school_with(d, "组建中学校")
    training = school_with(d, "研修中学校")
    group_create(school=training, name="语文组", leader=None, by=cast.district_admin)
    assessing = school_with(d, "考核中学校")
    materials.review_fail(
        membership=SchoolMembership.objects.get(user__real_name="考核中学校老师0"),
        cycle=cast.cycle,
        by=f.school_admin(assessing),
        reason="提升总结与能力点无关",
    )
    preparing = school_with(d, "准备材料学校")
    acc.acceptance_open(school=preparing, cycle=cast.cycle)
    submitted = school_with(d, "已提交学校")
    fx.submitted(cast, submitted)
    scored = school_with(d, "已评分学校")
    fx.scored(cast, scored)
    passed = school_with(d, "通过学校")
    acc.acceptance_pass(acceptance=fx.scored(cast, passed), by=cast.district_admin)
    failed = school_with(d, "未通过学校")
    acc.acceptance_fail(
        acceptance=fx.scored(cast, failed), by=cast.district_admin, reason="平均分未达合格分"
    )

    stages = {name: line.stage_label for name, line in lines(login(cast.district_admin)).items()}

    assert stages == {
        cast.school.name: "组建中",
        forming.name: "组建中",
        training.name: "研修中",
        assessing.name: "考核中",
        preparing.name: "考核中",
        submitted.name: "已提交验收",
        scored.name: "已评分",
        passed.name: "已通过",
        failed.name: "未通过",
    }


# ---- figures --------------------------------------------------------------------------


def test_a_schools_figures_follow_hours_reviews_evaluations_and_removals(cast):
    """Teachers, share at 25 hours, review and evaluation pass rates, and the
    district's counted hours, as the services change them; the kept rows agree
    with their sources after each step (manage.py school_stats_check)."""
    district = login(cast.district_admin)
    mats = fm.mats_setup(cast)  # school A: 6 teachers, all 专任
    chosen = mats.keys[:3]
    assert lines(district)[cast.school.name].teachers == 6  # the first view computes the row

    fm.complete(cast, cast.teacher, chosen)  # 25 hours through the ledger
    fm.give_hours(cast, cast.teacher2, 10)
    materials.review_pass(membership=fm.place(cast.teacher), cycle=cast.cycle, by=cast.school_admin)
    for point in chosen:
        evaluation = fm.submit_evaluation(cast, cast.teacher, point)
        materials.evaluation_assess(evaluation=evaluation, by=cast.info_team, result="passed")

    line = lines(district)[cast.school.name]
    assert (line.teachers, line.school.hours_25, line.hours_percent) == (6, 1, 16)
    assert (line.review_percent, line.evaluation_percent) == (16, 16)
    summary = district.get(DASHBOARD).context["summary"]
    assert dict(summary.hours.histogram) == {
        "0": 4, "1–5": 0, "6–10": 1, "11–15": 0, "16–20": 0, "21–24": 0, "25": 1
    }  # fmt: skip
    call_command("school_stats_check")

    # A credit reversed, a teacher removed (调岗): the figures follow.
    hours_reverse(
        teacher=cast.teacher2, source=cast.teacher2.hours_entries.get().source, reason="撤回"
    )
    teacher_remove(membership=fm.place(cast.teacher), by=cast.school_admin, reason="调往外校")
    line = lines(district)[cast.school.name]
    assert (line.teachers, line.school.hours_25, line.review_percent) == (5, 0, 0)
    assert not list(school_stats_mismatches(cycle=cast.cycle))


def test_the_check_command_names_a_row_that_drifted_and_fix_rewrites_it(cast, capsys):
    from assessment.models import SchoolStats

    lines(login(cast.district_admin))  # the row is computed
    SchoolStats.objects.filter(school=cast.school).update(teachers=99)
    with pytest.raises(Exception, match="1 所学校的统计与来源不一致"):
        call_command("school_stats_check")
    assert "teachers 记为 99、应为 3" in capsys.readouterr().out
    call_command("school_stats_check", "--fix")
    call_command("school_stats_check")
    assert SchoolStats.objects.get(school=cast.school).teachers == 3


# ---- filters, search, sort, pages ---------------------------------------------------------


@pytest.fixture
def district_of_four(cast):
    """赤坎区: school A (3 teachers, forming) and three more of 1, 4 and 2
    teachers, one of them with a group (training)."""
    small = school_with(cast.district, "北桥小学", 1)
    big = school_with(cast.district, "南桥中学", 4)
    mid = school_with(cast.district, "南桥小学", 2)
    group_create(school=mid, name="数学组", leader=None, by=cast.district_admin)
    return small, big, mid


def test_the_dashboard_filters_by_stage_and_searches_by_name(cast, district_of_four):
    district = login(cast.district_admin)
    assert set(lines(district, stage="training")) == {"南桥小学"}
    assert set(lines(district, stage="forming")) == {cast.school.name, "北桥小学", "南桥中学"}
    assert set(lines(district, q="南桥")) == {"南桥中学", "南桥小学"}
    assert set(lines(district, q="南桥", stage="forming")) == {"南桥中学"}
    assert lines(district, stage="passed") == {}
    # The stage counts stay those of the whole district whatever is filtered.
    counts = district.get(DASHBOARD, {"stage": "training"}).context["summary"].counts
    assert (counts["forming"], counts["training"]) == (3, 1)


def test_the_dashboard_sorts_by_teachers_and_by_stage(cast, district_of_four):
    district = login(cast.district_admin)
    assert list(lines(district, sort="-teachers")) == [
        "南桥中学", cast.school.name, "南桥小学", "北桥小学"
    ]  # fmt: skip
    assert list(lines(district, sort="teachers"))[0] == "北桥小学"
    assert list(lines(district, sort="-stage"))[0] == "南桥小学"
    assert list(lines(district, sort="nonsense")) == list(lines(district))  # the default


def test_a_city_admin_filters_by_district(cast):
    city = login(f.region_person(cast.district.parent, "district_admin", "市教育局"))
    assert set(lines(city)) == {cast.school.name, cast.other_school.name}
    assert set(lines(city, district=cast.other_district.pk)) == {cast.other_school.name}
    summary = city.get(DASHBOARD, {"district": cast.other_district.pk}).context["summary"]
    assert (summary.schools, summary.teachers) == (1, 1)
    # A district outside the admin's region is no filter at all.
    assert set(lines(login(cast.district_admin), district=cast.other_district.pk)) == {
        cast.school.name
    }


def test_the_dashboard_pages_twenty_schools_at_a_time(cast):
    for i in range(24):
        f.school(cast.district, f"分页学校{i:02d}")
    district = login(cast.district_admin)
    first = district.get(DASHBOARD).context
    assert (len(first["lines"]), first["page"].paginator.num_pages) == (20, 2)
    second = lines(district, page=2)
    assert len(second) == 5 and not set(second) & {line.school.name for line in first["lines"]}


def test_the_dashboard_shows_its_pictures_with_the_same_figures_in_text(cast):
    fm.give_hours(cast, cast.teacher, 25)
    body = login(cast.district_admin).get(DASHBOARD).content.decode()
    for chart in ("stages-chart", "district-histogram", "hours-progress-chart"):
        assert f'data-chart="{chart}"' in body and f'id="{chart}"' in body
    assert "组建中</a>：<strong>1</strong> 所" in body
    assert "25 学时：<strong>1</strong> 人" in body
    assert "33%（1 人）" in body  # the school's line: 1 of 3 at 25


# ---- who may see what ---------------------------------------------------------------------


def test_the_operator_sees_every_district(cast):
    assert set(lines(login(cast.operator))) == {cast.school.name, cast.other_school.name}


@pytest.mark.parametrize("who", ["teacher", "school_admin", "info_team", "expert"])
def test_school_roles_and_experts_may_not_open_the_dashboard(cast, who):
    assert login(getattr(cast, who)).get(DASHBOARD).status_code == 403


def school_page(school):
    return reverse("assessment:district_school", args=[school.pk])


def test_the_school_view_is_read_only_and_masks_id_numbers(cast):
    fm.mats_setup(cast)
    response = login(cast.district_admin).get(school_page(cast.school))
    assert response.status_code == 200
    body = response.content.decode()
    assert "语文组" in body and "周组长" in body  # its groups and leaders
    assert cast.teacher.masked_id_number in body and cast.teacher.id_number not in body
    assert "<form" not in body.split('id="school-teachers"')[0].split("</nav>")[-1]
    assert reverse("assessment:district_acceptance", args=[cast.school.pk]) in body


def test_another_districts_admin_finds_the_school_missing(cast):
    assert login(cast.other_district_admin).get(school_page(cast.school)).status_code == 404
    assert login(cast.district_admin).get(school_page(cast.other_school)).status_code == 404


def test_the_operator_opens_any_school_but_not_the_district_admins_acceptance_pages(cast):
    response = login(cast.operator).get(school_page(cast.other_school))
    assert response.status_code == 200
    assert reverse("assessment:district_acceptance", args=[cast.other_school.pk]) not in (
        response.content.decode()
    )


@pytest.mark.parametrize("who", ["teacher", "school_admin", "expert"])
def test_school_roles_and_experts_may_not_open_the_school_view(cast, who):
    assert login(getattr(cast, who)).get(school_page(cast.school)).status_code == 403


def test_the_school_view_searches_its_teachers(cast):
    response = login(cast.district_admin).get(school_page(cast.school), {"q": "王"})
    assert [m.user for m, _, _ in response.context["teachers"]] == [cast.teacher2]


# ---- a fixed number of queries at 5 and at 50 schools -------------------------------------

PAGES = {
    # + the region (scope), the cycle, the districts for the filter, the exports
    #   panel, the schools by stage with figures summed (and how many have no
    #   kept row yet: none), the count of listed schools, the page of schools
    #   with figures and stage (a join to the kept rows and the acceptance, one
    #   CASE over their columns), the page's acceptances with their experts
    "dashboard": (DASHBOARD, REQUEST + UNREAD + 8),
    "dashboard, filtered and sorted": (
        DASHBOARD + "?stage=forming&q=学校&sort=-hours",
        REQUEST + UNREAD + 8,
    ),
    # + the region, the count of schools (schools alone), the page of schools
    #   with teacher counts (a subquery per listed school), the districts
    "school list": (reverse("accounts:district_schools"), REQUEST + UNREAD + 4),
    # + the cycle, the region, the counts by registration status, the count of
    #   listed schools, the page of schools, their batches, their teachers (the
    #   kept figures, not a count of places per school)
    "hours": (reverse("hours:district"), REQUEST + UNREAD + 7),
}


@pytest.mark.parametrize("page", PAGES)
def test_the_district_pages_cost_the_same_at_5_and_at_50_schools(
    cast, django_assert_num_queries, page
):
    url, queries = PAGES[page]
    client = login(cast.district_admin)

    def measure():
        client.get(url)  # computes the figures of schools that have none
        with django_assert_num_queries(queries):
            return client.get(url)

    for i in range(4):
        school_with(cast.district, f"学校{i:02d}", 3)
    small = measure()
    for i in range(4, 49):
        school_with(cast.district, f"学校{i:02d}", 3)
    large = measure()
    assert large.context["page"].paginator.count == small.context["page"].paginator.count + 45


def test_the_school_view_costs_the_same_for_5_and_50_teachers(cast, django_assert_num_queries):
    school = f.school(cast.district, "规模学校")
    client = login(cast.district_admin)
    url = school_page(school)

    def measure():
        client.get(url)
        # + the region, the school (scope), the cycle, its figures (none
        #   missing), its row with stage, the teachers (count, page), their
        #   groups, its groups, the platform's records, its acceptance
        with django_assert_num_queries(REQUEST + UNREAD + 11):
            return client.get(url)

    for i in range(5):
        f.teacher(school, f"规模老师{i:02d}")
    small = measure()
    for i in range(5, 50):
        f.teacher(school, f"规模老师{i:02d}")
    large = measure()
    assert (small.context["page"].paginator.count, large.context["page"].paginator.count) == (5, 50)
    assert len(large.context["teachers"]) == 25 > len(small.context["teachers"]) == 5
