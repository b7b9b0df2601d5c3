"""Issue 14 §3: 方案与实施一致性. The school's 两案 and each group's plan against
what the groups published: each kind of finding appears for a crafted school
and disappears when fixed, through the pages the school roles and the leader
use; the count on the home pages; a fixed number of queries at 5 and 20
groups; the months people write in a plan read robustly."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups.models import GroupMember, ResearchGroup
from groups.months import month_key, plan_months
from groups.services import group_plan_save, school_plan_save

from . import factories as f
from . import factories_activities as fa
from .conftest import login
from .factories_groups import points as catalogue_points

pytestmark = pytest.mark.django_db


# Reading a plan row's month ------------------------------------------------------

CYCLE = {"starts_on": datetime.date(2026, 9, 1), "ends_on": datetime.date(2027, 7, 15)}


@pytest.mark.parametrize(
    "when, months",
    [
        ("2026年9月", [(2026, 9)]),
        ("9 月", [(2026, 9)]),
        ("9月上旬", [(2026, 9)]),
        ("2026-09", [(2026, 9)]),
        ("2026.9", [(2026, 9)]),
        ("2026/10", [(2026, 10)]),
        ("２０２６年１０月", [(2026, 10)]),
        ("九月", [(2026, 9)]),
        ("十二月", [(2026, 12)]),
        ("3月", [(2027, 3)]),  # a spring month of this school year
        ("2027年3月15日", [(2027, 3)]),
        ("9-10月", [(2026, 9), (2026, 10)]),
        ("11月至次年1月", [(2026, 11), (2026, 12), (2027, 1)]),
        ("10 月—次年 5 月", [(2026, m) for m in (10, 11, 12)] + [(2027, m) for m in range(1, 6)]),
        ("9月、11月", [(2026, 9), (2026, 11)]),
        ("学期末", None),
        ("第一学期", None),
        ("每月", None),
        ("13月", None),
        ("", None),
    ],
)
def test_a_plan_rows_month_reads_as_people_write_it(when, months):
    assert plan_months(when, **CYCLE) == months


# A crafted school ----------------------------------------------------------------


def last_month_day() -> datetime.date:
    """The last day of last month: a month that has ended, inside the cycle."""
    return timezone.localdate().replace(day=1) - datetime.timedelta(days=1)


def label(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月"


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


def school_plan(cast, points, schedule=None):
    school_plan_save(
        school=cast.school,
        cycle=cast.cycle,
        fields={"theme": "多技术融合"},
        team=[],
        points=[{"point": p, "reason": "教师需求集中"} for p in points],
        schedule=schedule
        if schedule is not None
        else [{"when": label(last_month_day()), "content": "各组开展研修活动", "owner": "组长"}],
        by=cast.school_admin,
    )


def build(
    s,
    cast,
    *,
    plan=True,
    month_activity=True,
    kinds=("discussion", "homework", "observation", "offline"),
):
    """A school whose plan and groups agree: the 两案 names points A and B and
    last month; 语文组 aims at A and held an activity last month; 数学组 aims at
    B (its plan's months are still to come); all four kinds are used."""
    a, b = s.points[0], s.points[1]
    if plan:
        school_plan(cast, [a, b])
    chinese = fa.topic(s, points=[a])
    maths = fa.topic(s, group=s.other_group, leader=s.other_leader, points=[b])
    today = timezone.localdate()
    for n, kind in enumerate(kinds, start=1):  # days of their own, after today
        fa.activity(s, kind, t=chinese, hours=2, held_on=today + datetime.timedelta(days=n))
    if month_activity:
        fa.activity(s, "discussion", t=chinese, held_on=last_month_day(), title="上月的研讨")
    group_plan_save(
        group=s.group,
        plan="语文组计划",
        by=s.leader,
        points=[a],
        schedule=[
            {"month": month_key((last_month_day().year, last_month_day().month)), "content": "研讨"}
        ],
    )
    group_plan_save(
        group=s.other_group,
        plan="数学组计划",
        by=s.other_leader,
        points=[b],
        schedule=[{"month": month_key((today.year, today.month)), "content": "本月的研讨"}],
    )
    return chinese, maths


def report(cast):
    response = login(cast.school_admin).get(reverse("activities:consistency"))
    assert response.status_code == 200
    return response.context["report"]


def kinds_of(rep) -> list[str]:
    return [x.kind for x in rep.school.findings] + [x.kind for g in rep.groups for x in g.findings]


def leader_report(s, group=None, leader=None):
    group, leader = group or s.group, leader or s.leader
    response = login(leader).get(reverse("activities:group_consistency", args=[group.pk]))
    assert response.status_code == 200
    return response.context["report"]


def test_a_school_whose_groups_follow_the_plan_has_no_finding(s, cast):
    build(s, cast)
    rep = report(cast)
    assert kinds_of(rep) == [] and rep.total == 0
    page = login(cast.school_admin).get(reverse("activities:consistency")).content.decode()
    assert "未发现不一致" in page
    assert "本月的研讨" in page  # the month still to come, listed, not counted
    assert leader_report(s).findings == []


def test_no_plan_is_a_finding_until_the_plan_is_written(s, cast):
    build(s, cast, plan=False)
    assert kinds_of(report(cast)) == ["no_plan"]
    school_plan(cast, s.points[:2])
    assert kinds_of(report(cast)) == []


def test_a_plan_point_no_topic_aims_at(s, cast):
    build(s, cast)
    c = s.points[2]
    school_plan(cast, s.points[:3])
    rep = report(cast)
    assert kinds_of(rep) == ["plan_point_without_topic"]
    finding = rep.school.findings[0]
    assert c.code in finding.message
    assert ("修改两案", reverse("groups:plan_edit")) in finding.links
    fa.topic(s, group=s.other_group, leader=s.other_leader, points=[c])
    # Fixed for the school; 数学组's own plan does not name C yet: its finding.
    assert "plan_point_without_topic" not in [x.kind for x in report(cast).school.findings]


def test_a_topic_on_a_point_outside_the_plan(s, cast):
    build(s, cast)
    c = s.points[2]
    fa.topic(s, group=s.other_group, leader=s.other_leader, points=[c])
    rep = report(cast)
    assert [x.kind for x in rep.school.findings] == ["topic_point_outside_plan"]
    assert "数学组" in rep.school.findings[0].message and c.code in rep.school.findings[0].message
    school_plan(cast, s.points[:3])
    assert [x.kind for x in report(cast).school.findings] == []


def test_a_schedule_month_that_passed_with_no_activity(s, cast):
    build(s, cast, month_activity=False)
    rep = report(cast)
    assert "month_without_activity" in [x.kind for x in rep.school.findings]
    assert label(last_month_day()) in rep.school.findings[0].message
    fa.activity(s, "homework", t=fa.topic(s), held_on=last_month_day(), title="补上的作业")
    assert [x.kind for x in report(cast).school.findings] == []


def test_a_schedule_row_whose_month_cannot_be_read(s, cast):
    build(s, cast)
    school_plan(
        cast,
        s.points[:2],
        schedule=[
            {"when": label(last_month_day()), "content": "研修活动", "owner": ""},
            {"when": "学期末", "content": "总结", "owner": ""},
        ],
    )
    rep = report(cast)
    assert [x.kind for x in rep.school.findings] == ["month_unreadable"]
    assert "学期末" in rep.school.findings[0].message
    school_plan(
        cast,
        s.points[:2],
        schedule=[{"when": label(last_month_day()), "content": "总结", "owner": ""}],
    )
    assert [x.kind for x in report(cast).school.findings] == []


def test_an_activity_type_never_used(s, cast):
    chinese, _ = build(s, cast, kinds=("discussion", "observation", "offline"))
    rep = report(cast)
    assert [x.kind for x in rep.school.findings] == ["kind_unused"]
    assert "研修作业" in rep.school.findings[0].message
    fa.activity(s, "homework", t=chinese)
    assert [x.kind for x in report(cast).school.findings] == []


def test_a_group_with_no_topic(s, cast):
    build(s, cast)
    leader = f.teacher(cast.school, "郑组长")
    english = ResearchGroup.objects.create(school=cast.school, name="英语组", leader=leader)
    GroupMember.objects.create(group=english, user=leader)
    rep = report(cast)
    assert [x.kind for x in rep.school.findings] == ["group_without_topic"]
    assert rep.school.findings[0].links == [
        ("查看教研组", reverse("groups:detail", args=[english.pk]))
    ]
    # The leader's own page says it too, and links to where a topic is added.
    mine = leader_report(s, english, leader)
    assert [(x.kind, x.links[0][1]) for x in mine.findings] == [
        ("group_without_topic", reverse("activities:topic_new", args=[english.pk]))
    ]
    fa.topic(s, group=english, leader=leader, points=[s.points[0]])
    assert "group_without_topic" not in kinds_of(report(cast))
    # An archived group is not asked for anything.
    english.archived_at = timezone.now()
    english.save()
    assert kinds_of(report(cast)) == []


# A group's plan (the leader's page) ----------------------------------------------


def _plan_form(client, group, *, points, months):
    """The group plan page as a browser sends it: the rows it showed (the saved
    ones), changed to `months`, extra ones added, surplus ones ticked 删除."""
    group.refresh_from_db()
    shown = group.plan_schedule
    rows = max(len(shown), len(months))
    data = {
        "plan": "本组计划",
        "points": [p.pk for p in points],
        "schedule-TOTAL_FORMS": str(rows),
        "schedule-INITIAL_FORMS": str(len(shown)),
    }
    for i in range(rows):
        month, content = months[i] if i < len(months) else (shown[i]["month"], shown[i]["content"])
        data[f"schedule-{i}-month"] = month
        data[f"schedule-{i}-content"] = content
        if i >= len(months):
            data[f"schedule-{i}-DELETE"] = "on"
    return client.post(reverse("groups:group_plan", args=[group.pk]), data)


def test_the_group_plan_point_no_topic_aims_at_and_the_topic_outside_it(s, cast):
    build(s, cast)
    leader = login(s.leader)
    last = last_month_day()
    month = f"{last:%Y-%m}"
    assert (
        _plan_form(leader, s.group, points=s.points[:2], months=[(month, "研讨")]).status_code
        == 302
    )
    rep = leader_report(s)
    assert [x.kind for x in rep.findings] == ["plan_point_without_topic"]
    assert s.points[1].code in rep.findings[0].message
    assert rep.findings[0].links[0] == (
        "添加研修专题",
        reverse("activities:topic_new", args=[s.group.pk]),
    )
    # The leader aims a new topic at B and at C, outside the plan: one fixed, one new.
    topic = fa.topic(s, points=[s.points[1], s.points[2]])
    rep = leader_report(s)
    assert [x.kind for x in rep.findings] == ["topic_point_outside_plan"]
    assert rep.findings[0].links[0] == (
        "编辑专题",
        reverse("activities:topic_edit", args=[topic.pk]),
    )
    _plan_form(leader, s.group, points=s.points[:3], months=[(month, "研讨")])
    assert leader_report(s).findings == []
    # The school page agrees on the group; for the school, C is outside the 两案.
    school = report(cast)
    assert [x.kind for g in school.groups for x in g.findings] == []
    assert [x.kind for x in school.school.findings] == ["topic_point_outside_plan"]


def test_a_group_plan_month_that_passed_with_no_activity(s, cast):
    build(s, cast)
    other = login(s.other_leader)
    last = last_month_day()
    _plan_form(other, s.other_group, points=[s.points[1]], months=[(f"{last:%Y-%m}", "听课评课")])
    rep = leader_report(s, s.other_group, s.other_leader)
    assert [x.kind for x in rep.findings] == ["month_without_activity"]
    assert rep.findings[0].message.startswith("数学组：")
    assert "/activities/topics/" in rep.findings[0].links[0][1]  # add an activity under its topic
    school = report(cast)
    assert kinds_of(school) == ["month_without_activity"]
    assert school.total == 1
    maths_topic = s.other_group.topics.get()
    fa.activity(s, "observation", t=maths_topic, held_on=last, title="数学组听评课")
    assert leader_report(s, s.other_group, s.other_leader).findings == []


def test_a_group_plan_without_points_or_months_cannot_be_checked(s, cast):
    build(s, cast)
    s.other_group.plan_points.clear()
    s.other_group.plan_schedule = []
    s.other_group.save()
    rep = leader_report(s, s.other_group, s.other_leader)
    assert [x.kind for x in rep.findings] == ["group_plan_unstructured"]
    assert rep.findings[0].links == [
        ("修改研修计划", reverse("groups:group_plan", args=[s.other_group.pk]))
    ]
    today = timezone.localdate()
    _plan_form(
        login(s.other_leader),
        s.other_group,
        points=[s.points[1]],
        months=[(f"{today:%Y-%m}", "研讨")],
    )
    assert leader_report(s, s.other_group, s.other_leader).findings == []


def test_the_group_plan_form_keeps_points_and_months_and_refuses_an_unreadable_month(s, cast):
    leader = login(s.leader)
    refused = _plan_form(leader, s.group, points=[s.points[0]], months=[("学期末", "总结")])
    assert refused.status_code == 200
    assert "请填写一个月份，如 2026-09" in refused.content.decode()
    s.group.refresh_from_db()
    assert s.group.plan_schedule == []
    day = timezone.localdate()
    _plan_form(
        leader,
        s.group,
        points=[s.points[0], s.points[1]],
        months=[(f"{day.year}年{day.month}月", "研讨")],
    )
    s.group.refresh_from_db()
    assert s.group.plan_schedule == [{"month": f"{day:%Y-%m}", "content": "研讨"}]
    assert set(s.group.plan_points.all()) == {s.points[0], s.points[1]}
    detail = leader.get(reverse("groups:detail", args=[s.group.pk])).content.decode()
    assert f"{day:%Y-%m}：研讨" in detail and s.points[1].code in detail


# The count on the home pages -------------------------------------------------------


def test_the_home_pages_show_the_count_and_link_to_the_page(s, cast):
    build(s, cast, month_activity=False, kinds=("discussion", "observation", "offline"))
    total = report(cast).total
    # Last month had no activity (for the 两案 and for 语文组's plan); no homework.
    assert total == 3
    for person in (cast.school_admin, cast.info_team):
        home = login(person).get(reverse("home")).content.decode()
        assert f"{total} 处不一致" in home
        assert reverse("activities:consistency") in home
    fa.activity(s, "homework", t=fa.topic(s), held_on=last_month_day())
    home = login(cast.school_admin).get(reverse("home")).content.decode()
    assert "未发现不一致" in home


# Who may see it; what it costs -------------------------------------------------


def test_the_permission_ladder_of_the_consistency_pages(s, cast, client):
    build(s, cast)
    school_url = reverse("activities:consistency")
    group_url = reverse("activities:group_consistency", args=[s.group.pk])
    for url in (school_url, group_url):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert login(cast.district_admin).get(url).status_code == 403
    for person in (cast.school_admin, cast.info_team):
        assert login(person).get(school_url).status_code == 200
    for person in (s.member, s.leader, cast.outsider):
        assert login(person).get(school_url).status_code == 403
    assert login(s.leader).get(group_url).status_code == 200
    assert login(s.member).get(group_url).status_code == 403  # a member, not its leader
    assert login(s.other_leader).get(group_url).status_code == 404
    assert login(cast.outsider).get(group_url).status_code == 404
    # The menu of both school roles leads there.
    for person in (cast.school_admin, cast.info_team):
        assert school_url in login(person).get(reverse("home")).content.decode()


def _groups(cast, n, points):
    """n live groups, each with a leader, a topic, two activities and a plan."""
    for i in range(n):
        leader = f.teacher(cast.school)
        group = ResearchGroup.objects.create(
            school=cast.school, name=f"第{i}组-{leader.pk}", leader=leader
        )
        GroupMember.objects.create(group=group, user=leader)
        group_plan_save(
            group=group,
            plan="计划",
            by=leader,
            points=points[:2],
            schedule=[{"month": f"{last_month_day():%Y-%m}", "content": "研讨"}],
        )
        setup = fa.Setup(group, leader, leader, leader, points, group, leader)
        topic = fa.topic(setup, points=points[i % 3 : i % 3 + 1])
        fa.activity(setup, "discussion", t=topic)
        fa.activity(setup, "homework", t=topic)


def test_the_page_and_the_home_cost_the_same_queries_at_5_and_20_groups(
    s, cast, django_assert_num_queries
):
    school_plan(cast, s.points[:2])
    admin = login(cast.school_admin)
    url = reverse("activities:consistency")
    _groups(cast, 5, s.points)
    admin.get(url)
    with CaptureQueriesContext(connection) as page:
        small = admin.get(url).context["report"]
    admin.get(reverse("home"))  # its first view computes the school's kept figures
    with CaptureQueriesContext(connection) as home:
        admin.get(reverse("home"))
    _groups(cast, 15, s.points)
    # session, user, role grants (one query), the cycle, then the report:
    # the plan, its points, the live groups, their published topics and the
    # topics' points, their activities, the groups' plan points; the unread count.
    with django_assert_num_queries(len(page.captured_queries)):
        large = admin.get(url).context["report"]
    with django_assert_num_queries(len(home.captured_queries)):
        admin.get(reverse("home"))
    assert len(large.groups) == len(small.groups) + 15
    assert large.total > small.total > 0


def test_a_plan_point_outside_the_theme_says_no_topic_can_aim_at_it(s, cast):
    build(s, cast)
    [outside] = catalogue_points("B2")
    school_plan(cast, [*s.points[:2], outside])
    finding = report(cast).school.findings[0]
    assert finding.kind == "plan_point_without_topic"
    assert "B2" in finding.message and "不是校本主题的关键能力点" in finding.message
    assert ("校本主题", reverse("groups:theme")) in finding.links
    school_plan(cast, s.points[:2])
    assert kinds_of(report(cast)) == []
