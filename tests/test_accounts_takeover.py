"""Issue 8 points 1, 2, 3, 9 and issue 9's 添加教师 transfer: a school's forms
and imports act only on people whose every role is in that school; resets give
a random one-time password, told to the person and audited; the mask keeps only
the region."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from accounts.demo_ids import make_id_number
from accounts.idnumbers import mask_id_number
from accounts.models import Notification, PasswordReset, RegionRole, SchoolMembership, User

from . import factories as f

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "手机号", "身份证号", "学科", "学段", "是否专任教师"]
OUTSIDE_ROLES = [
    "district_admin",
    "other_district_admin",
    "expert",
    "operator",
    "staff",
    "outsider",
]


def xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("roster.xlsx", buf.getvalue())


def outside_person(cast, kind) -> User:
    if kind == "staff":
        return f.person("平台职员", is_staff=True)
    return getattr(cast, kind)


def snapshot(user):
    user.refresh_from_db()
    return (user.real_name, user.phone, user.password, user.must_change_password)


@pytest.mark.parametrize("kind", OUTSIDE_ROLES)
def test_the_add_teacher_form_never_attaches_a_person_with_a_role_outside_the_school(
    cast, as_user, kind
):
    victim = outside_person(cast, kind)
    before = snapshot(victim)
    response = as_user(cast.school_admin).post(
        reverse("accounts:teacher_create"),
        {
            "real_name": "冒名者",
            "phone": "13612340000",
            "id_number": victim.id_number,
            "stage": "小学",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "不由本校管理" in body and "教育局管理员" in body
    assert "霞山第二中学" not in body  # point 9: no other school named
    assert not SchoolMembership.objects.filter(user=victim, school=cast.school).exists()
    assert snapshot(victim) == before


@pytest.mark.parametrize("kind", OUTSIDE_ROLES)
def test_the_roster_import_never_attaches_or_changes_a_person_with_a_role_outside_the_school(
    cast, as_user, kind
):
    victim = outside_person(cast, kind)
    before = snapshot(victim)
    rows = [["冒名者", "13612340000", victim.id_number, "语文", "小学", "是"]]
    response = as_user(cast.school_admin).post(
        reverse("accounts:roster_import"), {"file": xlsx(rows)}
    )
    [error] = response.context["result"].errors
    assert "不由本校管理" in error.reason
    assert "霞山第二中学" not in response.content.decode()
    assert not SchoolMembership.objects.filter(user=victim, school=cast.school).exists()
    assert snapshot(victim) == before


@pytest.fixture
def expert_who_teaches_here(cast):
    """An expert of the district who also teaches at the school: the school
    lists and places them, but may not change or reset the person."""
    SchoolMembership.objects.create(user=cast.expert, school=cast.school, subject="数学")
    return SchoolMembership.objects.get(user=cast.expert, school=cast.school)


def test_a_person_with_a_region_role_is_not_reset_by_the_school(
    cast, as_user, expert_who_teaches_here
):
    client = as_user(cast.school_admin)
    before = snapshot(cast.expert)
    edit = client.get(reverse("accounts:teacher_edit", args=[expert_who_teaches_here.pk]))
    assert 'id="reset-not-here"' in edit.content.decode()
    response = client.post(
        reverse("accounts:teacher_password_reset", args=[expert_who_teaches_here.pk])
    )
    assert response.status_code == 302
    assert snapshot(cast.expert) == before
    assert not PasswordReset.objects.exists()


def test_a_person_with_a_region_role_keeps_name_and_phone_but_the_school_sets_the_subject(
    cast, as_user, expert_who_teaches_here
):
    url = reverse("accounts:teacher_edit", args=[expert_who_teaches_here.pk])
    client = as_user(cast.school_admin)
    form = {"real_name": cast.expert.real_name, "phone": cast.expert.phone, "stage": "初中"}
    response = client.post(url, {**form, "phone": "13612340000", "subject": "数学"})
    assert response.status_code == 200
    assert "不能由本校修改" in response.content.decode()
    assert snapshot(cast.expert)[1] == cast.expert.phone
    assert client.post(url, {**form, "subject": "物理"}).status_code == 302
    expert_who_teaches_here.refresh_from_db()
    assert (expert_who_teaches_here.subject, expert_who_teaches_here.stage) == ("物理", "初中")


def test_reimporting_the_school_roster_with_an_expert_on_it_changes_nothing_of_theirs(
    cast, as_user, expert_who_teaches_here
):
    e = cast.expert
    same = [e.real_name, e.phone, e.id_number, "数学", "", "是"]
    response = as_user(cast.school_admin).post(
        reverse("accounts:roster_import"), {"file": xlsx([same])}
    )
    assert response.context["result"].ok
    changed = [e.real_name, "13612340000", e.id_number, "数学", "", "是"]
    response = as_user(cast.school_admin).post(
        reverse("accounts:roster_import"), {"file": xlsx([changed])}
    )
    [error] = response.context["result"].errors
    assert "不能由本校修改" in error.reason
    assert snapshot(e)[1] == e.phone


def test_a_reset_gives_a_random_one_time_password_tells_the_person_and_is_audited(cast, as_user):
    membership = SchoolMembership.objects.get(user=cast.teacher)
    url = reverse("accounts:teacher_password_reset", args=[membership.pk])
    first = as_user(cast.school_admin).post(url).context["issued"].password
    second = as_user(cast.school_admin).post(url).context["issued"].password
    assert first != second and len(second) >= 10
    cast.teacher.refresh_from_db()
    # Nothing the resetter can see yields it: not the ID number, not the phone.
    for derivable in (cast.teacher.id_number[-6:], cast.teacher.phone[-6:], first):
        assert not cast.teacher.check_password(derivable)
    assert cast.teacher.check_password(second)
    assert cast.teacher.must_change_password
    audit = list(PasswordReset.objects.values_list("user", "by", "school"))
    assert audit == [(cast.teacher.pk, cast.school_admin.pk, cast.school.pk)] * 2
    notices = Notification.objects.filter(user=cast.teacher, kind="password_reset")
    assert notices.count() == 2 and "赵校管" in notices.first().message


def test_changing_an_id_number_then_resetting_does_not_open_the_account(cast, as_user):
    """The impersonation of issue 8 point 2: correct a colleague's ID number to
    one the admin knows, reset, log in with its last six characters."""
    membership = SchoolMembership.objects.get(user=cast.teacher)
    client = as_user(cast.school_admin)
    known = "44040219900101123X"
    client.post(
        reverse("accounts:teacher_edit", args=[membership.pk]),
        {"real_name": "李老师", "phone": cast.teacher.phone, "id_number": known, "stage": "小学"},
    )
    client.post(reverse("accounts:teacher_password_reset", args=[membership.pk]))
    response = Client().post(
        reverse("accounts:login"), {"username": cast.teacher.phone, "password": known[-6:]}
    )
    assert response.status_code == 200  # refused


def test_the_mask_keeps_only_the_region_prefix(cast, as_user):
    assert mask_id_number("440402199001011234") == "440402*******"
    assert cast.teacher.masked_id_number == cast.teacher.id_number[:6] + "*******"
    body = as_user(cast.teacher).get(reverse("home")).content.decode()
    assert cast.teacher.id_number[-4:] + "<" not in body
    assert cast.teacher.masked_id_number in body


@pytest.fixture
def transferred(cast):
    """霞山's teacher, removed (调岗) from their school, with no other role."""
    SchoolMembership.objects.filter(user=cast.outsider).update(removed_at=timezone.now())
    return cast.outsider


def test_adding_a_transferred_teacher_by_form_works_like_the_import(cast, as_user, transferred):
    before = snapshot(transferred)
    response = as_user(cast.school_admin).post(
        reverse("accounts:teacher_create"),
        {
            "real_name": transferred.real_name,
            "phone": transferred.phone,
            "id_number": transferred.id_number,
            "subject": "语文",
            "stage": "初中",
        },
    )
    assert response.status_code == 302  # no "该手机号已被其他人使用" for the same person
    assert SchoolMembership.objects.active().get(user=transferred).school == cast.school
    assert snapshot(transferred) == before  # their password is still theirs


def test_a_transfer_never_takes_a_new_phone_or_name_from_the_school(cast, as_user, transferred):
    before = snapshot(transferred)
    response = as_user(cast.school_admin).post(
        reverse("accounts:teacher_create"),
        {
            "real_name": "改名者",
            "phone": "13612340000",
            "id_number": transferred.id_number,
            "stage": "初中",
        },
        follow=True,
    )
    assert "未采用" in response.content.decode()
    assert snapshot(transferred) == before
    rows_before = snapshot(transferred)
    SchoolMembership.objects.filter(user=transferred, school=cast.school).delete()
    response = as_user(cast.school_admin).post(
        reverse("accounts:roster_import"),
        {"file": xlsx([["改名者", "13612340001", transferred.id_number, "", "", "是"]])},
    )
    assert response.context["result"].attached == 1
    [note] = response.context["result"].notes
    assert "未采用" in note.reason
    assert snapshot(transferred) == rows_before


def test_a_transfer_may_not_take_someone_elses_phone(cast, as_user, transferred):
    response = as_user(cast.school_admin).post(
        reverse("accounts:teacher_create"),
        {
            "real_name": transferred.real_name,
            "phone": cast.teacher2.phone,
            "id_number": transferred.id_number,
        },
    )
    assert "该手机号已被其他人使用" in response.content.decode()
    assert not SchoolMembership.objects.active().filter(user=transferred).exists()


def test_a_removed_teacher_who_became_an_expert_is_not_attached(cast, as_user, transferred):
    RegionRole.objects.create(user=transferred, region=cast.district, kind="expert")
    response = as_user(cast.school_admin).post(
        reverse("accounts:roster_import"),
        {"file": xlsx([[transferred.real_name, transferred.phone, transferred.id_number]])},
    )
    assert "不由本校管理" in response.context["result"].errors[0].reason


def test_a_new_teacher_may_not_take_a_phone_that_is_someone_elses_login_name(cast, as_user):
    f.person("旧号码", username="13612340000", phone="13612349999")
    response = as_user(cast.school_admin).post(
        reverse("accounts:teacher_create"),
        {"real_name": "新老师", "phone": "13612340000", "id_number": make_id_number(9601)},
    )
    assert "该手机号已被其他人使用" in response.content.decode()


def test_teachers_who_never_logged_in_get_new_initial_passwords_once(
    cast, as_user, expert_who_teaches_here
):
    """A lost password file, or teachers imported under the old scheme (no
    usable password): the admin re-issues for everyone who never logged in."""
    import base64

    from openpyxl import load_workbook

    never = [cast.teacher, cast.teacher2, cast.expert]
    User.objects.filter(pk__in=[u.pk for u in never]).update(
        password="!old-scheme", must_change_password=True, last_login=None
    )
    User.objects.filter(pk=cast.teacher2.pk).update(last_login=timezone.now())
    response = as_user(cast.school_admin).post(reverse("accounts:roster_passwords_reissue"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    content = base64.b64decode(response.context["slip"].split(",", 1)[1])
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))[1:]
    assert [r[1] for r in rows] == [cast.teacher.phone]  # not the one who logged in, not the expert
    cast.teacher.refresh_from_db()
    assert cast.teacher.check_password(rows[0][2])
    assert PasswordReset.objects.filter(user=cast.teacher, by=cast.school_admin).count() == 1
    assert Notification.objects.filter(user=cast.teacher, kind="password_reset").exists()
    cast.expert.refresh_from_db()
    assert cast.expert.password == "!old-scheme"
    login = Client().post(
        reverse("accounts:login"), {"username": cast.teacher.phone, "password": rows[0][2]}
    )
    assert login.status_code == 302


def test_reissuing_is_for_the_school_admin_only(cast, as_user):
    url = reverse("accounts:roster_passwords_reissue")
    assert Client().post(url).status_code == 302  # to the login page
    assert as_user(cast.teacher).post(url).status_code == 403
    assert as_user(cast.school_admin).get(url).status_code == 405
