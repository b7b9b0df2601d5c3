"""Issue 14 §1: 扫码签到 for offline activities. The leader opens check-in on the
activity's day; the screen shows a QR code of a signed token that changes every
30 seconds; a designated member who scans it is checked in once; an old or
forged code is refused; another group's member gets 404; closing makes the
签到表, which goes in as the first evidence through the evidence rule."""

import datetime
import io
import re
import zoneinfo

import openpyxl
import pytest
import segno
import time_machine
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities import services
from activities.checkin_codes import checkin_token
from activities.models import CheckIn, CheckInSheet, Evidence, Participation
from groups.models import GroupMember
from hours.models import HoursClaim, HoursEntry

from . import factories as f
from . import factories_activities as fa
from .conftest import login

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(hh: int, mm: int, ss: int = 0) -> datetime.datetime:
    """Today (the activity's day) at hh:mm:ss in Asia/Shanghai: 10:00:00 starts a
    30-second slot."""
    return datetime.datetime.combine(timezone.localdate(), datetime.time(hh, mm, ss), SHANGHAI)


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


@pytest.fixture
def offline(s):
    """A 线下活动 held today, 4 hours, 李老师 (member) and 王老师 (member2) designated."""
    a = fa.activity(s, "offline", held_on=timezone.localdate(), hours=4, title="集体备课")
    services.participants_designate(activity=a, by=s.leader, users=[s.member, s.member2])
    return a


def scan_url(activity, when=None) -> str:
    return reverse(
        "activities:checkin_scan", args=[checkin_token(activity_id=activity.pk, now=when)]
    )


def open_checkin(s, activity):
    response = login(s.leader).post(reverse("activities:checkin_open", args=[activity.pk]))
    assert response.status_code == 302
    return CheckInSheet.objects.get(activity=activity)


def text(response) -> str:
    return response.content.decode()


# The code --------------------------------------------------------------------


def test_the_leader_opens_check_in_only_on_the_activitys_day(s, cast):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    earlier = fa.activity(s, "offline", hours=2, title="昨天的活动", held_on=yesterday)
    leader = login(s.leader)
    response = leader.post(reverse("activities:checkin_open", args=[earlier.pk]), follow=True)
    assert "签到只能在活动当天" in text(response)
    assert not CheckInSheet.objects.exists()
    page = leader.get(reverse("activities:detail", args=[earlier.pk]))
    assert "可在此开始扫码签到" in text(page)


def test_the_screen_shows_the_code_of_the_current_token_url(s, offline):
    with time_machine.travel(at(10, 0, 5), tick=False):
        open_checkin(s, offline)
        leader = login(s.leader)
        assert "开始扫码签到" not in text(
            leader.get(reverse("activities:detail", args=[offline.pk]))
        )
        part = text(leader.get(reverse("activities:checkin_code", args=[offline.pk])))
        screen = text(leader.get(reverse("activities:checkin_screen", args=[offline.pk])))
        expected = segno.make(f"http://testserver{scan_url(offline)}", error="m", micro=False)
    # The SVG drawn is exactly the QR code of the scan URL with this slot's token.
    path = re.search(r'<path[^>]* d="([^"]+)"', expected.svg_inline(omitsize=True, border=2)).group(
        1
    )
    assert path in part and path in screen
    assert 'hx-trigger="every 30s"' in screen and 'hx-trigger="every 3s"' in screen
    # Thirty seconds later the screen draws another code.
    with time_machine.travel(at(10, 0, 35), tick=False):
        later = text(leader.get(reverse("activities:checkin_code", args=[offline.pk])))
    assert path not in later


# Scanning ----------------------------------------------------------------------


def test_a_designated_member_checks_in_once(s, offline):
    open_checkin(s, offline)
    member = login(s.member)
    with time_machine.travel(at(14, 32, 10), tick=False):
        first = member.get(scan_url(offline))
    assert first.status_code == 200
    assert "签到成功" in text(first) and "14:32" in text(first)
    row = CheckIn.objects.get(activity=offline, user=s.member)
    assert (
        row.method == "scan" and timezone.localtime(row.checked_in_at).strftime("%H:%M") == "14:32"
    )
    # A second scan (a minute later, a new code) says when; nothing more is stored.
    with time_machine.travel(at(14, 33, 40), tick=False):
        second = member.get(scan_url(offline))
    assert "你已于 14:32 签到" in text(second)
    assert CheckIn.objects.filter(activity=offline).count() == 1
    # The member's own activity page says so too.
    assert "你已于 14:32 签到" in text(member.get(reverse("activities:detail", args=[offline.pk])))


def test_an_expired_or_forged_code_is_refused(s, offline):
    open_checkin(s, offline)
    member = login(s.member)
    with time_machine.travel(at(10, 0, 5), tick=False):
        url = scan_url(offline)
    # Within its own slot and the next one it works...
    with time_machine.travel(at(10, 0, 55), tick=False):
        token = url.rstrip("/").rsplit("/", 1)[1]
        assert member.get(url).status_code == 200
    CheckIn.objects.all().delete()
    # ...a photo of it a minute later does not.
    with time_machine.travel(at(10, 1, 5), tick=False):
        old = member.get(url)
    assert old.status_code == 400 and "签到二维码已过期" in text(old)
    assert not CheckIn.objects.exists()
    # Forged: a changed signature, or another activity's id under this signature,
    # or a token signed with another salt (as a QR of something else would be).
    value, signature = token.split(":")
    forged = [
        f"{value}:{signature[:-2]}xx",
        f"{int(value.split('.')[0]) + 1}.{value.split('.')[1]}:{signature}",
        signing.Signer(salt="other").sign(value),
        "nonsense",
    ]
    with time_machine.travel(at(10, 0, 10), tick=False):
        for bad in forged:
            response = member.get(reverse("activities:checkin_scan", args=[bad]))
            assert response.status_code == 400, bad
            assert "签到二维码无效" in text(response)
    assert not CheckIn.objects.exists()


def test_a_member_of_another_group_or_school_is_refused_with_404(s, cast, offline):
    open_checkin(s, offline)
    url = scan_url(offline)
    outsiders = [s.other_leader, cast.outsider, f.teacher(cast.school, "无组教师")]
    for person in outsiders:
        assert login(person).get(url).status_code == 404, person
    assert not CheckIn.objects.exists()
    # No role that checks in: 403 (a district admin), the login page when logged out.
    assert login(cast.district_admin).get(url).status_code == 403


def test_a_member_not_designated_is_told_and_the_leader_designates_them_on_the_spot(s, offline):
    extra = f.teacher(s.group.school, "赵老师", subject="语文")
    GroupMember.objects.create(group=s.group, user=extra)
    open_checkin(s, offline)
    response = login(extra).get(scan_url(offline))
    assert "你不在本活动的指定参与名单中" in text(response)
    assert CheckIn.objects.filter(user=extra).exists()
    leader = login(s.leader)
    listing = text(leader.get(reverse("activities:checkin_list", args=[offline.pk])))
    assert "赵老师" in listing and "未指定" in listing and "指定参与" in listing
    leader.post(reverse("activities:checkin_designate", args=[offline.pk, extra.pk]))
    assert Participation.objects.filter(
        activity=offline, user=extra, designated_by=s.leader
    ).exists()
    listing = text(leader.get(reverse("activities:checkin_list", args=[offline.pk])))
    assert "未指定" not in listing


def test_a_logged_out_member_logs_in_and_the_scan_they_made_in_time_counts(s, offline):
    open_checkin(s, offline)
    browser = Client()  # the phone's browser, logged out
    with time_machine.travel(at(9, 0, 10), tick=False):
        url = scan_url(offline)
        response = browser.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    # Typing a phone number and password on a phone takes more than a minute.
    with time_machine.travel(at(9, 2, 30), tick=False):
        logged = browser.post(
            response["Location"],
            {"username": s.member.username, "password": "pass-word-123"},
        )
        assert logged.status_code == 302 and logged["Location"] == url
        done = browser.get(url)
    assert "签到成功" in text(done)
    row = CheckIn.objects.get(user=s.member)
    assert timezone.localtime(row.checked_in_at).strftime("%H:%M:%S") == "09:00:10"
    # Someone logging in with the link much later gets nothing.
    late = Client()
    with time_machine.travel(at(9, 0, 20), tick=False):
        late.get(url)
    with time_machine.travel(at(9, 20, 0), tick=False):
        late.post("/accounts/login/", {"username": s.member2.username, "password": "pass-word-123"})
        assert "签到二维码已过期" in text(late.get(url))
    assert not CheckIn.objects.filter(user=s.member2).exists()


def test_scanning_before_check_in_opens_or_after_it_closed_is_refused(s, offline):
    member = login(s.member)
    assert "组长尚未开始签到" in text(member.get(scan_url(offline)))
    open_checkin(s, offline)
    login(s.leader).post(reverse("activities:checkin_close", args=[offline.pk]))
    assert "签到已于" in text(member.get(scan_url(offline)))
    assert not CheckIn.objects.exists()


def test_the_leader_checks_someone_in_by_hand_with_a_reason(s, offline):
    open_checkin(s, offline)
    leader = login(s.leader)
    url = reverse("activities:checkin_manual", args=[offline.pk])
    refused = leader.post(url, {"user": s.member2.pk, "reason": "  "}, follow=True)
    assert "请填写代签原因" in text(refused)
    assert not CheckIn.objects.exists()
    leader.post(url, {"user": s.member2.pk, "reason": "手机没电"})
    row = CheckIn.objects.get(user=s.member2)
    assert (row.method, row.by, row.reason) == ("manual", s.leader, "手机没电")
    again = leader.post(url, {"user": s.member2.pk, "reason": "再签一次"}, follow=True)
    assert "只能为本组尚未签到的组员代签" in text(again)
    assert CheckIn.objects.count() == 1


# Closing: the 签到表 and the evidence ---------------------------------------------


def _sheet_rows(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header = [c.value for c in sheet[1]]
    assert header[:9] == [
        "序号",
        "学校",
        "教研组",
        "活动",
        "活动日期",
        "姓名",
        "学科",
        "签到时间",
        "签到方式",
    ]
    assert header[-1] == "签名"
    return [row for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_closing_produces_a_sheet_whose_rows_equal_the_check_ins(s, cast, offline):
    open_checkin(s, offline)
    with time_machine.travel(at(15, 1, 0), tick=False):
        login(s.member).get(scan_url(offline))
    with time_machine.travel(at(15, 4, 0), tick=False):
        login(s.leader).post(
            reverse("activities:checkin_manual", args=[offline.pk]),
            {"user": s.member2.pk, "reason": "手机没电"},
        )
    leader = login(s.leader)
    closed = leader.post(reverse("activities:checkin_close", args=[offline.pk]))
    assert closed["Location"] == reverse("activities:checkin_sheet", args=[offline.pk])
    assert CheckInSheet.objects.get(activity=offline).closed_by == s.leader
    rows = _sheet_rows(
        leader.get(reverse("activities:checkin_sheet_xlsx", args=[offline.pk])).content
    )
    check_ins = list(CheckIn.objects.filter(activity=offline).order_by("checked_in_at"))
    assert [(r[5], r[7]) for r in rows] == [
        (c.user.real_name, timezone.localtime(c.checked_in_at).strftime("%H:%M")) for c in check_ins
    ]
    assert rows[0][1:7] == (
        cast.school.name,
        "语文组",
        "集体备课",
        f"{offline.held_on:%Y-%m-%d}",
        "李老师",
        "语文",
    )
    assert rows[1][8].startswith("组长代签") and "手机没电" in rows[1][8]
    # The printable page shows the same people, with a column to sign.
    page = text(leader.get(reverse("activities:checkin_sheet", args=[offline.pk])))
    assert "线下研修活动签到表" in page and "签名" in page and "data-print" in page
    assert page.index("李老师") < page.index("王老师")


def test_adding_the_sheet_as_evidence_credits_exactly_the_designated_members_once(s, offline):
    extra = f.teacher(s.group.school, "赵老师")
    GroupMember.objects.create(group=s.group, user=extra)
    absent = f.teacher(s.group.school, "钱老师")
    GroupMember.objects.create(group=s.group, user=absent)
    services.participants_designate(activity=offline, by=s.leader, users=[absent])
    open_checkin(s, offline)
    for person in (s.member, s.member2, extra):  # 赵老师 came without being designated
        login(person).get(scan_url(offline))
    leader = login(s.leader)
    leader.post(reverse("activities:checkin_close", args=[offline.pk]))
    page = leader.get(reverse("activities:checkin_sheet", args=[offline.pk]))
    body = text(page)
    # The designated who did not come are listed; the leader decides: 钱老师 goes.
    assert "已指定但未签到（1 人）" in body and "钱老师" in body
    leader.post(reverse("activities:checkin_undesignate", args=[offline.pk, absent.pk]))
    assert not Participation.objects.filter(activity=offline, user=absent).exists()
    form = leader.get(reverse("activities:checkin_sheet", args=[offline.pk])).context[
        "evidence_form"
    ]
    assert "将为 2 名指定组员计入 4 学时" in form.fields["confirm_credit"].label
    token = form.initial["request_token"]
    url = reverse("activities:checkin_evidence", args=[offline.pk])
    # Without the tick nothing is stored or credited.
    refused = leader.post(url, {"request_token": token}, follow=True)
    assert "请勾选确认后再上传" in text(refused)
    assert not Evidence.objects.exists() and not HoursEntry.objects.exists()
    leader.post(url, {"request_token": token, "confirm_credit": 2})
    leader.post(url, {"request_token": token, "confirm_credit": 2})  # a double tap
    evidence = Evidence.objects.get(activity=offline)
    assert evidence.kind == "sign_in" and evidence.original_name.endswith(".xlsx")
    credited = HoursEntry.objects.filter(object_id=offline.pk, kind="credit")
    assert sorted(e.teacher.real_name for e in credited) == ["李老师", "王老师"]
    assert all(e.hours == 4 for e in credited)
    # The stored file is the 签到表 of the three who came.
    stored = _sheet_rows(evidence.file.read())
    assert [r[5] for r in stored] == ["李老师", "王老师", "赵老师"]
    assert stored[2][9] == "未指定参与，不计学时"


def test_the_leaders_own_check_in_credit_waits_for_the_school_admin(s, offline):
    services.participants_designate(activity=offline, by=s.leader, users=[s.leader])
    open_checkin(s, offline)
    leader = login(s.leader)
    leader.get(scan_url(offline))
    leader.post(reverse("activities:checkin_close", args=[offline.pk]))
    token = (
        leader.get(reverse("activities:checkin_sheet", args=[offline.pk]))
        .context["evidence_form"]
        .initial["request_token"]
    )
    leader.post(
        reverse("activities:checkin_evidence", args=[offline.pk]),
        {**fa.once(), "request_token": token, "confirm_credit": 3},
    )
    assert HoursClaim.objects.filter(teacher=s.leader, status="pending").count() == 1
    assert not HoursEntry.objects.filter(teacher=s.leader).exists()


def test_the_sheet_goes_in_as_evidence_only_once_check_in_is_closed(s, offline):
    open_checkin(s, offline)
    leader = login(s.leader)
    response = leader.post(
        reverse("activities:checkin_evidence", args=[offline.pk]),
        {**fa.once(), "confirm_credit": 2},
        follow=True,
    )
    assert "请先结束签到" in text(response)
    assert not Evidence.objects.exists()


# Who may do what --------------------------------------------------------------

LEADER_GETS = [
    "checkin_screen",
    "checkin_code",
    "checkin_list",
    "checkin_sheet",
    "checkin_sheet_xlsx",
]
LEADER_POSTS = ["checkin_open", "checkin_close", "checkin_manual", "checkin_evidence"]


def _urls(activity, user):
    urls = [
        (name, reverse(f"activities:{name}", args=[activity.pk]), "get") for name in LEADER_GETS
    ]
    urls += [
        (name, reverse(f"activities:{name}", args=[activity.pk]), "post") for name in LEADER_POSTS
    ]
    for name in ("checkin_designate", "checkin_undesignate"):
        urls.append((name, reverse(f"activities:{name}", args=[activity.pk, user.pk]), "post"))
    return urls


def test_the_permission_ladder_of_every_check_in_url(s, cast, offline, client):
    open_checkin(s, offline)
    login(s.member).get(scan_url(offline))
    for name, url, method in _urls(offline, s.member):
        anonymous = getattr(client, method)(url)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"], name
        assert getattr(login(cast.outsider), method)(url).status_code == 404, name
        assert getattr(login(s.other_leader), method)(url).status_code == 404, name
        # A member of the group (not its leader), and a school admin: may see, not run it.
        assert getattr(login(s.member), method)(url).status_code == 403, name
        assert getattr(login(cast.school_admin), method)(url).status_code == 403, name
        assert getattr(login(cast.district_admin), method)(url).status_code == 403, name
    leader = login(s.leader)
    for name in LEADER_GETS:
        assert leader.get(reverse(f"activities:{name}", args=[offline.pk])).status_code == 200, name
    # The scan: logged out with a good code → the login page; a bad one → the message.
    assert client.get(scan_url(offline))["Location"].startswith("/accounts/login/")
    assert client.get(reverse("activities:checkin_scan", args=["x"])).status_code == 400
    # Another kind of activity has no check-in: 404.
    talk = fa.activity(s, "discussion")
    assert leader.get(reverse("activities:checkin_screen", args=[talk.pk])).status_code == 404


def test_an_archived_group_takes_no_check_in(s, cast, offline):
    open_checkin(s, offline)
    from groups.services import group_archive

    group_archive(group=s.group, by=cast.school_admin)
    assert "该教研组已归档" in text(login(s.member).get(scan_url(offline)))
    assert not CheckIn.objects.exists()
    assert (
        login(s.leader).get(reverse("activities:checkin_screen", args=[offline.pk])).status_code
        == 403
    )


def test_the_screen_and_its_list_cost_the_same_queries_at_3_and_20_check_ins(
    s, offline, django_assert_num_queries
):
    open_checkin(s, offline)
    leader = login(s.leader)
    people = []

    def come(n):
        for _ in range(n):
            person = f.teacher(s.group.school)
            GroupMember.objects.create(group=s.group, user=person)
            people.append(person)
            CheckIn.objects.create(activity=offline, user=person, method="scan")

    come(3)
    urls = [
        reverse("activities:checkin_list", args=[offline.pk]),
        reverse("activities:checkin_screen", args=[offline.pk]),
        reverse("activities:checkin_sheet", args=[offline.pk]),
    ]
    counts = {}
    for url in urls:
        leader.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert leader.get(url).status_code == 200
        counts[url] = len(ctx.captured_queries)
    come(17)
    # session, user, role grants (one query), the activity, the check-in
    # sheet, the check-ins with subject and designation, the designated who have
    # not come, the members not checked in (the manual form), the unread count;
    # the sheet page also its school, the evidence and participation counts.
    for url in urls:
        with django_assert_num_queries(counts[url]):
            leader.get(url)


def test_the_code_stops_polling_once_check_in_is_closed(s, offline):
    open_checkin(s, offline)
    leader = login(s.leader)
    leader.post(reverse("activities:checkin_close", args=[offline.pk]))
    response = leader.get(reverse("activities:checkin_code", args=[offline.pk]))
    assert response.status_code == 286  # htmx stops polling on this status
    assert "签到已结束" in text(response) and "<svg" not in text(response)


def test_a_removed_teacher_s_check_ins_and_comments_go_to_the_audit_trail(s, cast, offline):
    from accounts.models import SchoolMembership
    from activities.models import VideoComment
    from groups.models import ClearedRecord
    from groups.services import teacher_remove

    open_checkin(s, offline)
    login(s.member).get(scan_url(offline))
    lesson = fa.activity(s, "observation")
    p = services.participation_join(activity=lesson, user=s.member)
    services.participation_enter(participation=p)
    services.video_comment_add(activity=lesson, user=s.member, second=30, body="调岗前的评论")
    place = SchoolMembership.objects.active().get(user=s.member, school=cast.school)
    removal = teacher_remove(membership=place, by=cast.school_admin, reason="调岗")
    assert removal.cleared["activities"]["check_ins"] == 1
    assert removal.cleared["activities"]["video_comments"] == 1
    assert not CheckIn.objects.filter(user=s.member).exists()
    assert not VideoComment.objects.filter(author=s.member).exists()
    kept = {r.model: r for r in ClearedRecord.objects.filter(removal=removal)}
    assert kept["activities.videocomment"].data["body"] == "调岗前的评论"
    assert kept["activities.checkin"].data["method"] == "scan"
    page = text(login(s.leader).get(reverse("activities:checkin_list", args=[offline.pk])))
    assert "李老师" not in page
