"""调岗移除: the school admin removes a transferred teacher after a confirmation
that says what will be cleared; the audit row is visible to the school and its
district."""

import pytest
from django.urls import reverse

from accounts.models import SchoolMembership
from accounts.roles import Role, grants_for
from groups.models import GroupMember, TeacherRemoval

pytest_plugins = ["tests.fixtures_groups"]  # `grouped`

pytestmark = pytest.mark.django_db


def place(user):
    return SchoolMembership.objects.get(user=user, removed_at__isnull=True)


def test_confirmation_says_what_will_be_cleared(cast, as_user, grouped):
    url = reverse("hours:teacher_remove", args=[place(cast.teacher).pk])
    response = as_user(cast.school_admin).get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "教研组成员身份：语文组" in text
    assert "教研组长职务：语文组" in text
    assert "暂无学时记录" in text
    assert "活动参与、个人提升计划与能力点总结不再计入" in text
    assert cast.teacher.id_number not in text and cast.teacher.masked_id_number in text


def test_school_admin_removes_a_transferred_teacher(cast, as_user, grouped):
    membership = place(cast.teacher)
    url = reverse("hours:teacher_remove", args=[membership.pk])
    client = as_user(cast.school_admin)
    response = client.post(url, {"reason": "调往霞山区第二小学", "confirm": "on"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.removed_at is not None
    assert not GroupMember.objects.filter(user=cast.teacher).exists()
    grouped.chinese.refresh_from_db()
    assert grouped.chinese.leader is None
    assert Role.LEADER not in {g.role for g in grants_for(cast.teacher)}
    removal = TeacherRemoval.objects.get()
    assert (removal.teacher, removal.by, removal.school) == (
        cast.teacher,
        cast.school_admin,
        cast.school,
    )
    assert removal.reason == "调往霞山区第二小学"
    assert removal.cleared["groups"] == ["语文组"]
    assert removal.cleared["led_groups"] == ["语文组"]
    listing = client.get(reverse("groups:removals")).content.decode()
    assert "李老师" in listing and "调往霞山区第二小学" in listing
    # Nothing else is lost: the other members stay.
    assert GroupMember.objects.filter(group=grouped.chinese, user=cast.teacher2).exists()


def test_removal_needs_a_reason_and_the_tick(cast, as_user, grouped):
    url = reverse("hours:teacher_remove", args=[place(cast.teacher).pk])
    response = as_user(cast.school_admin).post(url, {"reason": "", "confirm": ""})
    text = response.content.decode()
    assert "请填写移除原因" in text and "请勾选确认后再移除" in text
    assert place(cast.teacher).removed_at is None
    assert not TeacherRemoval.objects.exists()


def test_a_removed_teacher_cannot_be_removed_twice(cast, as_user, grouped):
    membership = place(cast.teacher)
    url = reverse("hours:teacher_remove", args=[membership.pk])
    client = as_user(cast.school_admin)
    client.post(url, {"reason": "调岗", "confirm": "on"})
    assert client.post(url, {"reason": "调岗", "confirm": "on"}).status_code == 404
    assert TeacherRemoval.objects.count() == 1


def test_school_admin_cannot_remove_themselves(cast, as_user):
    url = reverse("hours:teacher_remove", args=[place(cast.school_admin).pk])
    response = as_user(cast.school_admin).post(url, {"reason": "x", "confirm": "on"})
    assert "不能移除自己" in response.content.decode()
    assert place(cast.school_admin).removed_at is None


def test_removal_ladder(client, cast, as_user, grouped):
    url = reverse("hours:teacher_remove", args=[place(cast.teacher).pk])
    data = {"reason": "调岗", "confirm": "on"}
    assert client.post(url, data).url.startswith(reverse("accounts:login"))
    for who in (cast.teacher2, cast.info_team, cast.district_admin):
        assert as_user(who).post(url, data).status_code == 403
    # A teacher of another school looks missing to this school's admin.
    outsider_url = reverse("hours:teacher_remove", args=[place(cast.outsider).pk])
    assert as_user(cast.school_admin).post(outsider_url, data).status_code == 404
    assert place(cast.outsider).removed_at is None
    assert not TeacherRemoval.objects.exists()


def test_search_offers_teachers_to_remove(cast, as_user):
    response = as_user(cast.school_admin).get(reverse("groups:removals"), {"q": "李"})
    assert [m.user for m in response.context["candidates"]] == [cast.teacher]


def test_district_sees_the_removals_of_its_schools_only(cast, as_user, grouped):
    admin = as_user(cast.school_admin)
    admin.post(
        reverse("hours:teacher_remove", args=[place(cast.teacher2).pk]),
        {"reason": "调往外区", "confirm": "on"},
    )
    response = as_user(cast.district_admin).get(reverse("groups:district_removals"))
    assert response.status_code == 200
    assert [r.teacher for r in response.context["page"]] == [cast.teacher2]
    other = as_user(cast.other_district_admin).get(reverse("groups:district_removals"))
    assert list(other.context["page"]) == []
    assert as_user(cast.teacher).get(reverse("groups:district_removals")).status_code == 403
    assert as_user(cast.operator).get(reverse("groups:district_removals")).status_code == 200


def test_removal_list_costs_the_same_queries_at_any_size(cast, as_user, django_assert_num_queries):
    from groups.services import teacher_remove

    from . import factories as f

    client = as_user(cast.school_admin)
    client.get(reverse("groups:removals"))

    def remove(n):
        for _ in range(n):
            t = f.teacher(cast.school)
            teacher_remove(membership=place(t), by=cast.school_admin, reason="调岗")

    remove(2)
    # session, user, role grants (one query), school, count, page,
    # unread messages
    with django_assert_num_queries(7):
        client.get(reverse("groups:removals"))
    remove(30)
    with django_assert_num_queries(7):
        client.get(reverse("groups:removals"))


def test_the_audit_list_says_plainly_when_nothing_was_cleared(cast, as_user):
    from . import factories as f

    lone = f.teacher(cast.school, "未分组老师")
    url = reverse("hours:teacher_remove", args=[place(lone).pk])
    as_user(cast.school_admin).post(url, {"reason": "调岗", "confirm": "on"})
    for who, name in (
        (cast.school_admin, "groups:removals"),
        (cast.district_admin, "groups:district_removals"),
    ):
        text = as_user(who).get(reverse(name)).content.decode()
        assert "未分组老师" in text and "无（未加入教研组，无学时记录）" in text
        assert lone.id_number not in text and lone.masked_id_number in text
