"""学时登记 progress: the district's read-only page and the school's status line.

Registration starts only after a passed whole-school acceptance (DESIGN.md §2),
so these pages show progress and never offer to start it, and a school whose
acceptance has not passed reads 待验收, never 已完成 (the status comes from
assessment through hours.acceptance).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import School
from accounts.roles import grants_for
from hours.models import RegistrationBatch
from hours.services import (
    RegistrationRefused,
    hours_register_school,
    hours_register_school_later,
)

from . import factories as f
from . import factories_acceptance as fx

pytestmark = pytest.mark.django_db

DISTRICT = reverse("hours:district")
SCHOOL = reverse("hours:school")
SCHOOL_STATUS = reverse("hours:school_registration")


def queue(cast, school=None, by=None):
    """A batch queued as a passed acceptance queues it, its task not yet run."""
    fx.passed(cast, school)
    return hours_register_school_later(school=school or cast.school, cycle=cast.cycle, by=by)


def row_of(body: str, school) -> str:
    return body.split(f'data-school="{school.pk}"')[1].split("</tr>")[0]


# ---- the district's page -------------------------------------------------------


def test_the_ladder(cast, as_user, client):
    assert reverse("accounts:login") in client.get(DISTRICT)["Location"]
    for user in (cast.teacher, cast.school_admin, cast.expert):
        assert as_user(user).get(DISTRICT).status_code == 403
    assert as_user(cast.district_admin).get(DISTRICT).status_code == 200
    assert as_user(cast.operator).get(DISTRICT).status_code == 200


def test_the_district_sees_each_school_of_its_region_with_who_registered_when(cast, as_user):
    fx.passed(cast)
    hours_register_school(school=cast.school, cycle=cast.cycle, by=cast.district_admin)
    batch = RegistrationBatch.objects.get(school=cast.school)
    body = as_user(cast.district_admin).get(DISTRICT).content.decode()
    assert cast.school.name in body and cast.other_school.name not in body
    assert "已完成" in body and "3/3" in body
    assert batch.finished_at.astimezone().strftime("%Y-%m-%d") in body
    assert cast.district_admin.display_name in body


def test_a_school_not_yet_registered_says_it_waits_for_acceptance(cast, as_user):
    body = as_user(cast.district_admin).get(DISTRICT).content.decode()
    row = row_of(body, cast.school)
    assert "待验收" in row and "整校推进验收通过后自动登记" in row and "未开始" in row
    assert 'hx-trigger="every' not in body


def test_a_school_whose_acceptance_has_not_passed_is_never_registered(cast, as_user):
    """Neither by hand (manage.py register_hours) before any acceptance, nor when
    submitted and scored but not confirmed: 待验收, with where acceptance stands."""
    fx.scheme(cast)
    with pytest.raises(RegistrationRefused, match="整校推进验收.*尚未通过"):
        hours_register_school(school=cast.school, cycle=cast.cycle)
    with pytest.raises(RegistrationRefused):
        hours_register_school_later(school=cast.school, cycle=cast.cycle)
    assert not RegistrationBatch.objects.exists()
    second = f.school(cast.district, "赤坎第二小学")
    f.teacher(second)
    fx.scored(cast, school=second)
    with pytest.raises(RegistrationRefused):
        hours_register_school(school=second, cycle=cast.cycle)
    body = as_user(cast.district_admin).get(DISTRICT).content.decode()
    row = row_of(body, cast.school)
    assert "待验收" in row and "已完成" not in row
    row = row_of(body, second)
    assert "待验收" in row and "已评分" in row and "已完成" not in row


def test_a_running_batch_shows_progress_and_the_table_polls_until_done(cast, as_user):
    queue(cast)
    client = as_user(cast.district_admin)
    body = client.get(DISTRICT).content.decode()
    assert "排队中" in row_of(body, cast.school) and "0/3" in body and "已通过" in body
    assert 'hx-trigger="every 3s"' in body

    hours_register_school(school=cast.school, cycle=cast.cycle)  # the worker runs it
    partial = client.get(DISTRICT, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="district-registration"')
    assert "<html" not in partial
    assert "已完成" in partial and "3/3" in partial
    assert 'hx-trigger="every' not in partial


def test_the_district_filters_by_status(cast, as_user):
    second = f.school(cast.district, "赤坎第二小学")
    queue(cast, school=second)
    client = as_user(cast.district_admin)
    pending = client.get(DISTRICT, {"status": "pending"}).content.decode()
    assert second.name in pending and cast.school.name not in pending
    waiting = client.get(DISTRICT, {"status": "waiting"}).content.decode()
    assert cast.school.name in waiting and second.name not in waiting


def test_the_district_counts_its_schools_by_registration_status(cast, as_user):
    second = f.school(cast.district, "赤坎第二小学")
    f.school(cast.district, "赤坎第三小学")
    queue(cast, school=second)
    body = as_user(cast.district_admin).get(DISTRICT).content.decode()
    cards = body.split('id="registration-counts"')[1].split("</form>")[0]
    counts = re.findall(
        r'small">([^<]+)</div><div class="fs-5 fw-semibold text-body">(\d+) ', cards
    )
    assert counts == [("待验收", "2"), ("排队中", "1"), ("登记中", "0"), ("已完成", "0")]


def test_nothing_on_the_district_page_starts_a_registration(cast, as_user):
    client = as_user(cast.district_admin)
    body = client.get(DISTRICT).content.decode()
    assert "hours/register" not in body and "开始登记" not in body
    client.post(DISTRICT)
    assert not RegistrationBatch.objects.exists()


def test_the_district_page_costs_the_same_for_10_and_100_schools(cast, as_user):
    client = as_user(cast.district_admin)
    client.get(DISTRICT)  # warm the session and caches

    def grow(n):
        start = School.objects.count()
        for i in range(n):
            school = f.school(cast.district, f"学校{start + i:04d}")
            f.teacher(school)
            if i % 2:
                queue(cast, school=school, by=cast.district_admin)
            elif i % 3:
                fx.passed(cast, school)
                hours_register_school(school=school, cycle=cast.cycle, by=cast.district_admin)

    def cost(**params):
        client.get(DISTRICT, params)  # computes the figures of schools that have none
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(DISTRICT, params).status_code == 200
        return len(ctx.captured_queries)

    grow(10)
    small = [cost(), cost(status="done"), cost(HTTP_HX_REQUEST="true")]
    grow(90)
    large = [cost(), cost(status="done"), cost(HTTP_HX_REQUEST="true")]
    assert small == large


def test_what_the_district_page_queries(cast, as_user, django_assert_num_queries):
    queue(cast, by=cast.district_admin)
    client = as_user(cast.district_admin)
    client.get(DISTRICT)
    with CaptureQueriesContext(connection) as ctx:
        grants_for(cast.district_admin)
    # session, user, the role grants, the navbar's unread count; then the cycle,
    # the region (the scope), the paginator's count, one page of schools with
    # acceptance and batch status, their batches with who started them, their
    # teachers (the kept figures), the schools per registration status (the
    # counts at the top)
    with django_assert_num_queries(3 + len(ctx.captured_queries) + 7):
        client.get(DISTRICT)


# ---- the school's status line ----------------------------------------------------


def test_the_school_hours_page_shows_its_running_batch_and_polls_it(cast, as_user):
    queue(cast)
    client = as_user(cast.school_admin)
    body = client.get(SCHOOL).content.decode()
    assert "学时登记排队中" in body and "0/3" in body
    assert f'hx-get="{SCHOOL_STATUS}"' in body

    hours_register_school(school=cast.school, cycle=cast.cycle)
    status = client.get(SCHOOL_STATUS).content.decode()
    assert "学时登记已完成" in status and "共登记 3 名教师" in status
    assert "hx-get" not in status


def test_before_acceptance_the_school_is_told_registration_follows_it(cast, as_user):
    body = as_user(cast.school_admin).get(SCHOOL).content.decode()
    assert "整校推进验收通过后由平台自动进行" in body
    assert "hx-get" not in body.split('id="registration"')[1].split(">")[0]


def test_the_school_status_is_for_the_school_only(cast, as_user, client):
    assert reverse("accounts:login") in client.get(SCHOOL_STATUS)["Location"]
    assert as_user(cast.teacher).get(SCHOOL_STATUS).status_code == 403
    queue(cast, school=cast.other_school)
    body = as_user(cast.school_admin).get(SCHOOL_STATUS).content.decode()
    assert "排队中" not in body


def test_a_teacher_who_joined_after_the_pass_is_shown_until_the_nightly_refresh(cast, as_user):
    fx.passed(cast)
    hours_register_school(school=cast.school, cycle=cast.cycle)
    f.teacher(cast.school, "新来老师")
    row = row_of(as_user(cast.district_admin).get(DISTRICT).content.decode(), cast.school)
    assert "现有 4 名教师，新加入的次日自动登记" in row
    hours_register_school(school=cast.school, cycle=cast.cycle)  # the nightly refresh
    row = row_of(as_user(cast.district_admin).get(DISTRICT).content.decode(), cast.school)
    assert "新加入的次日自动登记" not in row and "4/4" in row


def test_each_schools_row_reads_its_state_as_text(cast, as_user):
    """The rows are drawn by a tag (hours_tags.district_registration_row): a
    school waiting for its acceptance, one queued, one done with its bar,
    time and who started it; names escaped."""
    cast.school.name = '<b>赤坎</b>"一小'
    cast.school.save()
    client = as_user(cast.district_admin)
    page = client.get(DISTRICT).content.decode()
    waiting = row_of(page, cast.school)
    assert "&lt;b&gt;赤坎&lt;/b&gt;&quot;一小" in waiting and "<b>赤坎" not in page
    assert "待验收" in waiting and "整校推进验收通过后自动登记" in waiting
    assert '<td data-label="教师数">3</td>' in waiting
    queue(cast, by=cast.district_admin)
    queued = row_of(client.get(DISTRICT).content.decode(), cast.school)
    assert "排队中" in queued and "0/3" in queued and "开始" in queued
    assert cast.district_admin.display_name in queued
    hours_register_school(school=cast.school, cycle=cast.cycle)
    done = row_of(client.get(DISTRICT).content.decode(), cast.school)
    assert "已完成" in done and "3/3" in done and 'style="width: 100%"' in done
    batch = RegistrationBatch.objects.get(school=cast.school)
    from django.utils import timezone

    assert timezone.localtime(batch.finished_at).strftime("%Y-%m-%d %H:%M") in done
