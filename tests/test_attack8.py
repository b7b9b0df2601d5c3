"""Outside test 8.

F1: 名单导入 and 添加/编辑教师 answered "手机号 … 已被其他人使用" for any phone
on the platform, 3,000 a file, unbudgeted and unrecorded: an oracle for the
province's login names. A phone held by someone outside the school now spends
the school's daily budget of such answers and is audited (masked), as an ID
number of someone the school may not touch already was.

F2, F3: what a member typed survives a refusal. Homework text sent with a
file the platform refuses, and a view too short to count, came back as an
empty box: the member had to type it again (on a phone)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.demo_ids import make_id_number
from accounts.models import IdNumberRefusal, User
from activities.models import (
    ObservationQuestion,
    ObservationResponse,
    Participation,
    Post,
    Submission,
)
from hours.models import HoursClaim, HoursEntry

from . import factories as f
from . import factories_activities as fa
from .conftest import login
from .test_attack1_roster import BROKEN_ROW, SPENT, _roster

pytestmark = pytest.mark.django_db
TAKEN = "已被其他人使用"


# ---- F1: phones of people outside the school are no oracle -----------------------------


def _outsiders(cast, n: int) -> list:
    return [f.teacher(cast.other_school, f"外校教师{i}") for i in range(n)]


def _row(n: int, phone: str) -> list:
    """A new person (an ID number nobody has) with the phone given."""
    return [f"试探{n}", phone, make_id_number(6000 + n), "语文", "小学", "是"]


def test_an_import_of_outsiders_phones_beyond_the_budget_is_refused_whole(cast, as_user):
    rows = [_row(n, p.phone) for n, p in enumerate(_outsiders(cast, 10))]
    rows.append(_row(10, cast.district_admin.phone))  # 11 in all
    body = (
        as_user(cast.school_admin)
        .post(reverse("accounts:roster_import"), {"file": _roster([BROKEN_ROW, *rows])})
        .content.decode()
    )
    assert SPENT in body and TAKEN not in body and "第 2 行" not in body
    audit = IdNumberRefusal.objects.filter(school=cast.school, via="import")
    assert audit.count() == 11
    masked = set(audit.values_list("masked_phone", flat=True))
    assert f"{cast.district_admin.phone[:3]}****{cast.district_admin.phone[-4:]}" in masked
    assert cast.district_admin.phone not in masked
    assert not User.objects.filter(real_name__startswith="试探").exists()


def test_within_the_budget_each_phone_is_said_and_spends_it(cast, as_user):
    admin = as_user(cast.school_admin)
    outsiders = _outsiders(cast, 12)
    rows = [_row(n, p.phone) for n, p in enumerate(outsiders[:3])]
    body = admin.post(reverse("accounts:roster_import"), {"file": _roster(rows)}).content.decode()
    assert body.count(TAKEN) == 3
    assert IdNumberRefusal.objects.filter(masked_id_number="").count() == 3

    # 3 + 8 > 10: the next file says nothing, nor does the form after it today.
    rows = [_row(n, p.phone) for n, p in enumerate(outsiders[3:11])]
    body = admin.post(reverse("accounts:roster_import"), {"file": _roster(rows)}).content.decode()
    assert SPENT in body and TAKEN not in body
    data = {"real_name": "试探", "phone": outsiders[11].phone, "id_number": make_id_number(6100)}
    body = admin.post(reverse("accounts:teacher_create"), data).content.decode()
    assert SPENT in body and TAKEN not in body


def test_a_phone_of_the_schools_own_teacher_is_said_without_spending(cast, as_user):
    """The admin sees their own teachers' phones in the roster: nothing to hide."""
    data = {"real_name": "新老师", "phone": cast.teacher.phone, "id_number": make_id_number(6200)}
    body = as_user(cast.school_admin).post(reverse("accounts:teacher_create"), data)
    assert TAKEN in body.content.decode()
    assert not IdNumberRefusal.objects.exists()


def test_editing_a_teachers_phone_to_an_outsiders_spends_it_and_keeping_it_does_not(cast, as_user):
    [outsider] = _outsiders(cast, 1)
    place = cast.teacher.memberships.get(school=cast.school)
    url = reverse("accounts:teacher_edit", args=[place.pk])
    admin = as_user(cast.school_admin)
    same = {"real_name": cast.teacher.real_name, "phone": cast.teacher.phone, "subject": "数学"}
    assert admin.post(url, same).status_code == 302
    assert not IdNumberRefusal.objects.exists()

    body = admin.post(url, {**same, "phone": outsider.phone}).content.decode()
    assert TAKEN in body
    assert IdNumberRefusal.objects.get(school=cast.school).via == "edit"
    assert User.objects.get(pk=cast.teacher.pk).phone == cast.teacher.phone


def test_a_transfer_by_id_number_with_the_persons_own_phone_spends_nothing(cast, as_user):
    """Someone without a place anywhere, added by their ID number and own phone:
    the phone is theirs, not someone else's."""
    person = f.person("调入的老师")
    data = {"real_name": "调入的老师", "phone": person.phone, "id_number": person.id_number}
    assert (
        as_user(cast.school_admin).post(reverse("accounts:teacher_create"), data).status_code == 302
    )
    assert not IdNumberRefusal.objects.exists()


def test_the_district_reads_a_refused_phone_masked(cast, as_user):
    [outsider] = _outsiders(cast, 1)
    data = {"real_name": "试探", "phone": outsider.phone, "id_number": make_id_number(6300)}
    as_user(cast.school_admin).post(reverse("accounts:teacher_create"), data)
    page = as_user(cast.district_admin).get(reverse("accounts:district_id_refusals"))
    body = page.content.decode()
    assert f"手机号 {outsider.phone[:3]}****{outsider.phone[-4:]}" in body
    assert outsider.phone not in body


# ---- F2, F3: what was typed comes back ----------------------------------------------------

REFLECTION = "教学反思：用微课导入后学生参与度明显提高，小组讨论更充分。"


def joined(s, kind):
    a = fa.activity(s, kind)
    member = login(s.member)
    member.post(reverse("activities:join", args=[a.pk]))
    member.post(reverse("activities:enter", args=[a.pk]))  # the work shows once entered
    return a, member


def test_homework_text_survives_a_refused_file(cast):
    s = fa.group_setup(cast)
    a, member = joined(s, "homework")
    fake = SimpleUploadedFile(
        "作业.docx", b"not a document at all", content_type="application/msword"
    )
    response = member.post(
        reverse("activities:homework_submit", args=[a.pk]), {"text": REFLECTION, "files": [fake]}
    )
    assert response.status_code == 302
    assert not Submission.objects.filter(activity=a).exists()  # nothing stored

    page = member.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert REFLECTION in page  # back in the text box, with the refusal above it
    # Shown once: a later visit shows the box as it stands (no submission yet).
    assert REFLECTION not in member.get(reverse("activities:detail", args=[a.pk])).content.decode()

    # Sent again without the bad file, it completes the homework.
    member.post(reverse("activities:homework_submit", args=[a.pk]), {"text": REFLECTION})
    assert Participation.objects.get(activity=a, user=s.member).completed_at is not None


def test_a_view_too_short_comes_back_to_be_finished(cast):
    s = fa.group_setup(cast)
    a, member = joined(s, "discussion")
    response = member.post(
        reverse("activities:post_new", args=[a.pk]), {"body": "很好的课！", **fa.once()}
    )
    assert response.status_code == 302
    assert not Post.objects.filter(activity=a).exists()
    page = member.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert "至少写 10 个字" in page
    assert "很好的课！</textarea>" in page
    assert 'minlength="10"' in page  # the browser says so first, where it can


def test_a_draft_is_the_members_own(cast):
    """Kept in the member's session: another member of the group never sees it."""
    s = fa.group_setup(cast)
    a, member = joined(s, "homework")
    fake = SimpleUploadedFile("作业.pdf", b"plain text, not a pdf", content_type="application/pdf")
    member.post(
        reverse("activities:homework_submit", args=[a.pk]), {"text": REFLECTION, "files": [fake]}
    )
    leader = login(s.leader)
    assert REFLECTION not in leader.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert REFLECTION in member.get(reverse("activities:detail", args=[a.pk])).content.decode()


def test_an_evaluation_form_refused_comes_back_with_its_answers(cast):
    """A score out of range (sent by an older browser, or typed past the
    field's bounds): the refusal names it, and every answer is still there."""
    s = fa.group_setup(cast)
    a, member = joined(s, "observation")
    answers = fa.answers_for(a)
    questions = {q.kind: q for q in ObservationQuestion.objects.filter(form__activity=a)}
    answers[f"q{questions['score'].pk}"] = "999"
    answers[f"q{questions['text'].pk}"] = "板书清晰，互动充分，小组合作有实效。"
    member.post(reverse("activities:observation_submit", args=[a.pk]), answers)
    assert not ObservationResponse.objects.filter(activity=a).exists()

    page = member.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert "板书清晰，互动充分，小组合作有实效。</textarea>" in page
    assert 'value="999"' in page
    choice = questions["choice"]
    assert f'value="{choice.choices[0]}" required checked>' in page


# ---- F4: the confirmation names whose hours wait -------------------------------------------


def test_a_leader_designating_themselves_after_evidence_is_told_their_hours_wait(cast, as_user):
    """DESIGN §2: the leader's own hours wait for the school admin. The page
    that asks to confirm the credit said it would credit them like any member."""
    s = fa.group_setup(cast)
    a = fa.activity(s, "offline", hours=8)
    leader = as_user(s.leader)
    leader.post(reverse("activities:designate", args=[a.pk]), {"users": [s.member.pk]})
    leader.post(
        reverse("activities:evidence_add", args=[a.pk]),
        {
            **fa.once(),
            "kind": "sign_in",
            "file": fa.upload("签到表.pdf", fa.PDF),
            "confirm_credit": "1",
        },
    )
    page = leader.post(reverse("activities:designate", args=[a.pk]), {"users": [s.leader.pk]})
    body = page.content.decode()
    assert "组长本人：学时提交学校管理员确认后计入" in body
    leader.post(
        reverse("activities:designate", args=[a.pk]),
        {"users": [s.leader.pk], "confirm_credit": "1"},
    )
    assert HoursClaim.objects.filter(teacher=s.leader, object_id=a.pk, status="pending").exists()
    assert not HoursEntry.objects.filter(teacher=s.leader, object_id=a.pk).exists()
