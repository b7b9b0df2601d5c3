import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_teacher_logs_in_with_phone_number(cast):
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": cast.teacher.phone, "password": "pass-word-123"}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == cast.teacher


def test_staff_logs_in_with_username(cast):
    client = Client()
    client.post(
        reverse("accounts:login"),
        {"username": cast.district_admin.username, "password": "pass-word-123"},
    )
    assert client.get(reverse("home")).context["grant"].role == Role.DISTRICT_ADMIN


@pytest.mark.parametrize("username", ["13900000000", "no-such-user"])
def test_unknown_user_and_wrong_password_get_the_same_calm_message(cast, username):
    client = Client()
    for name in (username, cast.teacher.phone):
        response = client.post(reverse("accounts:login"), {"username": name, "password": "nope"})
        assert response.status_code == 200
        assert "手机号/用户名或密码不正确" in response.content.decode()


def test_repeated_failures_are_throttled(cast):
    client = Client()
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": cast.teacher.phone, "password": "x"})
    response = client.post(
        reverse("accounts:login"), {"username": cast.teacher.phone, "password": "pass-word-123"}
    )
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()


def test_anonymous_visitor_is_sent_to_login(db):
    response = Client().get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_initial_password_must_be_changed_first(cast, as_user):
    User.objects.filter(pk=cast.teacher.pk).update(must_change_password=True)
    client = as_user(cast.teacher)
    assert client.get(reverse("home")).url == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "pass-word-123",
            "new_password1": "Xiaoben-2026-new",
            "new_password2": "Xiaoben-2026-new",
        },
    )
    assert response.status_code == 302
    cast.teacher.refresh_from_db()
    assert not cast.teacher.must_change_password
    assert client.get(reverse("home")).status_code == 200


def test_logout_needs_post_and_ends_the_session(cast, as_user):
    client = as_user(cast.teacher)
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("home")).status_code == 302


def test_person_with_two_roles_switches_between_them(cast, as_user):
    from accounts.models import SchoolMembership

    SchoolMembership.objects.filter(user=cast.teacher).update(is_school_admin=True)
    client = as_user(cast.teacher)
    home = client.get(reverse("home"))
    assert home.context["grant"].role == Role.SCHOOL_ADMIN
    assert 'id="role-switcher"' in home.content.decode()
    key = f"{Role.TEACHER}:{cast.school.pk}"
    client.post(reverse("accounts:role_switch"), {"role": key})
    assert client.get(reverse("home")).context["grant"].role == Role.TEACHER


def test_role_switch_refuses_a_role_not_held(cast, as_user):
    client = as_user(cast.teacher)
    client.post(reverse("accounts:role_switch"), {"role": f"{Role.SCHOOL_ADMIN}:{cast.school.pk}"})
    assert client.get(reverse("home")).context["grant"].role == Role.TEACHER


def test_id_number_is_masked_on_the_teacher_home(cast, as_user):
    body = as_user(cast.teacher).get(reverse("home")).content.decode()
    assert cast.teacher.id_number not in body
    assert cast.teacher.masked_id_number in body


def test_healthz_answers_without_login(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_pages_stay_in_chinese_for_a_browser_set_to_english(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").post(
        reverse("accounts:login"), {"username": "", "password": ""}
    )
    body = response.content.decode()
    assert 'lang="zh-hans"' in body
    assert "这个字段是必填项" in body
    assert "This field is required" not in body


def test_an_imported_teacher_logs_in_with_the_issued_password_then_must_choose_one(cast):
    from accounts.models import SchoolMembership
    from accounts.services import TeacherData, teacher_add

    added = teacher_add(
        school=cast.school,
        data=TeacherData(
            real_name="新老师",
            phone="13612345678",
            id_number="44040219900101123X",
        ),
    )
    [issued] = added.passwords
    assert len(issued.password) >= 10
    client = Client()
    # The old scheme's password (last six of the ID number) no longer opens the account.
    for guess in ("01123X", "000000"):
        response = client.post(
            reverse("accounts:login"), {"username": "13612345678", "password": guess}
        )
        assert response.status_code == 200
    client.post(reverse("accounts:login"), {"username": "13612345678", "password": issued.password})
    assert client.get(reverse("home")).url == reverse("accounts:password_change")
    form_page = client.get(reverse("accounts:password_change")).content.decode()
    assert "old_password" not in form_page
    client.post(
        reverse("accounts:password_change"),
        {"new_password1": "Jiaoyan-2026-ok", "new_password2": "Jiaoyan-2026-ok"},
    )
    assert client.get(reverse("home")).status_code == 200

    again = Client()
    assert (
        again.post(
            reverse("accounts:login"), {"username": "13612345678", "password": issued.password}
        ).status_code
        == 200
    )
    assert (
        again.post(
            reverse("accounts:login"), {"username": "13612345678", "password": "Jiaoyan-2026-ok"}
        ).status_code
        == 302
    )
    assert SchoolMembership.objects.filter(user__phone="13612345678").exists()
