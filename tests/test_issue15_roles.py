"""Every request reads the person's roles once, in one query, fresh from the
tables (issue 15): it costs the same however many roles they hold, and whoever
loses a role has lost it on their very next request — a removed teacher, a
demoted school admin, a replaced leader — however the change was made."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import RegionRole, SchoolMembership
from groups.models import ResearchGroup

from .conftest import login
from .factories_groups import group
from .test_list_queries import REQUEST, UNREAD

pytestmark = pytest.mark.django_db

PASSWORD = reverse("accounts:password_change")
ROLE_LABELS = ["教育局管理员", "考核专家", "学校管理员", "信息化管理团队", "教研组长", "教师"]


def place(user):
    return SchoolMembership.objects.get(user=user, removed_at__isnull=True)


def test_the_roles_cost_one_query_for_one_role_or_many(cast, django_assert_num_queries):
    many = cast.school_admin
    SchoolMembership.objects.filter(user=many).update(is_teacher=True, is_info_team=True)
    RegionRole.objects.create(user=many, region=cast.district, kind="expert")
    RegionRole.objects.create(user=many, region=cast.other_district, kind="district_admin")
    for name in ("一组", "二组", "三组"):
        group(cast.school, name, leader=many)
    for user, roles in (
        (cast.teacher, ["教师"]),
        (many, ["教育局管理员", "考核专家", "学校管理员", "信息化管理团队", "教研组长", "教师"]),
    ):
        client = login(user)
        client.get(PASSWORD)  # the session is written on the first request
        # session, user, the role grants (one query), the navbar's unread count
        with django_assert_num_queries(REQUEST + UNREAD):
            page = client.get(PASSWORD).content.decode()
        # The navbar names each role held, 教研组长 once for three groups.
        assert [label for label in ROLE_LABELS if f">{label} · " in page] == roles
        assert page.count(">教研组长 · ") == (1 if user == many else 0)


def test_a_teacher_removed_from_the_school_loses_their_pages_at_once(cast):
    teacher = login(cast.teacher)
    assert teacher.get(reverse("hours:mine")).status_code == 200
    admin = login(cast.school_admin)
    url = reverse("hours:teacher_remove", args=[place(cast.teacher).pk])
    assert admin.post(url, {"reason": "调往外校", "confirm": "on"}).status_code == 302
    assert teacher.get(reverse("hours:mine")).status_code == 403
    assert teacher.get(reverse("activities:mine")).status_code == 403
    home = teacher.get(reverse("home"))
    assert home.status_code == 200, home
    assert "你已从赤坎第一小学调岗移除" in home.content.decode()  # the no-role page says why


def test_a_school_admin_demoted_in_the_admin_loses_the_school_pages_at_once(cast):
    admin = login(cast.school_admin)
    assert admin.get(reverse("accounts:roster")).status_code == 200
    membership = place(cast.school_admin)
    change = reverse("admin:accounts_schoolmembership_change", args=[membership.pk])
    joined = membership.joined_at.astimezone()
    response = login(cast.operator).post(
        change,
        {
            "user": cast.school_admin.pk,
            "school": cast.school.pk,
            "is_teacher": "on",  # stays as a teacher, no longer the school admin
            "is_full_time": "on",
            "joined_at_0": joined.strftime("%Y-%m-%d"),
            "joined_at_1": joined.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert admin.get(reverse("accounts:roster")).status_code == 403
    assert admin.get(reverse("hours:mine")).status_code == 200  # now a teacher


def test_a_role_taken_away_by_a_bulk_update_is_gone_on_the_next_request(cast):
    """No cache to forget to clear: even an update that sends no signal shows."""
    admin = login(cast.school_admin)
    assert admin.get(reverse("hours:school")).status_code == 200
    SchoolMembership.objects.filter(user=cast.school_admin).update(is_school_admin=False)
    assert admin.get(reverse("hours:school")).status_code == 403
    district = login(cast.district_admin)
    assert district.get(reverse("hours:district")).status_code == 200
    RegionRole.objects.filter(user=cast.district_admin).delete()
    assert district.get(reverse("hours:district")).status_code == 403


def test_a_replaced_leader_loses_the_group_at_once(cast):
    chinese = group(cast.school, "语文组", leader=cast.teacher, members=[cast.teacher2])
    old = login(cast.teacher)
    add = reverse("groups:member_add", args=[chinese.pk])
    assert old.get(add).status_code == 200
    admin = login(cast.school_admin)
    edit = reverse("groups:edit", args=[chinese.pk])
    assert admin.post(edit, {"name": "语文组", "leader": cast.teacher2.pk}).status_code == 302
    assert old.get(add).status_code == 403  # no longer 教研组长 anywhere
    assert login(cast.teacher2).get(add).status_code == 200
    # Leading another group, the old leader is 教研组长 again, but of that one:
    # this group (they are still a member) is not theirs to manage.
    maths = ResearchGroup.objects.create(school=cast.school, name="数学组", leader=cast.teacher)
    assert old.get(add).status_code == 403
    assert old.get(reverse("groups:member_add", args=[maths.pk])).status_code == 200


def test_a_leader_whose_place_ended_outside_the_removal_leads_no_more(cast):
    """调岗移除 hands a leader's groups back, and the operator's admin may not
    delete a place that carries a group (tests/test_attack13.py). Should a
    place end any other way, the role still needs an active place in the
    group's school: the former teacher's next request has no 教研组长 role,
    and the group's pages refuse them."""
    chinese = group(cast.school, "语文组", leader=cast.teacher)
    teacher = login(cast.teacher)
    assert teacher.get(reverse("groups:detail", args=[chinese.pk])).status_code == 200

    SchoolMembership.objects.filter(user=cast.teacher).update(removed_at=timezone.now())
    assert ResearchGroup.objects.get(pk=chinese.pk).leader == cast.teacher  # still named

    page = teacher.get(PASSWORD).content.decode()
    assert "教研组长" not in page
    assert teacher.get(reverse("groups:detail", args=[chinese.pk])).status_code in (302, 403)
