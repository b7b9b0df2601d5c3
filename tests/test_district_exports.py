"""The district's exports (issue 12 "Exports at district scale"): every
teacher of the district, or every school, as .xlsx built by a Celery task
(eager in the tests: run when the request commits), progress on the page,
a download only for the person who asked and their district's admins, one
export for a double click, files deleted after a day; a fixed number of
queries whatever the district's size."""

import datetime
import io

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import SchoolMembership, User
from assessment.models import DistrictExport
from assessment.services.district_exports import district_export_build, district_exports_expire

from . import factories as f
from . import factories_assessment as fm
from .conftest import login
from .test_exports_formulas import EVIL, assert_no_formula

pytestmark = pytest.mark.django_db

START = reverse("assessment:district_export_start")
PANEL = reverse("assessment:district_exports_panel")


def download_url(export) -> str:
    return reverse("assessment:district_export_file", args=[export.key])


def export_now(client, capture, kind: str, **extra) -> DistrictExport:
    """Ask for an export through the page and let its task run (on commit)."""
    with capture(execute=True):
        response = client.post(START, {"kind": kind, **extra})
    assert response.status_code == 302
    return DistrictExport.objects.filter(kind=kind).latest("pk")


def rows_of(response) -> list[tuple]:
    content = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))


# ---- what the files hold -------------------------------------------------------------


def test_the_teacher_export_holds_every_teacher_of_the_district_with_masked_ids(
    cast, django_capture_on_commit_callbacks
):
    """N teachers, N rows, each equal to the data: school, name, the ID number
    masked, hours recorded and counted (from the ledger), the review's result."""
    second = f.school(cast.district, "赤坎第二小学")
    for i in range(7):
        f.teacher(second, f"二小老师{i}", subject="数学")
    f.teacher(cast.other_school, "霞山区的老师")  # another district: not in it
    fm.give_hours(cast, cast.teacher, 30)  # 30 recorded, 25 counted
    client = login(cast.district_admin)

    export = export_now(client, django_capture_on_commit_callbacks, "teachers")
    assert (export.status, export.total, export.done) == ("done", 10, 10)
    header, *rows = rows_of(client.get(download_url(export)))

    assert header[:10] == (
        "区县", "学校", "学校代码", "姓名", "身份证号", "学科", "学段", "专任教师", "记录学时", "计入学时"
    )  # fmt: skip
    places = SchoolMembership.objects.teachers().filter(school__region=cast.district)
    assert len(rows) == places.count() == 10
    expected = {
        (m.school.name, m.user.real_name, m.user.masked_id_number, m.subject or None)
        for m in places.select_related("school", "user")
    }
    assert {(r[1], r[3], r[4], r[5]) for r in rows} == expected
    every_id = set(User.objects.exclude(id_number=None).values_list("id_number", flat=True))
    assert not every_id & {cell for row in rows for cell in row}
    li = next(r for r in rows if r[3] == cast.teacher.real_name)
    assert (li[8], li[9], li[10]) == (30, 25, "待考核")


def test_the_schools_export_holds_each_school_with_its_stage_and_figures(
    cast, django_capture_on_commit_callbacks
):
    fm.give_hours(cast, cast.teacher, 25)
    f.school(cast.district, "新建学校")
    client = login(cast.district_admin)
    export = export_now(client, django_capture_on_commit_callbacks, "schools")
    header, *rows = rows_of(client.get(download_url(export)))
    assert header[:7] == (
        "区县",
        "学校",
        "学校代码",
        "阶段",
        "教师数",
        "满 25 学时人数",
        "满 25 学时比例",
    )
    assert [r[:7] for r in rows] == [
        ("赤坎区", cast.school.name, cast.school.code, "组建中", 3, 1, "33%"),
        ("赤坎区", "新建学校", rows[1][2], "组建中", 0, 0, "—"),
    ]


def test_names_a_spreadsheet_would_run_stay_text(cast, django_capture_on_commit_callbacks):
    User.objects.filter(pk=cast.teacher2.pk).update(real_name=EVIL)
    client = login(cast.district_admin)
    export = export_now(client, django_capture_on_commit_callbacks, "teachers")
    response = client.get(download_url(export))
    assert_no_formula(b"".join(response.streaming_content))


# ---- who may download ------------------------------------------------------------------


@pytest.fixture
def done(cast, django_capture_on_commit_callbacks):
    return export_now(login(cast.district_admin), django_capture_on_commit_callbacks, "teachers")


def test_another_admin_of_the_same_district_may_download_it(cast, done):
    colleague = f.region_person(cast.district, "district_admin", "赤坎教育局二")
    assert login(colleague).get(download_url(done)).status_code == 200


def test_a_district_admin_of_another_district_finds_it_missing(cast, done):
    assert login(cast.other_district_admin).get(download_url(done)).status_code == 404


def test_the_operator_sees_only_their_own_exports(cast, done):
    assert login(cast.operator).get(download_url(done)).status_code == 404


@pytest.mark.parametrize("who", ["school_admin", "teacher", "expert"])
def test_school_roles_and_experts_are_refused(cast, done, who):
    assert login(getattr(cast, who)).get(download_url(done)).status_code == 403


def test_nobody_signed_out_gets_it(client, done):
    response = client.get(download_url(done))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_export_not_ready_yet_has_nothing_to_download(cast):
    client = login(cast.district_admin)
    client.post(START, {"kind": "teachers"})  # the transaction never commits: the task waits
    export = DistrictExport.objects.get()
    assert export.status == "pending"
    assert client.get(download_url(export)).status_code == 404


# ---- one at a time, progress, clean-up ----------------------------------------------------


def test_a_double_click_starts_one_export_and_says_one_is_running(cast):
    client = login(cast.district_admin)
    client.post(START, {"kind": "teachers"})
    second = client.post(START, {"kind": "teachers"}, follow=True)
    assert DistrictExport.objects.count() == 1
    assert "已有一份同类导出正在生成" in second.content.decode()
    client.post(START, {"kind": "schools"})  # another kind is another export
    assert DistrictExport.objects.count() == 2


def test_an_unknown_kind_is_refused_with_a_message(cast):
    response = login(cast.district_admin).post(START, {"kind": "everything"}, follow=True)
    assert "请选择要导出的内容" in response.content.decode()
    assert not DistrictExport.objects.exists()


def test_the_panel_polls_while_an_export_runs_and_offers_the_file_when_done(cast):
    client = login(cast.district_admin)
    client.post(START, {"kind": "teachers"})
    export = DistrictExport.objects.get()
    DistrictExport.objects.filter(pk=export.pk).update(status="running", total=80, done=20)
    running = client.get(PANEL).content.decode()
    assert 'hx-trigger="every 2s"' in running and "生成中 20/80" in running
    assert 'aria-valuenow="25"' in running  # the bar: 25%
    district_export_build(export_id=export.pk)  # already running elsewhere: not run twice
    assert DistrictExport.objects.get().status == "running"
    DistrictExport.objects.filter(pk=export.pk).update(status="pending")
    district_export_build(export_id=export.pk)
    finished = client.get(PANEL).content.decode()
    assert "hx-trigger" not in finished and download_url(export) in finished


def test_exports_are_deleted_with_their_files_after_a_day(cast, done):
    name = done.file.name
    assert default_storage.exists(name)
    with time_machine.travel(done.created_at + datetime.timedelta(hours=23)):
        assert district_exports_expire() == 0
    with time_machine.travel(done.created_at + datetime.timedelta(hours=25)):
        assert district_exports_expire() == 1
    assert not DistrictExport.objects.exists() and not default_storage.exists(name)


def test_an_export_whose_worker_was_lost_is_marked_failed_and_may_be_asked_again(cast):
    client = login(cast.district_admin)
    client.post(START, {"kind": "teachers"})
    lost = DistrictExport.objects.get()
    with time_machine.travel(lost.created_at + datetime.timedelta(hours=1)):
        client.post(START, {"kind": "teachers"})
    lost.refresh_from_db()
    assert lost.status == "failed" and DistrictExport.objects.count() == 2
    assert "导出失败" in client.get(PANEL).content.decode()


# ---- a fixed number of queries at 5 and at 50 schools ------------------------------------


@pytest.mark.parametrize(
    ("kind", "queries"),
    [
        # claim the export, read it with its cycle; the schools without figures
        # (none), the count of schools, the total saved, the schools with stage
        # and figures — or the count of teachers, the total saved, every teacher
        # with hours, review and gate (one query, streamed); then mark it done
        ("schools", 7),
        ("teachers", 6),
    ],
)
def test_building_an_export_costs_the_same_at_5_and_at_50_schools(
    cast, django_assert_num_queries, kind, queries
):
    from accounts.models import School
    from accounts.roles import Grant, Role
    from assessment.services.district_exports import district_export_start
    from assessment.services.stats import school_stats_ensure

    def build() -> int:
        school_stats_ensure(schools=School.objects.all(), cycle=cast.cycle)
        export, _ = district_export_start(
            kind=kind,
            grant=Grant(Role.DISTRICT_ADMIN, region_id=cast.district.pk),
            by=cast.district_admin,
            cycle=cast.cycle,
        )
        with django_assert_num_queries(queries):
            district_export_build(export_id=export.pk)
        export.refresh_from_db()
        return export.total

    for i in range(4):
        school = f.school(cast.district, f"规模学校{i:02d}")
        for j in range(3):
            f.teacher(school, f"规模老师{i}{j}")
    small = build()
    for i in range(4, 49):
        school = f.school(cast.district, f"规模学校{i:02d}")
        for j in range(3):
            f.teacher(school, f"规模老师{i}{j}")
    assert build() == small + (45 if kind == "schools" else 135)
