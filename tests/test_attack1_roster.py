"""Outside attack report 1, the roster: §6 a teacher's login follows their
phone when the school changes it (the old number neither logs in nor stays
taken); §7 a person moved into a school is told, and who attached whom is kept;
§1 the roster import and 添加教师 are no oracle for other people's ID numbers:
refusals are counted per school and day, audited, and beyond a small budget
nothing is checked at all that day."""

import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from accounts.demo_ids import make_id_number
from accounts.models import IdNumberRefusal, Notification, SchoolMembership, User

from . import factories as f

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
    moved = f.person("导入调入的老师")
    fresh = ["新老师", "13712340077", make_id_number(9077), "语文", "小学", "是"]
    moved_row = [moved.real_name, moved.phone, moved.id_number, "数学", "小学", "是"]
    response = as_user(cast.school_admin).post(
        reverse("accounts:roster_import"), {"file": _roster([moved_row, fresh])}
    )
    assert "导入完成" in response.content.decode()
    places = SchoolMembership.objects.filter(school=cast.school, added_by=cast.school_admin)
    assert set(places.values_list("user__real_name", flat=True)) == {"导入调入的老师", "新老师"}
    assert Notification.objects.filter(user=moved, kind="school_joined").count() == 1
    # A brand-new person gets an initial password from the admin, not a notice.
    assert not Notification.objects.filter(user__real_name="新老师").exists()


# ---- §1: ID numbers of people outside the school are no oracle --------------------------

BEYOND = "该人员的账号不由本校管理"
SPENT = "今天本校已多次填写不由本校管理的人员的身份证号"


def _outsiders(cast, n: int) -> list:
    """People the school may not touch: teachers placed in another school."""
    return [f.teacher(cast.other_school, f"外校教师{i}") for i in range(n)]


def _roster(rows) -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(["姓名", "手机号", "身份证号", "学科", "学段", "是否专任教师"])
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("名单.xlsx", out.getvalue())


def _probe_row(n: int, id_number: str) -> list:
    return [f"试探{n}", f"1371230{n:04d}", id_number, "语文", "小学", "是"]


BROKEN_ROW = ["", "123", "", "", "", ""]  # so that nothing imports


def test_the_eleventh_probe_by_the_form_is_refused_without_saying_whether_the_number_exists(
    cast, as_user
):
    admin = as_user(cast.school_admin)
    people = _outsiders(cast, 11)
    for n, person in enumerate(people[:10]):
        page = _add_teacher(
            admin, name=f"试探{n}", phone=f"1371230{n:04d}", id_number=person.id_number
        )
        assert BEYOND in page.content.decode()
    audit = IdNumberRefusal.objects.filter(school=cast.school)
    assert audit.count() == 10
    assert set(audit.values_list("by", "via", "masked_id_number")) == {
        (cast.school_admin.pk, "form", "440402*******")
    }

    existing = _add_teacher(
        admin, name="试探10", phone="13712300010", id_number=people[10].id_number
    )
    unknown = _add_teacher(
        admin, name="试探11", phone="13712300011", id_number=make_id_number(8888)
    )
    for page in (existing, unknown):
        body = page.content.decode()
        assert SPENT in body and "教育局" in body
        assert BEYOND not in body
    assert existing.context["form"].errors == unknown.context["form"].errors
    assert not User.objects.filter(id_number=make_id_number(8888)).exists()
    assert audit.count() == 10  # nothing more was checked

    # The next day the school may check again.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        page = _add_teacher(
            admin, name="试探10", phone="13712300010", id_number=people[10].id_number
        )
        assert BEYOND in page.content.decode()


def test_correcting_an_id_number_to_an_outsiders_is_counted_too(cast, as_user):
    place = cast.teacher.memberships.get(removed_at__isnull=True)
    page = as_user(cast.school_admin).post(
        reverse("accounts:teacher_edit", args=[place.pk]),
        {
            "real_name": cast.teacher.real_name,
            "phone": cast.teacher.phone,
            "id_number": cast.district_admin.id_number,
        },
    )
    assert BEYOND in page.content.decode()
    assert IdNumberRefusal.objects.get(school=cast.school).via == "edit"


@pytest.mark.parametrize("order", ["outsiders-first", "outsiders-last"])
def test_an_import_beyond_the_budget_is_refused_whole_whatever_the_order(cast, as_user, order):
    """The tester's file: a broken row (nothing imports), rows of people outside
    the school among rows of new people. The answer is the same whichever rows
    come first: the budget is checked before any row is reported."""
    outsiders = [
        _probe_row(n, p.id_number) for n, p in enumerate([*_outsiders(cast, 9), cast.expert])
    ]
    outsiders.append(_probe_row(10, cast.district_admin.id_number))  # 11 in all
    new = [_probe_row(100 + n, make_id_number(7000 + n)) for n in range(30)]
    rows = outsiders + new if order == "outsiders-first" else new + outsiders
    page = as_user(cast.school_admin).post(
        reverse("accounts:roster_import"), {"file": _roster([BROKEN_ROW, *rows])}
    )
    body = page.content.decode()
    assert SPENT in body
    assert BEYOND not in body and "第 2 行" not in body  # no row is reported at all
    assert IdNumberRefusal.objects.filter(school=cast.school, via="import").count() == 11
    assert not User.objects.filter(real_name__startswith="试探").exists()


def test_an_import_within_the_budget_reports_its_rows_and_spends_the_budget(cast, as_user):
    admin = as_user(cast.school_admin)
    outsiders = _outsiders(cast, 12)
    rows = [_probe_row(n, p.id_number) for n, p in enumerate(outsiders[:3])]
    body = admin.post(
        reverse("accounts:roster_import"), {"file": _roster([*rows, BROKEN_ROW])}
    ).content.decode()
    assert body.count(BEYOND) == 3  # within the budget: said row by row
    assert IdNumberRefusal.objects.count() == 3

    # 3 + 8 > 10: the next file is refused whole, and so is everything after it today.
    rows = [_probe_row(n, p.id_number) for n, p in enumerate(outsiders[3:11])]
    body = admin.post(reverse("accounts:roster_import"), {"file": _roster(rows)}).content.decode()
    assert SPENT in body and BEYOND not in body
    legit = admin.post(
        reverse("accounts:roster_import"),
        {"file": _roster([_probe_row(50, make_id_number(7050))])},
    ).content.decode()
    assert SPENT in legit
    assert not User.objects.filter(id_number=make_id_number(7050)).exists()


def test_the_district_sees_its_schools_refusals_masked_and_the_operator_in_the_admin(cast, as_user):
    [outsider] = _outsiders(cast, 1)
    _add_teacher(
        as_user(cast.school_admin), name="试探", phone="13712300001", id_number=outsider.id_number
    )
    url = reverse("accounts:district_id_refusals")
    page = as_user(cast.district_admin).get(url).content.decode()
    assert cast.school.name in page and "赵校管" in page and "440402*******" in page
    assert outsider.id_number not in page
    assert "440402*******" not in as_user(cast.other_district_admin).get(url).content.decode()
    admin_page = as_user(cast.operator).get(reverse("admin:accounts_idnumberrefusal_changelist"))
    assert cast.school.name in admin_page.content.decode()
