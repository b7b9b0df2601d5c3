"""Pictures of hours, where people would rather look than read: the school's and
the leader's home show how many teachers reached 25 hours, are under way, have
not started; 教师学时 and 组员学时 sort by hours, end with a summary row and show
how counted hours spread. Every figure comes from the ledger's selectors and
is on the page in text as well as in the chart's data."""

import html
import io
import itertools
import json
import re
from urllib.parse import parse_qs

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.figures import school_figures_changed
from accounts.models import SchoolMembership, User
from groups.models import GroupMember, ResearchGroup
from hours.selectors import (
    group_members_hours,
    groups_hours_stats,
    hours_stats,
    school_hours,
    school_hours_stats,
)
from hours.services import hours_credit

pytestmark = pytest.mark.django_db

GROUP = reverse("hours:group")
SCHOOL = reverse("hours:school")
HOME = reverse("home")


_n = itertools.count()


def credit(cast, teacher, hours: int):
    # The ledger takes any row as a source; a group stands in for an activity.
    source = ResearchGroup.objects.create(school=cast.school, name=f"活动{next(_n)}")
    hours_credit(
        teacher=teacher,
        cycle=cast.cycle,
        school=cast.school,
        source=source,
        hours=hours,
        category="研修作业",
    )


@pytest.fixture
def hours(cast):
    """语文组 (led by teacher2): teacher has 30 recorded (25 count), teacher2 7;
    the info-team teacher, in no group, has none."""
    group = ResearchGroup.objects.create(school=cast.school, name="语文组", leader=cast.teacher2)
    for user in (cast.teacher, cast.teacher2):
        GroupMember.objects.create(group=group, user=user)
    for _ in range(3):
        credit(cast, cast.teacher, 10)
    credit(cast, cast.teacher2, 7)
    return group


def grow(cast, group, n: int, hours: int = 5):
    """n more teachers of the school and the group, each credited `hours`."""
    start = User.objects.count()
    users = User.objects.bulk_create(
        User(username=f"more{start + i}", real_name=f"加入教师{start + i:04d}") for i in range(n)
    )
    SchoolMembership.objects.bulk_create(
        SchoolMembership(user=u, school=cast.school) for u in users
    )
    # As the roster import does: the school's kept figures count the new teachers.
    school_figures_changed(school_ids=[cast.school.pk])
    GroupMember.objects.bulk_create(GroupMember(group=group, user=u) for u in users)
    source = ResearchGroup.objects.create(school=cast.school, name=f"全员活动{next(_n)}")
    for u in users:
        hours_credit(
            teacher=u,
            cycle=cast.cycle,
            school=cast.school,
            source=source,
            hours=hours,
            category="研修作业",
        )


def names_in(body: str, table_id: str = "hours") -> list[str]:
    table = body.split(f'id="{table_id}"', 1)[1] if table_id else body
    tbody = table.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>\s*<td>([^<\n]+)", tbody)


def chart_data(body: str, element_id: str) -> dict:
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', body)
    assert found, f"no chart data #{element_id}"
    return json.loads(found.group(1))


# ---- sorting ---------------------------------------------------------------


def test_the_school_list_sorts_by_hours_both_ways(cast, as_user, hours):
    client = as_user(cast.school_admin)
    by_name = names_in(client.get(SCHOOL).content.decode())
    fewest = names_in(client.get(SCHOOL, {"sort": "hours"}).content.decode())
    most = names_in(client.get(SCHOOL, {"sort": "-hours"}).content.decode())
    t, t2, info = cast.teacher.real_name, cast.teacher2.real_name, cast.info_team.real_name
    assert fewest == [info, t2, t]
    assert most == [t, t2, info]
    assert sorted(by_name) == sorted(most)
    # Anything else is the default order, not an error.
    assert names_in(client.get(SCHOOL, {"sort": "password"}).content.decode()) == by_name


def test_sorting_keeps_the_filters_and_the_pages(cast, as_user, hours):
    grow(cast, hours, 60, hours=3)
    client = as_user(cast.school_admin)
    body = client.get(SCHOOL, {"group": hours.pk, "below": "1", "sort": "-hours"}).content.decode()
    listed = names_in(body)
    assert listed[0] == cast.teacher2.real_name  # 7 hours, the most of those below 25
    assert cast.teacher.real_name not in listed and cast.info_team.real_name not in listed
    # The column header's link flips the order and keeps the filters...
    link = html.unescape(re.search(r'class="sort-link" href="([^"]*)"', body).group(1))
    assert parse_qs(link[1:]) == {"group": [str(hours.pk)], "below": ["1"], "sort": ["hours"]}
    # ...and the next page keeps the order.
    assert "sort=-hours&page=2" in body
    page2 = client.get(SCHOOL, {"group": hours.pk, "sort": "-hours", "page": 2}).content.decode()
    assert names_in(page2) and all(name.startswith("加入教师") for name in names_in(page2))


def test_the_school_export_follows_the_order_shown(cast, as_user, hours):
    response = as_user(cast.school_admin).get(SCHOOL, {"sort": "hours", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert [r[0] for r in rows[1:]] == [
        cast.info_team.real_name,
        cast.teacher2.real_name,
        cast.teacher.real_name,
    ]


def test_the_leader_list_sorts_by_hours_within_each_group(cast, as_user, hours):
    maths = ResearchGroup.objects.create(school=cast.school, name="数学组", leader=cast.teacher2)
    GroupMember.objects.create(group=maths, user=cast.info_team)
    GroupMember.objects.create(group=maths, user=cast.teacher)
    client = as_user(cast.teacher2)
    body = client.get(GROUP, {"sort": "-hours"}).content.decode()
    sections = body.split('class="mb-4 group-hours"')[1:]
    assert [names_in(s, table_id="") for s in sections] == [
        [cast.teacher.real_name, cast.info_team.real_name],  # 数学组 first (by name)
        [cast.teacher.real_name, cast.teacher2.real_name],
    ]
    body = client.get(GROUP, {"sort": "hours", "group": maths.pk}).content.decode()
    assert names_in(body, table_id="") == [cast.info_team.real_name, cast.teacher.real_name]


# ---- summary row and histogram ---------------------------------------------------


def test_the_school_list_ends_with_a_summary_of_every_teacher_listed(cast, as_user, hours):
    grow(cast, hours, 60, hours=5)  # two pages of 50
    body = as_user(cast.school_admin).get(SCHOOL).content.decode()
    summary = body.split('id="hours-summary"')[1].split("</tr>")[0]
    # 63 teachers: 25 (of 30) + 7 + 0 + 60 × 5 = 332 counted hours, 5.3 on average
    assert "合计 63 人" in summary
    assert "平均计入 <strong>5.3</strong> 学时" in summary
    assert "已满 25 学时 <strong>1</strong> 人" in summary


def test_the_school_list_shows_how_counted_hours_spread(cast, as_user, hours):
    grow(cast, hours, 4, hours=12)
    body = as_user(cast.school_admin).get(SCHOOL).content.decode()
    chart = chart_data(body, "hours-histogram")
    assert chart["kind"] == "histogram"
    assert chart["categories"] == ["0", "1–5", "6–10", "11–15", "16–20", "21–24", "25"]
    assert chart["series"][0]["data"] == [1, 0, 1, 4, 0, 0, 1]
    # The same figures in words, for screen readers and without JavaScript.
    assert "11–15 学时：<strong>4</strong> 人" in body
    assert 'data-chart="hours-histogram"' in body and "js/charts.js" in body


def test_the_summary_follows_the_filters(cast, as_user, hours):
    body = as_user(cast.school_admin).get(SCHOOL, {"below": "1"}).content.decode()
    summary = body.split('id="hours-summary"')[1].split("</tr>")[0]
    assert "合计 2 人" in summary and "平均计入 <strong>3.5</strong> 学时" in summary


def test_the_leader_list_has_a_summary_and_histogram_per_group(cast, as_user, hours):
    body = as_user(cast.teacher2).get(GROUP).content.decode()
    summary = body.split('class="table-light group-summary"')[1].split("</tr>")[0]
    assert "合计 2 人" in summary and "平均计入 <strong>16.0</strong> 学时" in summary
    assert "已满 25 学时 <strong>1</strong> 人" in summary
    chart = chart_data(body, f"hist-{hours.pk}")
    assert chart["series"][0]["data"] == [0, 0, 1, 0, 0, 0, 1]


# ---- home pages -------------------------------------------------------------------


def test_the_school_home_shows_who_reached_25_hours_is_under_way_or_not_started(
    cast, as_user, hours
):
    for user in (cast.school_admin, cast.info_team):
        client = as_user(user)
        if user == cast.info_team:
            client.post(reverse("accounts:role_switch"), {"role": f"info_team:{cast.school.pk}"})
        body = client.get(HOME).content.decode()
        figures = body.split('class="list-unstyled mb-0 hours-progress-figures"')[1].split("</ul>")[
            0
        ]
        assert (
            "共 3 人 · 已满 25 学时 <strong>1</strong> 人 · 进行中 <strong>1</strong> 人" in figures
        )
        assert "未开始 <strong>1</strong> 人" in figures
        chart = chart_data(body, "hours-progress-chart")
        assert chart["kind"] == "stacked"
        assert [s["data"] for s in chart["series"]] == [[1], [1], [1]]
        assert [s["name"] for s in chart["series"]] == ["已满 25 学时", "进行中", "未开始"]


def test_the_leader_home_shows_the_same_for_each_of_their_groups(cast, as_user, hours):
    maths = ResearchGroup.objects.create(school=cast.school, name="数学组", leader=cast.teacher2)
    GroupMember.objects.create(group=maths, user=cast.info_team)
    body = as_user(cast.teacher2).get(HOME).content.decode()
    chart = chart_data(body, "hours-progress-chart")
    assert chart["categories"] == ["数学组", "语文组"]
    assert [s["data"] for s in chart["series"]] == [[0, 1], [0, 1], [1, 0]]
    assert "<strong>语文组</strong>：共 2 人 · 已满 25 学时 <strong>1</strong> 人" in body
    # Another leader's group is not on this page.
    other = ResearchGroup.objects.create(school=cast.school, name="英语组", leader=cast.teacher)
    GroupMember.objects.create(group=other, user=cast.teacher)
    assert "英语组" not in as_user(cast.teacher2).get(HOME).content.decode()


# ---- the ledger's selectors cost one query whatever the size ----------------------


def one_query_each(cast, group) -> list[int]:
    calls = [
        lambda: school_hours_stats(school_id=cast.school.pk, cycle=cast.cycle),
        lambda: groups_hours_stats(groups=[group], cycle=cast.cycle),
        lambda: hours_stats(rows=school_hours(school_id=cast.school.pk, cycle=cast.cycle)),
        lambda: hours_stats(rows=group_members_hours(groups=[group], cycle=cast.cycle)),
    ]
    counts = []
    for call in calls:
        with CaptureQueriesContext(connection) as ctx:
            call()
        counts.append(len(ctx.captured_queries))
    return counts


def test_the_stats_cost_one_query_at_30_and_300_teachers(cast, hours):
    grow(cast, hours, 27)
    assert school_hours_stats(school_id=cast.school.pk, cycle=cast.cycle).count == 30
    small = one_query_each(cast, hours)
    grow(cast, hours, 270, hours=26)
    stats = school_hours_stats(school_id=cast.school.pk, cycle=cast.cycle)
    assert stats.count == 300 and stats.complete == 271
    assert small == one_query_each(cast, hours) == [1, 1, 1, 1]


def page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_sorted_lists_and_home_pages_cost_the_same_at_30_and_300_teachers(cast, as_user, hours):
    leader, admin = as_user(cast.teacher2), as_user(cast.school_admin)
    pages = [
        (leader, GROUP + "?sort=-hours"),
        (leader, HOME),
        (admin, SCHOOL + f"?sort=hours&group={hours.pk}"),
        (admin, SCHOOL + "?sort=-hours&below=1&page=2"),
        (admin, HOME),
    ]
    for client, url in pages:  # the session is written on the first request
        client.get(url)
    grow(cast, hours, 27)
    small = [page_queries(c, u) for c, u in pages]
    grow(cast, hours, 270, hours=9)
    assert small == [page_queries(c, u) for c, u in pages]
