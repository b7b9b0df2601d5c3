"""Outside attack report 1, the roster: §6 a teacher's login follows their
phone when the school changes it (the old number neither logs in nor stays
taken); §7 a person moved into a school is told, and who attached whom is kept;
§1 the roster import and 添加教师 are no oracle for other people's ID numbers:
refusals are counted per school and day, audited, and beyond a small budget
nothing is checked at all that day."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.demo_ids import make_id_number
from accounts.models import User

pytestmark = pytest.mark.django_db


def _add_teacher(client, *, name, phone, id_number, **extra):
    data = {"real_name": name, "phone": phone, "id_number": id_number, "is_full_time": "on"}
    return client.post(reverse("accounts:teacher_create"), {**data, **extra})


def _logs_in(login: str, password: str) -> bool:
    response = Client().post(reverse("accounts:login"), {"username": login, "password": password})
    return response.status_code == 302


# ---- §6: the login follows the phone --------------------------------------------------


def test_changing_a_teachers_phone_moves_the_login_and_frees_the_old_number(cast, as_user):
    admin = as_user(cast.school_admin)
    added = _add_teacher(admin, name="吴国强", phone="13712340002", id_number=make_id_number(9002))
    password = added.context["issued"].password
    teacher = User.objects.get(real_name="吴国强")
    assert _logs_in("13712340002", password)
    place = teacher.memberships.get(removed_at__isnull=True)

    response = admin.post(
        reverse("accounts:teacher_edit", args=[place.pk]),
        {"real_name": "吴国强", "phone": "13712349992", "id_number": "", "is_full_time": "on"},
    )
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert (teacher.phone, teacher.username) == ("13712349992", "13712349992")
    assert not _logs_in("13712340002", password)
    assert _logs_in("13712349992", password)

    # The number's real owner can now be added with it.
    owner = _add_teacher(admin, name="周晓梅", phone="13712340002", id_number=make_id_number(9003))
    assert "该手机号已被其他人使用" not in owner.content.decode()
    assert User.objects.get(real_name="周晓梅").username == "13712340002"


def test_a_staff_login_name_that_is_not_the_phone_stays(cast, as_user):
    """Accounts with a login name of their own (not their phone) keep it."""
    place = cast.teacher.memberships.get(removed_at__isnull=True)
    username = cast.teacher.username
    assert username != cast.teacher.phone
    as_user(cast.school_admin).post(
        reverse("accounts:teacher_edit", args=[place.pk]),
        {"real_name": cast.teacher.real_name, "phone": "13712349993", "id_number": ""},
    )
    cast.teacher.refresh_from_db()
    assert (cast.teacher.phone, cast.teacher.username) == ("13712349993", username)
