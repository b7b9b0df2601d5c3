"""Outside test 10, F4 and F5: the school's people while its acceptance holds
its records.
- F4: the 95% gate counts 专任教师, so unticking 专任 for teachers who are not
  合格 would raise the rate the experts saw: the flag is held with the
  results (编辑教师 shows it fixed, a forged post keeps it, a roster row that
  would change it is reported and nothing is imported). 调岗移除 is not held
  (a transferred teacher must leave) but is kept in the acceptance's history,
  which the district reads.
- F5: the teacher's 测评 and 选择能力点 pages and the leader's 测评 page say
  so and offer no change (their writes were already refused).
Returned, everything opens again."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.idnumbers import mask_phone
from accounts.models import SchoolMembership
from accounts.services import TeacherData, teacher_update
from assessment.models import AbilityEvaluation, Acceptance, AcceptanceEvent, PointChoice
from assessment.selectors.acceptance import RESULTS_SUBMITTED

from . import factories_acceptance as fx
from . import factories_assessment as fm
from .conftest import login
from .test_accounts_roster import upload, xlsx

pytest_plugins = ["tests.fixtures_assessment"]
pytestmark = pytest.mark.django_db

FULL_TIME_HELD = RESULTS_SUBMITTED.replace("研修考核和能力点测评结果", "教师的“专任教师”标记")


def _edit(client, user, **changes):
    place = fm.place(user)
    data = {
        "real_name": user.real_name,
        "phone": user.phone,
        "id_number": "",
        "subject": place.subject,
        "stage": place.stage,
        "is_full_time": "on",
        **changes,
    }
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(reverse("accounts:teacher_edit", args=[place.pk]), data)


def test_the_edit_page_keeps_the_full_time_flag_while_held(cast, held):
    admin = login(cast.school_admin)
    place = fm.place(cast.teacher2)
    page = admin.get(reverse("accounts:teacher_edit", args=[place.pk])).content.decode()
    assert FULL_TIME_HELD in page
    assert 'name="is_full_time"' in page and "disabled" in page

    # Unticked (a forged post: the box is disabled): the flag stays, the
    # rest of the edit is saved.
    response = _edit(admin, cast.teacher2, is_full_time=None, subject="科学")
    assert response.status_code == 302
    place.refresh_from_db()
    assert (place.is_full_time, place.subject) == (True, "科学")

    Acceptance.objects.filter(school=cast.school).update(status="returned", return_reason="补充")
    assert _edit(admin, cast.teacher2, is_full_time=None).status_code == 302
    place.refresh_from_db()
    assert place.is_full_time is False


def test_a_full_time_change_racing_the_submit_is_refused(cast, held):
    # The page was shown before 提交验收; the write checks again under the lock.
    place = fm.place(cast.teacher2)
    user = place.user
    data = TeacherData(
        real_name=user.real_name,
        phone=user.phone,
        id_number=user.id_number,
        subject=place.subject,
        stage=place.stage,
        is_full_time=False,
    )
    with pytest.raises(ValidationError, match="专任教师”标记随验收材料一起评审"):
        teacher_update(membership=place, data=data)
    place.refresh_from_db()
    assert place.is_full_time is True


def test_a_roster_row_changing_full_time_is_reported_and_nothing_imported(cast, held):
    admin = login(cast.school_admin)
    teacher2, place = cast.teacher2, fm.place(cast.teacher2)
    rows = [
        ["新来的老师", "13712349901", "110101199001011237", "语文", "小学", "是"],
        [teacher2.real_name, teacher2.phone, teacher2.id_number, "科学", place.stage, "否"],
    ]
    body = upload(admin, xlsx(rows)).content.decode()
    assert "第 3 行" in body and "“是否专任教师”与名单中不同，不能修改" in body
    assert not SchoolMembership.objects.filter(user__real_name="新来的老师").exists()
    place.refresh_from_db()
    assert (place.is_full_time, place.subject) != (False, "科学")

    # The same flag as on record imports (the other changes are not held).
    rows[1][5] = "是"
    assert "导入完成" in upload(admin, xlsx(rows)).content.decode()
    place.refresh_from_db()
    assert (place.is_full_time, place.subject) == (True, "科学")


def test_a_removal_while_held_is_kept_in_the_acceptance_history(cast, held):
    admin = login(cast.school_admin)
    url = reverse("hours:teacher_remove", args=[fm.place(cast.teacher2).pk])
    assert "此次移除将记入验收记录" in admin.get(url).content.decode()
    assert admin.post(url, {"reason": "调往霞山区", "confirm": "on"}).status_code == 302

    event = AcceptanceEvent.objects.get(from_status="submitted", to_status="submitted")
    assert event.by == cast.school_admin
    who = f"{cast.teacher2.display_name}（{mask_phone(cast.teacher2.phone)}，账号编号 {cast.teacher2.pk}）"
    assert event.reason == f"调岗移除 {who}，专任教师：调往霞山区"
    acceptance = Acceptance.objects.get(school=cast.school)
    assert acceptance.status == "submitted"  # a record, not a move
    district = login(cast.district_admin)
    page = district.get(reverse("assessment:district_acceptance", args=[cast.school.pk]))
    assert "已提交验收期间（" in page.content.decode()
    assert "调岗移除 " + cast.teacher2.display_name in page.content.decode()


def test_a_removal_before_submitting_leaves_no_record(cast):
    fx.scheme(cast)
    fm.mats_setup(cast)
    admin = login(cast.school_admin)
    url = reverse("hours:teacher_remove", args=[fm.place(cast.teacher2).pk])
    assert "此次移除将记入验收记录" not in admin.get(url).content.decode()
    admin.post(url, {"reason": "调往霞山区", "confirm": "on"})
    assert not SchoolMembership.objects.filter(user=cast.teacher2, removed_at=None).exists()
    assert not AcceptanceEvent.objects.exists()


def test_the_teachers_and_leaders_evaluation_pages_say_it_is_held(cast, held):
    choice = PointChoice.objects.filter(teacher=cast.teacher).first()
    teacher = login(cast.teacher)
    page = teacher.get(reverse("assessment:evaluation", args=[choice.point_id])).content.decode()
    assert 'id="results-held"' in page
    assert reverse("assessment:evidence_upload", args=[choice.point_id]) not in page
    points = teacher.get(reverse("assessment:points")).content.decode()
    assert 'id="results-held"' in points
    assert 'type="submit" disabled>保存' in points

    evaluation = AbilityEvaluation.objects.get(teacher=cast.teacher, point=choice.point)
    AbilityEvaluation.objects.filter(pk=evaluation.pk).update(status="submitted")
    leader = login(held.leader)
    page = leader.get(reverse("assessment:leader_evaluation", args=[evaluation.pk]))
    body = page.content.decode()
    assert 'id="results-held"' in body
    assert reverse("assessment:evaluation_return", args=[evaluation.pk]) not in body
    assert reverse("assessment:evaluation_view", args=[evaluation.pk]) in body

    Acceptance.objects.filter(school=cast.school).update(status="returned", return_reason="补充")
    body = leader.get(reverse("assessment:leader_evaluation", args=[evaluation.pk]))
    assert reverse("assessment:evaluation_return", args=[evaluation.pk]) in body.content.decode()
    page = teacher.get(reverse("assessment:evaluation", args=[choice.point_id])).content.decode()
    assert 'id="results-held"' not in page
