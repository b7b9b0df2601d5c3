"""The school's group list: search, filters and the Excel export (DESIGN §4)."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import SchoolMembership
from groups.models import GroupMember

from . import factories as f
from .factories_groups import group

pytest_plugins = ["tests.fixtures_groups"]  # `grouped`

pytestmark = pytest.mark.django_db


def listed(client, **params) -> list[str]:
    return [g.name for g in client.get(reverse("groups:list"), params).context["groups"]]


def sheets(response) -> dict[str, list[list]]:
    wb = load_workbook(io.BytesIO(response.content), read_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_school_admin_searches_groups_by_group_or_leader_name(cast, as_user, grouped):
    client = as_user(cast.school_admin)
    assert listed(client) == ["数学组", "语文组"]
    assert listed(client, q="语文") == ["语文组"]
    assert listed(client, q="数学组长") == ["数学组"]  # the leader's name
    assert listed(client, q="外校") == []  # another school's group is never listed
    assert (
        "没有符合条件的教研组" in client.get(reverse("groups:list"), {"q": "物理"}).content.decode()
    )


def test_filters_show_groups_without_a_leader_or_a_plan(cast, as_user, grouped):
    group(cast.school, "英语组")  # no leader
    grouped.chinese.plan = "专题一"
    grouped.chinese.save(update_fields=["plan"])
    client = as_user(cast.school_admin)
    assert listed(client, status="no_leader") == ["英语组"]
    assert listed(client, status="no_plan") == ["数学组", "英语组"]
    assert listed(client, status="unknown") == ["数学组", "英语组", "语文组"]


def test_search_in_the_archived_tab_lists_only_archived_groups(cast, as_user, grouped):
    grouped.maths.archived_at = timezone.now()
    grouped.maths.save(update_fields=["archived_at"])
    client = as_user(cast.school_admin)
    assert listed(client, q="组") == ["语文组"]
    assert listed(client, q="组", archived="1") == ["数学组"]
    # The progress line counts live groups only, whatever the filter.
    page = client.get(reverse("groups:list"), {"archived": "1"}).content.decode()
    assert "共组建 1 个教研组" in page


def test_export_holds_groups_members_and_teachers_in_no_group(cast, as_user, grouped):
    f.teacher(cast.school, "未分组老师", subject="英语")
    response = as_user(cast.school_admin).get(reverse("groups:list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    assert "attachment" in response["Content-Disposition"]
    book = sheets(response)
    assert list(book) == ["教研组", "组员", "未加入教研组的教师"]
    assert book["教研组"][0] == ["教研组", "教研组长", "组长手机号", "人数", "研修计划", "状态"]
    assert [r[0] for r in book["教研组"][1:]] == ["数学组", "语文组"]
    chinese = book["教研组"][2]
    assert (chinese[1], chinese[3], chinese[4], chinese[5]) == ("李老师", 2, "未制定", "在用")
    members = {(r[0], r[1]) for r in book["组员"][1:]}
    assert members == {("数学组", "数学组长"), ("语文组", "李老师"), ("语文组", "王老师")}
    assert book["组员"][-1][:2] == ["语文组", "王老师"] and book["组员"][-1][3] == "数学"
    without = {r[0] for r in book["未加入教研组的教师"][1:]}
    assert without == {"信息组老师", "未分组老师"}
    # ID numbers never leave the platform through this list, not even masked.
    flat = repr(book)
    assert cast.teacher.id_number not in flat and "外校" not in flat


def test_export_follows_the_search_and_skips_archived_groups(cast, as_user, grouped):
    grouped.maths.archived_at = timezone.now()
    grouped.maths.save(update_fields=["archived_at"])
    client = as_user(cast.info_team)  # the info team reads and exports too
    book = sheets(client.get(reverse("groups:list"), {"export": "xlsx"}))
    assert [r[0] for r in book["教研组"][1:]] == ["语文组"]
    assert {r[0] for r in book["组员"][1:]} == {"语文组"}
    # 数学组长 is only in the archived group: they count as in no group.
    assert "数学组长" in {r[0] for r in book["未加入教研组的教师"][1:]}
    book = sheets(client.get(reverse("groups:list"), {"export": "xlsx", "q": "数学"}))
    assert book["教研组"][1:] == []


@pytest.mark.parametrize("who", ["teacher", "district_admin", "outsider"])
def test_export_is_refused_to_other_roles(cast, as_user, grouped, who):
    response = as_user(getattr(cast, who)).get(reverse("groups:list"), {"export": "xlsx"})
    assert response.status_code == 403


def test_export_needs_login(client, cast):
    response = client.get(reverse("groups:list"), {"export": "xlsx"})
    assert response.url.startswith(reverse("accounts:login"))


def test_export_gives_each_member_once_with_the_subject_of_their_place_here(cast, as_user, grouped):
    """The member sheet joins each member's active place in this school (one
    row per member): a place they held before at another school, with another
    subject, neither repeats them nor lends its subject."""
    moved = f.person("调入老师")
    SchoolMembership.objects.create(
        user=moved,
        school=cast.other_school,
        is_teacher=True,
        subject="体育",
        removed_at=timezone.now() - timedelta(days=30),
    )
    SchoolMembership.objects.create(user=moved, school=cast.school, is_teacher=True, subject="音乐")
    GroupMember.objects.create(group=grouped.chinese, user=moved)
    book = sheets(as_user(cast.school_admin).get(reverse("groups:list"), {"export": "xlsx"}))
    rows = [r for r in book["组员"][1:] if r[1] == "调入老师"]
    assert rows == [["语文组", "调入老师", moved.phone, "音乐", None]]
    leader = next(r for r in book["组员"][1:] if r[1] == cast.teacher.real_name)
    assert leader[4] == "是"
