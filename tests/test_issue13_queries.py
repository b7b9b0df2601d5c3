"""Every new list page of issue 13 costs a fixed number of queries whatever its
size (README "Query counts"): each is opened at two sizes with the same count,
and the larger page shows the rows it grew by. REQUEST and UNREAD as in
tests/test_list_queries.py."""

import datetime

import pytest
from django.urls import reverse

from accounts.reminders import Due, reminders_send
from activities.models import Extension

from . import world as w
from .conftest import login
from .test_list_queries import REQUEST, UNREAD, as_role, body, teachers

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return w.build(cast)


@pytest.fixture
def fixed(django_assert_num_queries):
    """fixed(client, url, n, grow, count): as in tests/test_list_queries.py."""

    def check(client, url, n, grow, count):
        assert client.get(url).status_code == 200
        with django_assert_num_queries(n):
            small = client.get(url)
        grow()
        with django_assert_num_queries(n):
            large = client.get(url)
        assert count(body(large)) > count(body(small))

    return check


def _extend_and_remind(world, made, activity=None):
    """Extensions and reminders for the teachers just made, so the lists'
    per-row extras (the new date, "上次提醒") are all exercised."""
    cast = world.cast
    until = cast.cycle.ends_on + datetime.timedelta(days=5)
    Extension.objects.bulk_create(
        Extension(
            scope="activity" if activity else "materials",
            activity=activity,
            teacher=t,
            school=cast.school,
            cycle=cast.cycle,
            until=until,
            reason="病假",
            granted_by=cast.school_admin,
        )
        for t in made
    )
    kind = f"activity:{activity.pk}" if activity else f"cycle:{cast.cycle.pk}"
    reminders_send(items=[Due(t.pk, kind, "提醒") for t in made], by=cast.school_admin)


def test_an_activitys_members_who_have_not_completed(world, fixed):
    a = world.objects["homework"]
    s = world.s

    def grow():
        made = teachers(world.cast, 15, "未交老师", group=s.group)
        _extend_and_remind(world, made, activity=a)

    # + the activity (access helper), the members with their participation,
    #   their extensions, when each was last reminded, this activity's
    #   extension history (the template's first 20)
    fixed(
        login(s.leader),
        reverse("activities:activity_lacking", args=[a.pk]),
        REQUEST + UNREAD + 5,
        grow,
        lambda p: p.count("未交老师"),
    )


def test_the_schools_extension_list(world, fixed):
    cast = world.cast
    _extend_and_remind(world, teachers(cast, 2, "先延期", group=world.s.group))

    def grow():
        made = teachers(cast, 15, "延期老师", group=world.s.group)
        _extend_and_remind(world, made, activity=world.objects["discussion"])
        _extend_and_remind(world, made)

    # + the school (access helper), the cycle, the grants with teacher,
    #   activity, group and grantor (one query), the paginator's count
    fixed(
        login(cast.school_admin),
        reverse("activities:school_extensions"),
        REQUEST + UNREAD + 4,
        grow,
        lambda p: p.count("延期老师"),
    )


@pytest.mark.parametrize("query", ["", "?reason=plan", "?reason=evaluation&q=老师"])
def test_the_schools_who_lacks_what(world, fixed, query):
    cast = world.cast

    def grow():
        made = teachers(cast, 15, "缺项老师", group=world.s.group)
        _extend_and_remind(world, made)

    # + the school (access helper), the cycle, the groups for the filter, the
    #   page of teachers with everything they lack (one query), the paginator's
    #   count, their group names, when each was last reminded, the counts per
    #   reason (one aggregate)
    fixed(
        login(cast.school_admin),
        reverse("assessment:lacking") + query,
        REQUEST + UNREAD + 8,
        grow,
        lambda p: p.count("缺项老师"),
    )


def test_the_schools_who_lacks_what_export(world, fixed):
    cast = world.cast
    # + the school, the cycle, the groups, every teacher's group names, the
    #   teachers with what they lack (streamed); no navbar: a download
    fixed(
        login(cast.school_admin),
        reverse("assessment:lacking") + "?export=xlsx",
        REQUEST + 5,
        lambda: teachers(cast, 15, "导出缺项", group=world.s.group),
        lambda p: p.count("导出缺项"),
    )


def test_the_leaders_members_and_what_each_misses(world, fixed):
    cast, s = world.cast, world.s

    def grow():
        made = teachers(cast, 15, "组员缺项", group=s.group)
        _extend_and_remind(world, made)

    # + the cycle, the groups led (the filter), the members with what they
    #   lack (one query), the paginator's count, when each was last reminded
    fixed(
        as_role(s.leader, "leader", cast.school),
        reverse("assessment:leader_members"),
        REQUEST + UNREAD + 5,
        grow,
        lambda p: p.count("组员缺项"),
    )


def test_the_activitys_reminder_costs_the_same_for_3_and_30_members(
    world, django_assert_num_queries
):
    """提醒 to everyone not completed: a fixed number of queries too."""
    s = world.s
    a = world.objects["homework"]
    client = login(s.leader)
    url = reverse("activities:activity_remind", args=[a.pk])
    data = {"message": "{姓名}老师，请提交。", "everyone": "1"}
    # + the activity (access helper), the members, their extensions and last
    #   reminders; the savepoint, the reminders inserted and read back, the
    #   inbox insert, the release; the earlier reminders of those skipped (the
    #   message rides in a cookie: no session write)
    teachers(world.cast, 2, "早已提醒", group=s.group)
    client.post(url, data)  # these two are reminded today: skipped from now on
    for n, prefix in ((3, "三人"), (30, "三十人")):
        made = teachers(world.cast, n, prefix, group=s.group)
        with django_assert_num_queries(REQUEST + 10):
            client.post(url, data)
        assert all(m.notifications.filter(kind="reminder").exists() for m in made)
