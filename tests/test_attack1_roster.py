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


# ---- §7: a person moved into a school is told, and who did it is kept -------------------


def test_a_person_added_by_id_number_is_told_and_the_place_records_who_added_them(cast, as_user):
    from accounts.models import Notification, SchoolMembership

    from . import factories as f

    moved = f.person("调入的老师")  # on the platform, placed nowhere (removed by a former school)
    response = _add_teacher(
        as_user(cast.school_admin), name="调入的老师", phone=moved.phone, id_number=moved.id_number
    )
    assert response.status_code == 302
    place = SchoolMembership.objects.get(user=moved, removed_at__isnull=True)
    assert (place.school, place.added_by) == (cast.school, cast.school_admin)
    notice = Notification.objects.get(user=moved, kind="school_joined")
    assert f"{cast.school.name}于" in notice.message
    assert "将你加入了本校教师名单（操作人：赵校管）" in notice.message


def test_a_person_moved_in_by_a_roster_import_is_told_too(cast, as_user):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from accounts.models import Notification, SchoolMembership

    from . import factories as f

    moved = f.person("导入调入的老师")
    fresh = ["新老师", "13712340077", make_id_number(9077), "语文", "小学", "是"]
    book = Workbook()
    book.active.append(["姓名", "手机号", "身份证号", "学科", "学段", "是否专任教师"])
    book.active.append([moved.real_name, moved.phone, moved.id_number, "数学", "小学", "是"])
    book.active.append(fresh)
    out = io.BytesIO()
    book.save(out)
    response = as_user(cast.school_admin).post(
        reverse("accounts:roster_import"), {"file": SimpleUploadedFile("名单.xlsx", out.getvalue())}
    )
    assert "导入完成" in response.content.decode()
    places = SchoolMembership.objects.filter(school=cast.school, added_by=cast.school_admin)
    assert set(places.values_list("user__real_name", flat=True)) == {"导入调入的老师", "新老师"}
    assert Notification.objects.filter(user=moved, kind="school_joined").count() == 1
    # A brand-new person gets an initial password from the admin, not a notice.
    assert not Notification.objects.filter(user__real_name="新老师").exists()
