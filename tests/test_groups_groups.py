"""教研组: the school admin creates, renames, archives and assigns leaders; the
leader manages members and writes the group plan. Every rule through its URL."""

import pytest
from django.urls import reverse

from accounts.roles import Role, grants_for
from groups.models import GroupMember, ResearchGroup

from . import factories as f

pytest_plugins = ["tests.fixtures_groups"]  # `grouped`

pytestmark = pytest.mark.django_db


def members_of(group):
    return set(GroupMember.objects.filter(group=group).values_list("user__real_name", flat=True))


# ---- the school admin's part ---------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client, grouped):
    for url in (
        reverse("groups:list"),
        reverse("groups:create"),
        reverse("groups:detail", args=[grouped.chinese.pk]),
        reverse("groups:member_add", args=[grouped.chinese.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_school_admin_creates_a_group_and_its_leader_gets_the_role(cast, as_user):
    client = as_user(cast.school_admin)
    assert client.get(reverse("groups:create")).status_code == 200
    response = client.post(reverse("groups:create"), {"name": "英语组", "leader": cast.teacher2.pk})
    assert response.status_code == 302
    group = ResearchGroup.objects.get(school=cast.school, name="英语组")
    assert group.leader == cast.teacher2
    assert members_of(group) == {"王老师"}  # the leader is one of the members
    assert Role.LEADER in {g.role for g in grants_for(cast.teacher2)}


@pytest.mark.parametrize("who", ["teacher", "info_team", "district_admin", "outsider"])
def test_only_the_school_admin_creates_groups(cast, as_user, who):
    response = as_user(getattr(cast, who)).post(reverse("groups:create"), {"name": "偷建组"})
    assert response.status_code == 403
    assert not ResearchGroup.objects.filter(name="偷建组").exists()


def test_a_leader_must_be_a_teacher_of_the_school(cast, as_user):
    response = as_user(cast.school_admin).post(
        reverse("groups:create"), {"name": "外援组", "leader": cast.outsider.pk}
    )
    assert response.status_code == 200
    assert "教研组长须是本校在职教师" in response.content.decode()
    assert not ResearchGroup.objects.filter(name="外援组").exists()


def test_two_live_groups_of_a_school_cannot_share_a_name(cast, as_user, grouped):
    response = as_user(cast.school_admin).post(reverse("groups:create"), {"name": "语文组"})
    assert response.status_code == 200
    assert "本校已有名为“语文组”的教研组" in response.content.decode()
    assert ResearchGroup.objects.filter(school=cast.school, name="语文组").count() == 1


def test_school_admin_renames_a_group_and_changes_its_leader(cast, as_user, grouped):
    url = reverse("groups:edit", args=[grouped.chinese.pk])
    response = as_user(cast.school_admin).post(
        url, {"name": "语文一组", "leader": cast.teacher2.pk}
    )
    assert response.status_code == 302
    grouped.chinese.refresh_from_db()
    assert (grouped.chinese.name, grouped.chinese.leader) == ("语文一组", cast.teacher2)
    assert Role.LEADER not in {g.role for g in grants_for(cast.teacher)}


def test_a_new_leader_becomes_a_member_of_the_group(cast, as_user, grouped):
    assert "王老师" not in members_of(grouped.maths)
    url = reverse("groups:edit", args=[grouped.maths.pk])
    response = as_user(cast.school_admin).post(url, {"name": "数学组", "leader": cast.teacher2.pk})
    assert response.status_code == 302
    grouped.maths.refresh_from_db()
    assert grouped.maths.leader == cast.teacher2
    assert members_of(grouped.maths) == {"数学组长", "王老师"}


def test_staff_who_do_not_teach_can_be_neither_leader_nor_member(cast, as_user, grouped):
    from django.core.exceptions import ValidationError

    from groups.services import group_member_add

    clerk = f.school_admin(cast.school, "不任教的校管")
    response = as_user(cast.school_admin).post(
        reverse("groups:create"), {"name": "行政组", "leader": clerk.pk}
    )
    assert "教研组长须是本校在职教师" in response.content.decode()
    assert not ResearchGroup.objects.filter(name="行政组").exists()
    client = as_user(cast.teacher)
    url = reverse("groups:member_add", args=[grouped.chinese.pk])
    offered = {u.real_name for u in client.get(url).context["form"].fields["users"].queryset}
    assert "不任教的校管" not in offered
    with pytest.raises(ValidationError, match="不是本校教师"):
        group_member_add(group=grouped.chinese, users=[clerk], by=cast.teacher)
    assert "不任教的校管" not in members_of(grouped.chinese)


def test_another_schools_group_looks_missing_to_the_admin(cast, as_user, grouped):
    client = as_user(cast.school_admin)
    assert client.get(reverse("groups:edit", args=[grouped.foreign.pk])).status_code == 404
    response = client.post(reverse("groups:archive", args=[grouped.foreign.pk]))
    assert response.status_code == 404
    grouped.foreign.refresh_from_db()
    assert grouped.foreign.archived_at is None


def test_archiving_a_group_takes_it_out_of_the_list_and_the_leader_role(cast, as_user, grouped):
    client = as_user(cast.school_admin)
    assert client.get(reverse("groups:archive", args=[grouped.maths.pk])).status_code == 405
    assert client.post(reverse("groups:archive", args=[grouped.maths.pk])).status_code == 302
    grouped.maths.refresh_from_db()
    assert grouped.maths.archived_at is not None
    listed = client.get(reverse("groups:list")).context["groups"]
    assert [g.name for g in listed] == ["语文组"]
    archived = client.get(reverse("groups:list"), {"archived": "1"}).context["groups"]
    assert [g.name for g in archived] == ["数学组"]
    assert Role.LEADER not in {g.role for g in grants_for(grouped.maths_leader)}
    # The name is free again for a new group.
    client.post(reverse("groups:create"), {"name": "数学组"})
    assert ResearchGroup.objects.filter(name="数学组", archived_at__isnull=True).exists()


def test_info_team_reads_the_group_list_but_cannot_change_it(cast, as_user, grouped):
    client = as_user(cast.info_team)
    response = client.get(reverse("groups:list"))
    assert response.status_code == 200
    assert "创建教研组" not in response.content.decode()
    assert client.get(reverse("groups:edit", args=[grouped.chinese.pk])).status_code == 403


# ---- the leader's part -----------------------------------------------------------


def test_leader_adds_teachers_of_the_school_as_members(cast, as_user, grouped):
    client = as_user(cast.teacher)
    url = reverse("groups:member_add", args=[grouped.chinese.pk])
    page = client.get(url)
    assert page.status_code == 200
    offered = {u.real_name for u in page.context["form"].fields["users"].queryset}
    assert "数学组长" in offered and "外校老师" not in offered and "李老师" not in offered
    response = client.post(url, {"users": [grouped.maths_leader.pk, cast.info_team.pk]})
    assert response.status_code == 302
    assert members_of(grouped.chinese) == {"李老师", "王老师", "数学组长", "信息组老师"}


def test_a_teacher_can_be_in_two_groups(cast, as_user, grouped):
    client = as_user(grouped.maths_leader)
    url = reverse("groups:member_add", args=[grouped.maths.pk])
    assert client.post(url, {"users": [cast.teacher2.pk]}).status_code == 302
    assert GroupMember.objects.filter(user=cast.teacher2).count() == 2


def test_a_teacher_of_another_school_cannot_be_added(cast, as_user, grouped):
    url = reverse("groups:member_add", args=[grouped.chinese.pk])
    response = as_user(cast.teacher).post(url, {"users": [cast.outsider.pk]})
    assert response.status_code == 200
    assert "只能添加本校尚未加入本组的在职教师" in response.content.decode()
    assert "外校老师" not in members_of(grouped.chinese)


def test_a_leader_cannot_manage_another_group(cast, as_user, grouped):
    client = as_user(cast.teacher)
    # 数学组: not theirs, not a member of it -> looks missing.
    url = reverse("groups:member_add", args=[grouped.maths.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"users": [cast.teacher2.pk]}).status_code == 404
    plan_url = reverse("groups:group_plan", args=[grouped.maths.pk])
    assert client.post(plan_url, {"plan": "别组的计划"}).status_code == 404
    # The other school's group: also missing.
    assert client.get(reverse("groups:detail", args=[grouped.foreign.pk])).status_code == 404
    grouped.maths.refresh_from_db()
    assert grouped.maths.plan == ""
    assert members_of(grouped.maths) == {"数学组长"}


def test_a_leader_who_is_only_a_member_of_a_group_may_see_but_not_manage_it(cast, as_user, grouped):
    f_member = grouped.maths_leader
    client = as_user(f_member)
    client.post(reverse("groups:member_add", args=[grouped.maths.pk]), {"users": [cast.teacher.pk]})
    # cast.teacher (leader of 语文组) is now a member of 数学组.
    client = as_user(cast.teacher)
    assert client.get(reverse("groups:detail", args=[grouped.maths.pk])).status_code == 200
    url = reverse("groups:group_plan", args=[grouped.maths.pk])
    assert client.post(url, {"plan": "越权"}).status_code == 403


def test_a_plain_teacher_has_no_leader_pages(cast, as_user, grouped):
    client = as_user(cast.teacher2)
    url = reverse("groups:member_add", args=[grouped.chinese.pk])
    assert client.post(url, {"users": [grouped.maths_leader.pk]}).status_code == 403
    # ...but sees the group they belong to.
    assert client.get(reverse("groups:detail", args=[grouped.chinese.pk])).status_code == 200
    assert client.get(reverse("groups:detail", args=[grouped.maths.pk])).status_code == 404


def test_leader_removes_a_member_but_not_themselves(cast, as_user, grouped):
    client = as_user(cast.teacher)
    mine = GroupMember.objects.get(group=grouped.chinese, user=cast.teacher)
    other = GroupMember.objects.get(group=grouped.chinese, user=cast.teacher2)
    url = reverse("groups:member_remove", args=[grouped.chinese.pk, mine.pk])
    response = client.post(url, follow=True)
    assert "组长不能移出本组" in response.content.decode()
    assert client.post(reverse("groups:member_remove", args=[grouped.chinese.pk, other.pk]))
    assert members_of(grouped.chinese) == {"李老师"}


def test_leader_cannot_remove_members_of_another_group(cast, as_user, grouped):
    theirs = GroupMember.objects.get(group=grouped.maths, user=grouped.maths_leader)
    client = as_user(cast.teacher)
    # Through their own group's URL with another group's member id: still missing.
    url = reverse("groups:member_remove", args=[grouped.chinese.pk, theirs.pk])
    assert client.post(url).status_code == 404
    assert GroupMember.objects.filter(pk=theirs.pk).exists()


def test_leader_writes_the_group_plan_in_the_page(cast, as_user, grouped):
    client = as_user(cast.teacher)
    url = reverse("groups:group_plan", args=[grouped.chinese.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"plan": "专题一：微课助力课堂（A3），教学研讨 2 学时。"})
    assert response.status_code == 302
    grouped.chinese.refresh_from_db()
    assert grouped.chinese.plan.startswith("专题一")
    assert grouped.chinese.plan_updated_at is not None
    detail = as_user(cast.school_admin).get(reverse("groups:detail", args=[grouped.chinese.pk]))
    assert "专题一：微课助力课堂" in detail.content.decode()


def test_leader_home_and_my_groups(cast, as_user, grouped):
    client = as_user(cast.teacher)
    client.post(reverse("accounts:role_switch"), {"role": f"leader:{cast.school.pk}"})
    home = client.get(reverse("home"))
    assert home.context["grant"].role == Role.LEADER
    assert [g.name for g in home.context["groups"]] == ["语文组"]
    mine = as_user(cast.teacher2).get(reverse("groups:mine"))
    assert [g.name for g in mine.context["groups"]] == ["语文组"]
    assert "语文组" in as_user(cast.teacher2).get(reverse("home")).content.decode()


def test_removed_teacher_cannot_become_leader(cast, as_user):
    gone = f.teacher(cast.school, "已调走")
    from accounts.models import SchoolMembership

    SchoolMembership.objects.filter(user=gone).update(removed_at="2026-01-01T00:00Z")
    response = as_user(cast.school_admin).post(
        reverse("groups:create"), {"name": "新组", "leader": gone.pk}
    )
    assert response.status_code == 200
    assert not ResearchGroup.objects.filter(name="新组").exists()


def test_a_removed_teacher_cannot_be_added_as_a_member(cast, as_user, grouped):
    from django.core.exceptions import ValidationError

    from accounts.models import SchoolMembership
    from groups.services import group_member_add, teacher_remove

    gone = f.teacher(cast.school, "已调走")
    place = SchoolMembership.objects.get(user=gone)
    teacher_remove(membership=place, by=cast.school_admin, reason="调岗")
    client = as_user(cast.teacher)
    url = reverse("groups:member_add", args=[grouped.chinese.pk])
    offered = {u.real_name for u in client.get(url).context["form"].fields["users"].queryset}
    assert "已调走" not in offered
    response = client.post(url, {"users": [gone.pk]})
    assert "只能添加本校尚未加入本组的在职教师" in response.content.decode()
    with pytest.raises(ValidationError, match="不是本校教师"):
        group_member_add(group=grouped.chinese, users=[gone], by=cast.teacher)
    assert "已调走" not in members_of(grouped.chinese)


def test_the_progress_line_counts_only_active_teachers(cast, as_user, grouped):
    from accounts.models import SchoolMembership
    from groups.selectors import group_progress
    from groups.services import teacher_remove

    # Before: 李老师, 王老师, 数学组长 in groups; 信息组老师 in none.
    assert group_progress(school_id=cast.school.pk).line == (
        "共组建 2 个教研组（3 人已加入教研组，1 人未加入）"
    )
    f.school_admin(cast.school, "不任教的校管")  # staff who does not teach: not counted
    lone = f.teacher(cast.school, "调走的未分组老师")
    teacher_remove(
        membership=SchoolMembership.objects.get(user=lone), by=cast.school_admin, reason="调岗"
    )
    teacher_remove(
        membership=SchoolMembership.objects.get(user=cast.teacher2),
        by=cast.school_admin,
        reason="调岗",
    )
    progress = group_progress(school_id=cast.school.pk)
    assert progress.line == "共组建 2 个教研组（2 人已加入教研组，1 人未加入）"
    assert [m.user.real_name for m in progress.without_group] == ["信息组老师"]
    sizes = {g.name: g.member_count for g in progress.groups}
    assert sizes == {"语文组": 1, "数学组": 1}


def test_an_archived_group_leaves_its_members_pages_and_cannot_be_changed(cast, as_user, grouped):
    admin = as_user(cast.school_admin)
    admin.post(reverse("groups:archive", args=[grouped.chinese.pk]))
    member = as_user(cast.teacher2)
    assert [g.name for g in member.get(reverse("groups:mine")).context["groups"]] == []
    assert member.get(reverse("groups:detail", args=[grouped.chinese.pk])).status_code == 404
    assert "语文组" not in member.get(reverse("home")).content.decode()
    # Its former leader no longer manages it (no leader role left: 403).
    url = reverse("groups:member_add", args=[grouped.chinese.pk])
    assert as_user(cast.teacher).post(url, {"users": [grouped.maths_leader.pk]}).status_code in (
        403,
        404,
    )
    response = admin.post(
        reverse("groups:edit", args=[grouped.chinese.pk]), {"name": "复活组"}, follow=True
    )
    assert "该教研组已归档，不能修改" in response.content.decode()
    grouped.chinese.refresh_from_db()
    assert grouped.chinese.name == "语文组"
    assert members_of(grouped.chinese) == {"李老师", "王老师"}  # its records stay


def test_leader_sees_candidates_subjects_and_searches_by_subject(cast, as_user, grouped):
    f.teacher(cast.school, "赵英语", subject="英语")
    f.teacher(cast.other_school, "外校英语", subject="英语")
    client = as_user(cast.teacher)
    url = reverse("groups:member_add", args=[grouped.chinese.pk])
    page = client.get(url, {"q": "英语"})
    assert [(u.real_name, u.subject) for u in page.context["page"]] == [("赵英语", "英语")]
    assert '赵英语<span class="text-muted">（英语）</span>' in page.content.decode()
    assert "数学组长" in client.get(url).content.decode()
