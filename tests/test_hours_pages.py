"""The hours pages through real URLs: 我的学时, 组员学时, 教师学时 (+ .xlsx export).

Each walks the permission ladder (anonymous → login, wrong role → 403, another
school's object → 404, allowed → the figures) and costs a fixed number of
queries whatever the school's size.
"""

import io
import re
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.figures import school_figures_changed
from accounts.models import SchoolMembership, User
from accounts.roles import grants_for
from groups.models import AbilityPoint, GroupMember, ResearchGroup
from hours.models import HoursRegistration
from hours.services import hours_credit, hours_register_school, hours_reverse

from . import factories_acceptance as fx

pytestmark = pytest.mark.django_db

MINE = reverse("hours:mine")
GROUP = reverse("hours:group")
SCHOOL = reverse("hours:school")


def activity(school, name):
    # The ledger takes any row as a source; groups stand in for activities here.
    return ResearchGroup.objects.create(school=school, name=name)


def credit(cast, teacher, name, hours, category="教学研讨", points=()):
    return hours_credit(
        teacher=teacher,
        cycle=cast.cycle,
        school=cast.school,
        source=activity(cast.school, name),
        hours=hours,
        category=category,
        ability_points=points,
    )


@pytest.fixture
def group(cast):
    """语文组, led by teacher2, with both teachers as members."""
    g = ResearchGroup.objects.create(school=cast.school, name="语文组", leader=cast.teacher2)
    GroupMember.objects.create(group=g, user=cast.teacher)
    GroupMember.objects.create(group=g, user=cast.teacher2)
    return g


def grow_school(cast, group, n: int):
    """n more teachers in the school and the group, each credited 5 hours."""
    start = User.objects.count()
    users = User.objects.bulk_create(
        User(username=f"bulk{start + i}", real_name=f"批量教师{i:03d}") for i in range(n)
    )
    SchoolMembership.objects.bulk_create(
        SchoolMembership(user=u, school=cast.school) for u in users
    )
    # As the roster import does: the school's kept figures count the new teachers.
    school_figures_changed(school_ids=[cast.school.pk])
    GroupMember.objects.bulk_create(GroupMember(group=group, user=u) for u in users)
    source = activity(cast.school, f"全员活动{n}")
    for u in users:
        hours_credit(
            teacher=u,
            cycle=cast.cycle,
            school=cast.school,
            source=source,
            hours=5,
            category="研修作业",
        )


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# ---- 我的学时 ---------------------------------------------------------------


def test_anonymous_people_are_sent_to_login(client):
    for url in (MINE, GROUP, SCHOOL):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_a_teacher_sees_recorded_and_counted_hours_and_why_the_rest_does_not_count(cast, as_user):
    point = AbilityPoint.objects.first()
    for i in range(3):
        credit(cast, cast.teacher, f"研讨{i}", 10, points=[point])
    response = as_user(cast.teacher).get(MINE)
    body = response.content.decode()
    assert response.status_code == 200
    assert "25/25" in body
    assert 'id="recorded">30<' in body
    assert 'id="counted">25<' in body
    assert "另有 5 学时已记录但不计入" in body
    assert "教学研讨 × 3" in body
    assert point.code in body
    assert "未登记" in body


def test_a_reversed_credit_shows_as_history_and_no_longer_counts(cast, as_user):
    entry = credit(cast, cast.teacher, "研修作业一", 5, category="研修作业")
    hours_reverse(teacher=cast.teacher, source=entry.source, reason="作业已撤回")
    body = as_user(cast.teacher).get(MINE).content.decode()
    assert "0/25" in body
    assert "已撤销</span> 作业已撤回" in body
    assert "研修作业 ×" not in body


def test_a_teacher_sees_only_their_own_hours(cast, as_user):
    credit(cast, cast.teacher2, "王老师的活动", 5)
    body = as_user(cast.teacher).get(MINE).content.decode()
    assert "王老师的活动" not in body
    assert "0/25" in body


def test_a_school_admin_who_does_not_teach_has_no_hours_page(cast, as_user):
    assert as_user(cast.school_admin).get(MINE).status_code == 403


def test_registered_hours_show_as_registered(cast, as_user):
    credit(cast, cast.teacher, "研讨", 2)
    fx.passed(cast)
    hours_register_school(school=cast.school, cycle=cast.cycle, by=cast.district_admin)
    body = as_user(cast.teacher).get(MINE).content.decode()
    assert "已登记 2 学时" in body and "登记时记录 2 学时" in body


def test_the_teacher_home_shows_the_hours_bar(cast, as_user):
    credit(cast, cast.teacher, "研讨", 2)
    body = as_user(cast.teacher).get(reverse("home")).content.decode()
    assert 'id="home-hours"' in body and "2/25" in body


# ---- 组员学时 ---------------------------------------------------------------


def test_a_leader_sees_each_member_of_their_group(cast, as_user, group):
    credit(cast, cast.teacher, "研讨", 2)
    outside = ResearchGroup.objects.create(school=cast.school, name="数学组")
    GroupMember.objects.create(group=outside, user=cast.info_team)
    response = as_user(cast.teacher2).get(GROUP)
    body = response.content.decode()
    assert response.status_code == 200
    assert "语文组" in body and cast.teacher.real_name in body and "2/25" in body
    assert "数学组" not in body and cast.info_team.real_name not in body


def test_a_member_who_leads_no_group_may_not_see_the_group_page(cast, as_user, group):
    assert as_user(cast.teacher).get(GROUP).status_code == 403
    assert as_user(cast.outsider).get(GROUP).status_code == 403


# ---- 教师学时 ---------------------------------------------------------------


def test_the_school_admin_sees_every_teacher_with_filters(cast, as_user, group):
    for i in range(5):
        credit(cast, cast.teacher, f"作业{i}", 5)
    credit(cast, cast.info_team, "研讨", 2)
    client = as_user(cast.school_admin)
    body = client.get(SCHOOL).content.decode()
    for name in (cast.teacher.real_name, cast.teacher2.real_name, cast.info_team.real_name):
        assert name in body
    assert cast.outsider.real_name not in body

    below = client.get(SCHOOL, {"below": "1"}).content.decode()
    assert cast.teacher.real_name not in below and cast.info_team.real_name in below

    in_group = client.get(SCHOOL, {"group": group.pk}).content.decode()
    assert cast.teacher2.real_name in in_group and cast.info_team.real_name not in in_group


def test_the_leader_and_school_pages_show_counted_and_recorded_hours(cast, as_user, group):
    for i in range(6):
        credit(cast, cast.teacher, f"作业{i}", 5)
    for client, url in ((as_user(cast.teacher2), GROUP), (as_user(cast.school_admin), SCHOOL)):
        body = client.get(url).content.decode()
        assert "25/25" in body, url
        assert '30 <span class="text-muted small">(超出 5 不计入)</span>' in body, url


def test_another_schools_group_is_not_found(cast, as_user):
    theirs = ResearchGroup.objects.create(school=cast.other_school, name="外校组")
    assert as_user(cast.school_admin).get(SCHOOL, {"group": theirs.pk}).status_code == 404


def test_teachers_may_not_see_the_school_hours(cast, as_user):
    assert as_user(cast.teacher).get(SCHOOL).status_code == 403
    assert as_user(cast.outsider).get(SCHOOL).status_code == 403


def test_the_info_team_may_read_the_school_hours(cast, as_user):
    client = as_user(cast.info_team)
    client.post(reverse("accounts:role_switch"), {"role": f"info_team:{cast.school.pk}"})
    assert client.get(SCHOOL).status_code == 200


def test_the_export_lists_recorded_and_counted_hours(cast, as_user, group):
    for i in range(6):
        credit(cast, cast.teacher, f"作业{i}", 5)
    response = as_user(cast.school_admin).get(SCHOOL, {"export": "xlsx", "group": group.pk})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert quote(f"{cast.school.name}-教师学时.xlsx") in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {cast.teacher.real_name, cast.teacher2.real_name}
    assert by_name[cast.teacher.real_name][3:8] == ("语文组", 30, 25, 5, "是")
    assert by_name[cast.teacher2.real_name][4:8] == (0, 0, 0, "否")


# ---- fixed cost ---------------------------------------------------------------


def test_the_three_pages_cost_the_same_at_30_and_300_teachers(cast, as_user, group):
    teacher, leader, admin = (
        as_user(cast.teacher),
        as_user(cast.teacher2),
        as_user(cast.school_admin),
    )
    pages = [(teacher, MINE), (leader, GROUP), (admin, SCHOOL), (admin, SCHOOL + "?below=1")]
    for client, url in pages:  # warm the session and content-type caches
        client.get(url)

    grow_school(cast, group, 28)
    for i in range(3):
        credit(cast, cast.teacher, f"少量{i}", 2, points=AbilityPoint.objects.all()[:2])
    small = [queries(c, u) for c, u in pages]

    grow_school(cast, group, 270)
    for i in range(12):
        credit(cast, cast.teacher, f"大量{i}", 2, points=AbilityPoint.objects.all()[:2])
    large = [queries(c, u) for c, u in pages]

    assert small == large


def request_cost(user) -> int:
    """Queries every logged-in page pays: the session, the user, their role grants
    and the navbar's unread-message count."""
    with CaptureQueriesContext(connection) as ctx:
        grants_for(user)
    return 3 + len(ctx.captured_queries)


def test_what_each_page_queries(cast, as_user, group, django_assert_num_queries):
    grow_school(cast, group, 30)
    credit(cast, cast.teacher, "研讨", 2, points=AbilityPoint.objects.all()[:2])
    teacher, leader, admin = (
        as_user(cast.teacher),
        as_user(cast.teacher2),
        as_user(cast.school_admin),
    )
    for client, url in [(teacher, MINE), (leader, GROUP), (admin, SCHOOL)]:
        client.get(url)
    # cycle, ledger rows of every school (+ reversal, actor joined: other schools'
    # credits are counted from them), their ability points, summary, registration,
    # claims waiting
    with django_assert_num_queries(request_cost(cast.teacher) + 6):
        teacher.get(MINE)
    # cycle, the groups led, all their members with hours and registration (subqueries),
    # each group's summary and histogram (one grouped aggregate)
    with django_assert_num_queries(request_cost(cast.teacher2) + 4):
        leader.get(GROUP)
    # cycle, the school's kept figures (how many teachers, the summary and
    # histogram: one row), one page of teachers with hours, their group names,
    # the registration batch, the groups for the filter (the school is the
    # admin's grant: its id and name come with the roles)
    with django_assert_num_queries(request_cost(cast.school_admin) + 6):
        page = admin.get(SCHOOL).content.decode()
    assert "共 33 人" in page and "合计 33 人" in page
    # Filtered, the list counts and sums what it shows (not the kept figures).
    with django_assert_num_queries(request_cost(cast.school_admin) + 7):
        page = admin.get(SCHOOL, {"q": "批量教师"}).content.decode()
    assert "共 30 人" in page and "合计 30 人" in page


# ---- 我的学时: each credit explained ---------------------------------------------


def cells(body: str, label: str) -> list[str]:
    """The text of every element with data-label=`label` in the ledger list, in order."""
    ledger = body.split('id="entries"')[1].split("</ul>")[0]
    return [
        re.sub(r"<[^>]+>", "", c).strip()
        for c in re.findall(
            rf'data-label="{label}">(.*?)</(?:strong|span|div)>\s*(?:<|$)', ledger, re.S
        )
    ]


def test_each_credit_says_how_much_of_it_counts_toward_25(cast, as_user):
    for n, hours in enumerate([10, 10, 10, 2]):
        credit(cast, cast.teacher, f"活动{n}", hours)
    body = as_user(cast.teacher).get(MINE).content.decode()
    assert cells(body, "记录") == ["10", "10", "10", "2"]
    assert cells(body, "计入") == ["10", "10", "5", "0"]
    notes = cells(body, "说明")
    assert notes[2].startswith("部分计入") and "其中 5 学时超出 25，不计入" in notes[2]
    assert notes[3].startswith("不计入") and "已满 25 学时" in notes[3]
    assert "另有 7 学时已记录但不计入" in body


def test_a_reversed_credit_shows_its_reason_date_and_actor_and_frees_room(cast, as_user):
    first = credit(cast, cast.teacher, "作业一", 10, category="研修作业")
    for n in range(2):
        credit(cast, cast.teacher, f"作业{n + 2}", 10, category="研修作业")
    hours_reverse(teacher=cast.teacher, source=first.source, reason="作业已退回", by=cast.teacher2)
    body = as_user(cast.teacher).get(MINE).content.decode()
    assert cells(body, "计入") == ["0", "10", "10"]  # the later credits now count in full
    note = cells(body, "说明")[0]
    assert note.startswith("已撤销") and "作业已退回" in note
    assert cast.teacher2.display_name in note
    assert 'id="counted">20<' in body and "还需 5 学时" in body


def test_registered_hours_say_when_and_what_was_recorded_then(cast, as_user):
    for n in range(6):
        credit(cast, cast.teacher, f"作业{n}", 5)
    fx.passed(cast)
    hours_register_school(school=cast.school, cycle=cast.cycle)
    reg = HoursRegistration.objects.get(teacher=cast.teacher)
    body = as_user(cast.teacher).get(MINE).content.decode()
    assert "已登记 25 学时" in body and "登记时记录 30 学时" in body
    assert reg.registered_at.astimezone().strftime("%Y-%m-%d") in body
    assert "登记之后学时有变化" not in body


# ---- 组员学时: filters and export ------------------------------------------------


@pytest.fixture
def two_groups(cast, group):
    """teacher2 also leads 数学组, whose only member is the info-team teacher."""
    maths = ResearchGroup.objects.create(school=cast.school, name="数学组", leader=cast.teacher2)
    GroupMember.objects.create(group=maths, user=cast.info_team)
    return group, maths


def test_a_leader_filters_by_group_and_below_25(cast, as_user, two_groups):
    chinese, maths = two_groups
    for n in range(5):
        credit(cast, cast.teacher, f"作业{n}", 5)
    client = as_user(cast.teacher2)
    everyone = client.get(GROUP).content.decode()
    assert "语文组" in everyone and "数学组" in everyone
    only_maths = client.get(GROUP, {"group": maths.pk}).content.decode()
    assert cast.info_team.real_name in only_maths and cast.teacher.real_name not in only_maths
    below = client.get(GROUP, {"below": "1"}).content.decode()
    assert cast.teacher.real_name not in below and cast.teacher2.real_name in below


def test_a_leader_may_not_filter_by_a_group_they_do_not_lead(cast, as_user, group):
    theirs = ResearchGroup.objects.create(school=cast.school, name="英语组")
    elsewhere = ResearchGroup.objects.create(school=cast.other_school, name="外校组")
    client = as_user(cast.teacher2)
    assert client.get(GROUP, {"group": theirs.pk}).status_code == 404
    assert client.get(GROUP, {"group": elsewhere.pk, "export": "xlsx"}).status_code == 404


def export_rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(response.content)).active.values)


def no_full_id_numbers(rows, *users):
    text = " ".join(str(v) for row in rows for v in row if v is not None)
    for u in users:
        assert u.id_number and u.id_number not in text
        assert u.masked_id_number in text


def test_the_leaders_export_lists_their_members_with_masked_id_numbers(cast, as_user, two_groups):
    for n in range(6):
        credit(cast, cast.teacher, f"作业{n}", 5)
    rows = export_rows(as_user(cast.teacher2).get(GROUP, {"export": "xlsx"}))
    assert rows[0][:2] == ("姓名", "身份证号")
    by_name = {(r[0], r[3]): r for r in rows[1:]}
    assert set(by_name) == {
        (cast.teacher.real_name, "语文组"),
        (cast.teacher2.real_name, "语文组"),
        (cast.info_team.real_name, "数学组"),
    }
    assert by_name[(cast.teacher.real_name, "语文组")][4:8] == (30, 25, 5, "是")
    no_full_id_numbers(rows, cast.teacher, cast.teacher2, cast.info_team)
    below = export_rows(as_user(cast.teacher2).get(GROUP, {"export": "xlsx", "below": "1"}))
    assert cast.teacher.real_name not in {r[0] for r in below}


def test_the_school_export_never_holds_a_full_id_number(cast, as_user, group):
    rows = export_rows(as_user(cast.school_admin).get(SCHOOL, {"export": "xlsx"}))
    no_full_id_numbers(rows, cast.teacher, cast.teacher2, cast.info_team)


def test_filters_and_exports_cost_the_same_at_30_and_300_teachers(cast, as_user, two_groups):
    chinese, _ = two_groups
    leader, admin = as_user(cast.teacher2), as_user(cast.school_admin)
    pages = [
        (leader, GROUP + f"?group={chinese.pk}&below=1"),
        (leader, GROUP + "?export=xlsx"),
        (admin, SCHOOL + f"?group={chinese.pk}&below=1"),
        (admin, SCHOOL + "?export=xlsx"),
    ]
    for client, url in pages:
        client.get(url)
    grow_school(cast, chinese, 28)
    small = [queries(c, u) for c, u in pages]
    grow_school(cast, chinese, 270)
    large = [queries(c, u) for c, u in pages]
    assert small == large


def test_a_school_row_says_everything_on_a_phone_too_and_escapes_names(cast, as_user, group):
    """教师学时's rows are written by a tag (hours_tags.school_hours_row): the
    wide columns and the line a phone shows under the name say the same."""
    User.objects.filter(pk=cast.teacher2.pk).update(real_name="<b>王</b>老师")
    SchoolMembership.objects.filter(user=cast.teacher2).update(subject="")
    for i in range(6):
        credit(cast, cast.teacher, f"作业{i}", 5)
    body = as_user(cast.school_admin).get(SCHOOL).content.decode()
    assert "&lt;b&gt;王&lt;/b&gt;老师" in body and "<b>王</b>" not in body
    assert f"— · {group.name} · 记录 0 · 未登记" in body  # teacher2: no subject, no hours
    assert "· 记录 30（超出 5 不计入） · 未登记" in body
    assert '<td class="d-none d-md-table-cell">未加入</td>' in body  # the info team member
