"""The operator's admin may not end a place that carries records only
调岗移除 may clear (the school's groups the teacher is in or leads, standing
credits, activity work, materials): deleted there, the person kept leading
and seeing the school's groups and their hours went on counting. The delete
page names what stops it and deletes nothing, for one place, for 删除所选
and for the person whose places would go with them. A place that carries
nothing (made by mistake) may still be deleted."""

import pytest
from django.urls import reverse

from accounts.models import SchoolMembership, User
from assessment.models import Acceptance
from groups.models import GroupMember, ResearchGroup

from . import factories as f
from . import factories_activities as fa
from . import factories_assessment as fm
from .conftest import login

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.fixtures_assessment"]

REFUSED = "不能在此删除"


def place(user) -> SchoolMembership:
    return SchoolMembership.objects.get(user=user, removed_at__isnull=True)


def test_a_leaders_place_is_not_deleted_and_the_page_says_why(cast):
    chinese = ResearchGroup.objects.create(school=cast.school, name="语文组", leader=cast.teacher)
    GroupMember.objects.create(group=chinese, user=cast.teacher)
    url = reverse("admin:accounts_schoolmembership_delete", args=[place(cast.teacher).pk])
    operator = login(cast.operator)
    page = operator.get(url).content.decode()
    assert "担任组长：语文组" in page and "所在教研组：语文组" in page and REFUSED in page

    assert operator.post(url, {"post": "yes"}).status_code == 200  # the page again
    assert SchoolMembership.objects.filter(user=cast.teacher, removed_at__isnull=True).exists()
    assert ResearchGroup.objects.get(pk=chinese.pk).leader == cast.teacher


def test_a_place_with_standing_credits_is_not_deleted(cast):
    fm.give_hours(cast, cast.teacher, 5)
    url = reverse("admin:accounts_schoolmembership_delete", args=[place(cast.teacher).pk])
    page = login(cast.operator).post(url, {"post": "yes"}).content.decode()
    assert "研修学时：1 条学时记录、共 5 学时将被冲销" in page and REFUSED in page
    assert SchoolMembership.objects.filter(user=cast.teacher).exists()


def test_bulk_delete_deletes_nothing_when_one_place_carries_records(cast):
    fm.give_hours(cast, cast.teacher, 5)
    mistaken = f.teacher(cast.school, "误建的老师")
    ids = [place(cast.teacher).pk, place(mistaken).pk]
    page = login(cast.operator).post(
        reverse("admin:accounts_schoolmembership_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert REFUSED in page.content.decode()
    assert SchoolMembership.objects.filter(pk__in=ids).count() == 2


def test_a_person_whose_place_carries_records_is_not_deleted(cast):
    # (Their credits alone stop it already: the operator may not delete ledger rows.)
    ResearchGroup.objects.create(school=cast.school, name="语文组", leader=cast.teacher)
    url = reverse("admin:accounts_user_delete", args=[cast.teacher.pk])
    page = login(cast.operator).post(url, {"post": "yes"}).content.decode()
    assert "担任组长：语文组" in page and REFUSED in page
    assert User.objects.filter(pk=cast.teacher.pk).exists()


def test_a_place_that_carries_nothing_is_deleted(cast):
    mistaken = f.teacher(cast.school, "误建的老师")
    url = reverse("admin:accounts_schoolmembership_delete", args=[place(mistaken).pk])
    assert login(cast.operator).post(url, {"post": "yes"}).status_code == 302
    assert not SchoolMembership.objects.filter(user=mistaken).exists()


def test_the_operator_reads_a_group_in_the_admin_and_sets_no_leader_or_member(cast):
    """Outside test 13 F1: set in the admin, another school's teacher led a
    group (or joined it) and reached its activities and files. Groups are
    the school's to set; the admin shows them read-only."""
    chinese = ResearchGroup.objects.create(school=cast.school, name="语文组", leader=cast.teacher)
    operator = login(cast.operator)
    change = reverse("admin:groups_researchgroup_change", args=[chinese.pk])
    page = operator.get(change)
    assert page.status_code == 200 and "语文组" in page.content.decode()

    form = {
        "name": "语文组",
        "school": cast.school.pk,
        "leader": cast.outsider.pk,
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-0-user": cast.outsider.pk,
    }
    assert operator.post(change, form).status_code == 403
    add = reverse("admin:groups_researchgroup_add")
    assert operator.post(add, {**form, "name": "外校组"}).status_code == 403
    assert ResearchGroup.objects.get(pk=chinese.pk).leader == cast.teacher
    assert not GroupMember.objects.filter(user=cast.outsider).exists()
    assert not ResearchGroup.objects.filter(name="外校组").exists()


# Outside test 13 F2: a passed teacher's hours stand ---------------------------------


def offline_credited(s, leader, title: str = "集中备课"):
    """A 线下活动 worth 6 hours, s.member designated and credited by the
    leader's evidence, through the leader's pages."""
    a = fa.activity(s, "offline", hours=6, title=title)
    leader.post(reverse("activities:designate", args=[a.pk]), {"users": [s.member.pk]})
    leader.post(
        reverse("activities:evidence_add", args=[a.pk]),
        fa.evidence_data(a, "sign_in", fa.upload("签到表.pdf", fa.PDF, "application/pdf")),
    )
    return a


def _passed_on_offline_hours(cast, s, leader):
    """s.member: 6 hours from a 线下活动's evidence and 19 more, every material,
    研修考核 通过. Returns the activity."""
    from assessment import services as materials

    a = offline_credited(s, leader)
    fm.give_hours(cast, s.member, 19)
    fm.plan(cast, s.member)
    fm.choose(cast, s.member, s.points)
    for point in s.points:
        fm.summary(cast, s.member, point)
    materials.review_pass(membership=place(s.member), cycle=cast.cycle, by=cast.school_admin)
    assert recorded(cast, s.member) == 25
    return a


def recorded(cast, user) -> int:
    from hours.selectors import hours_totals

    return hours_totals(teacher=user, cycle=cast.cycle).recorded


def test_withdrawing_evidence_that_a_pass_stands_on_is_refused_until_the_pass_is_revoked(cast):
    from activities.models import Evidence, Participation
    from assessment import services as materials

    s = fa.group_setup(cast)
    leader = login(s.leader)
    a = _passed_on_offline_hours(cast, s, leader)
    evidence = Evidence.objects.get(activity=a)
    withdraw = reverse("activities:evidence_withdraw", args=[evidence.pk])

    page = leader.post(withdraw, follow=True).content.decode()
    assert f"{s.member.display_name} 已通过研修考核，撤销后学时将不足 25 学时，未撤销" in page
    evidence.refresh_from_db()
    assert evidence.withdrawn_at is None
    assert recorded(cast, s.member) == 25
    assert Participation.objects.get(activity=a, user=s.member).completed_at is not None

    undesignate = reverse("activities:undesignate", args=[a.pk, s.member.pk])
    assert "已通过研修考核" in leader.post(undesignate, follow=True).content.decode()
    assert Participation.objects.filter(activity=a, user=s.member).exists()

    # The school revokes the pass, with a reason: the evidence may go.
    materials.review_fail(
        membership=place(s.member), cycle=cast.cycle, by=cast.school_admin, reason="佐证有误"
    )
    leader.post(withdraw)
    evidence.refresh_from_db()
    assert evidence.withdrawn_at is not None
    assert recorded(cast, s.member) == 19


def test_a_passed_teacher_is_still_removed_with_their_hours(cast):
    from groups.services import teacher_remove

    s = fa.group_setup(cast)
    _passed_on_offline_hours(cast, s, login(s.leader))
    teacher_remove(membership=place(s.member), by=cast.school_admin, reason="调往霞山区")
    assert recorded(cast, s.member) == 0


# Outside test 13 F4: a held school's home offers no step the hold refuses ------------


def test_a_held_schools_home_says_it_is_submitted_and_offers_no_held_step(cast, held):
    home = login(cast.school_admin).get(reverse("home")).content.decode()
    assert "整校推进验收已提交，等待区县教育局评审" in home
    steps = (
        "填写校本研修方案",
        "尚未上传典型案例",
        "位教师已完成，待考核",
        "设置校本主题",
        "创建教研组",
    )
    for refused in steps:
        assert refused not in home, refused

    Acceptance.objects.filter(school=cast.school).update(status="returned", return_reason="补充")
    home = login(cast.school_admin).get(reverse("home")).content.decode()
    assert "整校推进验收材料被退回" in home
    assert "尚未上传典型案例" in home  # offered again


def test_a_too_short_new_password_is_refused_in_chinese(cast):
    """Outside test 13 F5: Django's zh_Hans catalogue lacks 5.2's wording of
    the length rule; the project's own catalogue says it."""
    cast.teacher.must_change_password = True
    cast.teacher.save(update_fields=["must_change_password"])
    page = login(cast.teacher).post(
        reverse("accounts:password_change"), {"new_password1": "123", "new_password2": "123"}
    )
    body = page.content.decode()
    assert "密码太短，至少需要 8 个字符。" in body
    assert "too short" not in body


@pytest.mark.parametrize(
    "first17",
    [
        "44080219851345001",  # month 13, day 45
        "44040220990230001",  # 30 February, in 2099
        "00000019900101001",  # no such province
        "44040218990101001",  # born before 1900
    ],
)
def test_an_id_number_with_a_valid_check_digit_but_no_real_birth_or_province_is_refused(
    cast, first17
):
    """Outside test 13 F6: only the format and the check digit were checked."""
    from accounts.idnumbers import id_check_char

    response = login(cast.school_admin).post(
        reverse("accounts:teacher_create"),
        {
            "real_name": "钱多多",
            "phone": "13612345678",
            "id_number": first17 + id_check_char(first17),
        },
    )
    assert "请输入有效的 18 位身份证号" in response.content.decode()
    assert not User.objects.filter(real_name="钱多多").exists()


def test_a_moved_teachers_hours_page_counts_what_the_removal_reversed(cast):
    """Outside test 13 F7: a credit reversed earlier (its evidence withdrawn)
    was counted again as reversed at the removal."""
    from activities.models import Evidence
    from groups.services import teacher_remove

    s = fa.group_setup(cast)
    leader = login(s.leader)
    a = offline_credited(s, leader)
    fm.give_hours(cast, s.member, 5)
    leader.post(reverse("activities:evidence_withdraw", args=[Evidence.objects.get(activity=a).pk]))
    assert recorded(cast, s.member) == 5
    removal = teacher_remove(membership=place(s.member), by=cast.school_admin, reason="调往霞山区")
    assert removal.cleared["hours_credits"] == 1

    SchoolMembership.objects.create(user=s.member, school=cast.other_school, is_teacher=True)
    page = login(s.member).get(reverse("hours:mine")).content.decode()
    assert "你在原学校获得的 1 条学时记录（共 5 学时）已在调岗移除时撤销" in page


# Outside test 14 F3: one number, one spelling ------------------------------------------


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


def test_a_number_typed_in_full_width_digits_is_the_same_number(cast):
    """Python's \\d took every script's digits: another school's teacher's ID
    number in full-width digits made a second account. Full-width is read as
    ASCII (the number is found, and refused as beyond the school, as typed
    plainly); other scripts' digits are refused."""
    admin = login(cast.school_admin)
    url = reverse("accounts:teacher_create")
    users = User.objects.count()
    typed = {
        "real_name": cast.outsider.real_name,
        "phone": _fullwidth(cast.outsider.phone),
        "id_number": _fullwidth(cast.outsider.id_number),
    }
    plain = admin.post(
        url, {**typed, "phone": cast.outsider.phone, "id_number": cast.outsider.id_number}
    )
    wide = admin.post(url, typed)
    assert User.objects.count() == users  # no second account either way
    assert wide.status_code == plain.status_code
    arabic = "".join(chr(0x0660 + int(c)) for c in "13612345670")
    page = admin.post(url, {"real_name": "钱多多", "phone": arabic, "id_number": make_id(3)})
    assert "请输入 11 位手机号" in page.content.decode()
    assert User.objects.count() == users


def test_a_teacher_logs_in_with_their_number_in_full_width_digits(cast):
    from django.test import Client

    cast.teacher.set_password("Jiaoyan-2026-ok")
    cast.teacher.save()
    client = Client()
    client.post(
        reverse("accounts:login"),
        {"username": _fullwidth(cast.teacher.phone), "password": "Jiaoyan-2026-ok"},
    )
    assert client.session.get("_auth_user_id") == str(cast.teacher.pk)


def make_id(n: int) -> str:
    from accounts.demo_ids import make_id_number

    return make_id_number(880_000 + n)


# Outside test 14 F2, F7: the operator's place form ---------------------------------


def _place_form(place, **changes) -> dict:
    data = {
        "is_teacher": "on" if place.is_teacher else "",
        "is_full_time": "on" if place.is_full_time else "",
        "subject": place.subject,
        "stage": place.stage,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_the_operator_may_not_untick_teacher_on_a_place_that_carries_records(cast):
    ResearchGroup.objects.create(school=cast.school, name="语文组", leader=cast.teacher)
    mine = place(cast.teacher)
    change = reverse("admin:accounts_schoolmembership_change", args=[mine.pk])
    page = login(cast.operator).post(change, _place_form(mine, is_teacher=""))
    assert page.status_code == 200
    assert "不能取消“教师”" in page.content.decode()
    assert SchoolMembership.objects.get(pk=mine.pk).is_teacher


def test_the_operator_may_not_move_the_day_a_place_began(cast):
    mine = place(cast.teacher)
    change = reverse("admin:accounts_schoolmembership_change", args=[mine.pk])
    login(cast.operator).post(
        change, _place_form(mine, joined_at_0="2001-01-01", joined_at_1="08:00:00")
    )
    assert SchoolMembership.objects.get(pk=mine.pk).joined_at == mine.joined_at


def test_a_second_active_place_is_refused_with_a_message_not_a_500(cast):
    add = reverse("admin:accounts_schoolmembership_add")
    page = login(cast.operator).post(
        add,
        {
            "user": cast.teacher.pk,
            "school": cast.other_school.pk,
            "is_teacher": "on",
            "joined_at_0": "2026-09-01",
            "joined_at_1": "08:00:00",
        },
    )
    assert page.status_code == 200
    assert f"{cast.teacher.display_name}已在{cast.school.name}任职" in page.content.decode()
    assert SchoolMembership.objects.filter(user=cast.teacher).count() == 1


def test_a_held_schools_leader_and_info_team_are_not_offered_what_the_hold_refuses(cast, held):
    """Outside test 14 F4: the leader's home offered 制定研修计划 and the plan
    form said nothing; the info team's home offered 填写两案."""
    from groups.models import SchoolPlan

    leader = login(held.leader)
    home = leader.get(reverse("home")).content.decode()
    assert "查看研修计划" in home and "制定研修计划" not in home
    assert "上传典型案例" not in home
    plan = leader.get(reverse("groups:group_plan", args=[held.chinese.pk])).content.decode()
    assert 'id="group-plan-held"' in plan
    assert '<button class="btn btn-primary" type="submit" disabled>保存</button>' in plan

    assert not SchoolPlan.objects.filter(school=cast.school).exists()
    info = login(cast.info_team).get(reverse("home")).content.decode()
    assert "填写校本研修方案（两案）" not in info

    Acceptance.objects.filter(school=cast.school).update(status="returned", return_reason="补充")
    home = leader.get(reverse("home")).content.decode()
    assert "制定研修计划" in home and "上传典型案例" in home
    assert "填写校本研修方案（两案）" in login(cast.info_team).get(reverse("home")).content.decode()


# Outside test 14 F8: the error pages say what happened ---------------------------------


def test_too_many_fields_get_a_page_that_does_not_blame_a_null_character(cast):
    page = login(cast.teacher).post(
        reverse("accounts:inbox_read"), {f"f{i}": "x" for i in range(5100)}
    )
    assert page.status_code == 400
    body = page.content.decode()
    assert "请求无法处理" in body and "空字符" not in body


def test_a_bad_host_header_gets_the_400_page_not_a_500(client):
    page = client.get(reverse("accounts:login"), HTTP_HOST="evil.example")
    assert page.status_code == 400
    assert "请求无法处理" in page.content.decode()


def test_a_get_on_a_post_only_url_says_what_to_do(cast):
    page = login(cast.teacher).get(reverse("accounts:inbox_read"))
    assert page.status_code == 405
    assert "请从页面上的按钮操作" in page.content.decode()
    assert "POST" in page["Allow"]
