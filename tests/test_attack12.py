"""Outside test 12: who a held school's teachers are, and what its history says.
- F1: with the school's acceptance held, a teacher's ID number stands (changed,
  a 专任教师 could leave and come back as a "new" 非专任 person); a name or
  phone corrected is kept in the history beside the account.
- F2: a new 组长 is named by account in the history.
- F5: no new group while held.
- F6: the operator deleting a person keeps their held place in the history.
- F4: the history can be long (60 changes of 组长 in a second); its top counts
  each kind of change, so a removal among them is not buried."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.holds import person_line
from accounts.idnumbers import mask_phone
from accounts.models import User
from accounts.services import TeacherData, teacher_update
from assessment.models import Acceptance, AcceptanceEvent
from groups.models import ResearchGroup

from . import factories as f
from . import factories_assessment as fm
from .conftest import login

pytest_plugins = ["tests.fixtures_assessment"]
pytestmark = pytest.mark.django_db

ID_HELD = "教师的身份证号随验收材料一起评审"


def _lines() -> list[str]:
    return list(
        AcceptanceEvent.objects.filter(from_status="submitted", to_status="submitted")
        .order_by("pk")
        .values_list("reason", flat=True)
    )


def _data(user, place, **changes) -> TeacherData:
    fields = {
        "real_name": user.real_name,
        "phone": user.phone,
        "id_number": user.id_number,
        "subject": place.subject,
        "stage": place.stage,
        "is_full_time": place.is_full_time,
    }
    return TeacherData(**{**fields, **changes})


def test_a_teachers_id_number_stands_while_held(cast, held):
    admin = login(cast.school_admin)
    user, place = cast.teacher2, fm.place(cast.teacher2)
    url = reverse("accounts:teacher_edit", args=[place.pk])
    page = admin.get(url).content.decode()
    assert ID_HELD in page
    forged = {
        "real_name": user.real_name,
        "phone": user.phone,
        "id_number": "110101199001011237",
        "subject": place.subject,
        "stage": place.stage,
        "is_full_time": "on",
    }
    admin.post(url, forged)
    user.refresh_from_db()
    assert user.id_number != "110101199001011237"
    # The write checks again (a page shown before 提交验收).
    with pytest.raises(ValidationError, match=ID_HELD):
        teacher_update(membership=place, data=_data(user, place, id_number="110101199001011237"))


def test_a_name_or_phone_corrected_while_held_is_in_the_history(cast, held):
    admin = login(cast.school_admin)
    user, place = cast.teacher2, fm.place(cast.teacher2)
    old_phone = user.phone
    response = admin.post(
        reverse("accounts:teacher_edit", args=[place.pk]),
        {
            "real_name": "外调人员",
            "phone": "13712349977",
            "subject": place.subject,
            "stage": place.stage,
            "is_full_time": "on",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert _lines() == [
        f"更正 {person_line(user)} 的姓名：王老师 → 外调人员，"
        f"手机号：{mask_phone(old_phone)} → {mask_phone('13712349977')}"
    ]
    assert AcceptanceEvent.objects.get(reason__startswith="更正").by == cast.school_admin


def test_a_new_leader_is_named_by_account(cast, held):
    admin = login(cast.school_admin)
    url = reverse("groups:edit", args=[held.chinese.pk])
    admin.post(url, {"name": "语文组", "leader": cast.teacher2.pk})
    admin.post(url, {"name": "语文组", "leader": cast.teacher2.pk})  # a double click
    assert _lines() == [f"教研组“语文组”更换组长为 {person_line(cast.teacher2)}"]


def test_no_new_group_while_held(cast, held):
    page = login(cast.school_admin).post(
        reverse("groups:create"), {"name": "新的组", "leader": cast.teacher2.pk}
    )
    assert "教研组及其典型案例随验收材料一起评审" in page.content.decode()
    assert not ResearchGroup.objects.filter(name="新的组").exists()


def test_the_group_list_says_no_group_is_created_while_held(cast, held):
    """The list offers no 创建教研组 while the acceptance holds the groups, and
    says why; after 退回 it offers it again."""
    admin = login(cast.school_admin)
    page = admin.get(reverse("groups:list")).content.decode()
    assert 'id="groups-held"' in page
    assert "教研组及其典型案例随验收材料一起评审" in page
    assert reverse("groups:create") not in page
    # A group is neither renamed nor archived while held; its leader may change.
    assert reverse("groups:archive", args=[held.chinese.pk]) not in page
    assert "换组长" in page and "改名/换组长" not in page

    Acceptance.objects.filter(school=cast.school).update(status="returned", return_reason="补充")
    page = admin.get(reverse("groups:list")).content.decode()
    assert 'id="groups-held"' not in page
    assert reverse("groups:create") in page
    assert reverse("groups:archive", args=[held.chinese.pk]) in page


def test_the_operator_deleting_a_person_keeps_their_place_in_the_history(cast, held):
    user = f.teacher(cast.school, "只教了一周的老师")  # nothing of theirs to protect
    line = f"运营人员删除任职 {person_line(user)}"
    delete = reverse("admin:accounts_user_delete", args=[user.pk])
    assert login(cast.operator).post(delete, {"post": "yes"}).status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert _lines() == [line]


def test_the_history_counts_each_kind_of_change(cast, held):
    admin = login(cast.school_admin)
    url = reverse("groups:edit", args=[held.chinese.pk])
    for leader in [cast.teacher2, held.leader, cast.teacher2]:
        admin.post(url, {"name": "语文组", "leader": leader.pk})
    remove = reverse("hours:teacher_remove", args=[fm.place(cast.teacher).pk])
    admin.post(remove, {"reason": "调往霞山区", "confirm": "on"})
    page = login(cast.district_admin).get(
        reverse("assessment:district_acceptance", args=[cast.school.pk])
    )
    summary = page.content.decode().split('id="held-changes">')[1].split("</p>")[0]
    assert summary == "提交验收后的变动：调岗移除 1 条 · 更换组长 3 条"
    # Who made each change, by account too: a display name can be anyone's.
    by = f"（{cast.school_admin.display_name}，账号编号 {cast.school_admin.pk}）："
    assert page.content.decode().count(by) == 4
    school = login(cast.school_admin).get(reverse("assessment:acceptance")).content.decode()
    assert "提交验收后的变动：调岗移除 1 条 · 更换组长 3 条" in school
