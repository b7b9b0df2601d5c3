"""Extensions (延期, issue 13): a school admin, or the group's leader for their
activity, gives one teacher more time with a reason. Exactly that teacher may
then hand in late — homework, a post, an observation form, and (the school
admin's grant on the cycle's materials) the plan and summaries — while a
colleague is still refused; the grant is audited and the teacher is told and
sees the new date. Through the real URLs, as the role that acts, with the
clock moved past the deadline (time-machine)."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Notification
from activities.models import (
    Extension,
    ObservationResponse,
    Participation,
    Post,
    Submission,
)
from assessment.models import AbilitySummary, ImprovementPlan
from hours.models import HoursClaim, HoursEntry

from . import factories as f
from . import factories_activities as fa
from . import factories_assessment as fm

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=SHANGHAI)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def said(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


@pytest.fixture
def work(s, as_user):
    """A discussion, a homework and an observation of 语文组, all closing in two
    days; both members joined each while they were open."""
    t = fa.topic(s)
    closes = fa.today() + days(2)
    acts = {
        kind: fa.activity(
            s,
            kind,
            t=t,
            held_on=fa.today() - days(n),
            closes_on=closes,
            opens_on=fa.today() - days(9),
        )
        for n, kind in enumerate(("discussion", "homework", "observation"))
    }
    for member in (s.member, s.member2):
        client = as_user(member)
        for a in acts.values():
            assert client.post(reverse("activities:join", args=[a.pk])).status_code == 302
    return acts


def grant(client, a, teacher, until, reason="生病住院，出院后补交"):
    return client.post(
        reverse("activities:extension_new", args=[a.pk, teacher.pk]),
        fa.once(until=f"{until:%Y-%m-%d}", reason=reason),
        follow=True,
    )


def hand_in(client, kind, a):
    """The member's work for the activity, as its page sends it."""
    if kind == "discussion":
        url, data = (
            reverse("activities:post_new", args=[a.pk]),
            fa.once(body="迟到但有延期的研讨观点，内容足够长。"),
        )
    elif kind == "homework":
        url = reverse("activities:homework_submit", args=[a.pk])
        data = {
            "text": "延期后提交的作业",
            "files": [fa.upload("设计.pdf", fa.PDF, "application/pdf")],
        }
    else:
        url, data = reverse("activities:observation_submit", args=[a.pk]), fa.answers_for(a)
    return client.post(url, data, follow=True)


STORED = {
    "discussion": lambda a, u: Post.objects.filter(activity=a, author=u).exists(),
    "homework": lambda a, u: Submission.objects.filter(activity=a, user=u).exists(),
    "observation": lambda a, u: ObservationResponse.objects.filter(activity=a, user=u).exists(),
}


@pytest.mark.parametrize("kind", ["discussion", "homework", "observation"])
def test_a_leaders_extension_lets_exactly_that_member_hand_in_late(s, work, as_user, kind):
    a = work[kind]
    until = a.closes_on + days(5)
    answer = grant(as_user(s.leader), a, s.member, until)
    assert f"已为 {s.member.display_name} 延期至" in said(answer)

    with time_machine.travel(noon(a.closes_on + days(3))):
        late = hand_in(as_user(s.member), kind, a)
        refused = hand_in(as_user(s.member2), kind, a)
    assert STORED[kind](a, s.member)
    assert Participation.objects.get(activity=a, user=s.member).completed_at is not None
    assert HoursEntry.objects.filter(teacher=s.member, object_id=a.pk, kind="credit").exists()
    assert "已于" not in said(late)
    # The colleague without an extension is refused as before, and nothing is stored.
    assert f"该活动已于 {a.closes_on:%Y-%m-%d} 结束，不能再提交。" in said(refused)
    assert not STORED[kind](a, s.member2)
    assert not HoursEntry.objects.filter(teacher=s.member2, object_id=a.pk).exists()


def test_the_extension_ends_on_its_day(s, work, as_user):
    a = work["homework"]
    until = a.closes_on + days(2)
    grant(as_user(s.leader), a, s.member, until)
    with time_machine.travel(noon(until + days(1))):
        answer = hand_in(as_user(s.member), "homework", a)
    assert f"你的延期已于 {until:%Y-%m-%d} 到期，不能再提交。" in said(answer)
    assert not Submission.objects.filter(activity=a).exists()


def test_the_grant_is_audited_and_the_teacher_told_and_shown_the_new_date(cast, s, work, as_user):
    a = work["homework"]
    until = a.closes_on + days(4)
    grant(as_user(s.leader), a, s.member, until, reason="外出支教一周")
    e = Extension.objects.get()
    assert (e.scope, e.teacher, e.activity, e.until, e.reason, e.granted_by) == (
        "activity",
        s.member,
        a,
        until,
        "外出支教一周",
        s.leader,
    )
    assert e.school == s.group.school and e.cycle == a.cycle and e.granted_at is not None
    notice = Notification.objects.get(user=s.member, kind="extension")
    assert f"延至 {until:%Y-%m-%d}" in notice.message and "外出支教一周" in notice.message
    assert notice.link == a.get_absolute_url()
    assert not Notification.objects.filter(user=s.member2, kind="extension").exists()
    # The member sees their own date; the colleague the activity's.
    mine = text(as_user(s.member).get(reverse("activities:detail", args=[a.pk])))
    assert f"已为你延期至 {until:%Y-%m-%d}" in mine
    assert f"你的截止 {until:%m-%d}" in mine
    theirs = text(as_user(s.member2).get(reverse("activities:detail", args=[a.pk])))
    assert "延期" not in theirs and f"截止 {a.closes_on:%m-%d}" in theirs
    board = text(as_user(s.member).get(reverse("activities:mine")))
    assert f"已为你延期至 {until:%m-%d}" in board
    # The school's audit list names who, whom, what, until, why and when.
    rows = text(as_user(cast.school_admin).get(reverse("activities:school_extensions")))
    assert f"{s.member.real_name} · 延至 {until:%Y-%m-%d}" in rows
    assert f"批准人：{s.leader.display_name} · 原因：外出支教一周" in rows
    assert f"《{a.title}》" in rows


def test_an_activity_extension_runs_past_the_cycles_end_for_that_activity_only(
    cast, s, work, as_user
):
    a, other = work["homework"], work["discussion"]
    cast.cycle.ends_on = a.closes_on
    cast.cycle.save()
    until = a.closes_on + days(10)
    grant(as_user(cast.school_admin), a, s.member, until)
    with time_machine.travel(noon(a.closes_on + days(6))):
        member = as_user(s.member)
        hand_in(member, "homework", a)
        refused = hand_in(member, "discussion", other)
    assert Submission.objects.filter(activity=a, user=s.member).exists()
    assert HoursEntry.objects.filter(teacher=s.member, object_id=a.pk).exists()
    assert "研修周期“2026 学年”已于" in said(refused) or "该活动已于" in said(refused)
    assert not Post.objects.filter(author=s.member).exists()


def test_an_extension_reopens_an_activity_the_leader_ended_for_that_member_only(s, work, as_user):
    a = work["discussion"]
    leader = as_user(s.leader)
    leader.post(reverse("activities:activity_close", args=[a.pk]))
    grant(leader, a, s.member, a.closes_on + days(3))
    assert Post.objects.count() == 0
    hand_in(as_user(s.member), "discussion", a)
    refused = hand_in(as_user(s.member2), "discussion", a)
    assert Post.objects.filter(author=s.member).exists()
    assert (
        "结束，不能再提交" in said(refused) and not Post.objects.filter(author=s.member2).exists()
    )


# ---- the cycle's materials: the school admin's grant ------------------------------


@pytest.fixture
def mats(cast):
    return fm.mats_setup(cast)


def grant_materials(client, teacher, until, reason="产假结束后补交材料"):
    place = fm.place(teacher)
    return client.post(
        reverse("assessment:materials_extension_new", args=[place.pk]),
        fa.once(until=f"{until:%Y-%m-%d}", reason=reason),
        follow=True,
    )


def test_a_materials_extension_lets_exactly_that_teacher_upload_plan_and_summary(
    cast, mats, as_user
):
    for teacher in (cast.teacher, cast.teacher2):
        fm.choose(cast, teacher, mats.keys[:3])
    end = cast.cycle.ends_on
    answer = grant_materials(as_user(cast.school_admin), cast.teacher, end + days(20))
    assert "个人材料提交期限延至" in said(answer)
    e = Extension.objects.get()
    assert (e.scope, e.activity, e.teacher, e.granted_by) == (
        "materials",
        None,
        cast.teacher,
        cast.school_admin,
    )
    with time_machine.travel(noon(end + days(10))):
        for teacher in (cast.teacher, cast.teacher2):
            client = as_user(teacher)
            client.post(
                reverse("assessment:plan_upload"), {"file": fm.upload("计划.pdf")}, follow=True
            )
            last = client.post(
                reverse("assessment:summary_upload", args=[mats.keys[0].pk]),
                {"file": fm.upload("总结.docx", fm.DOCX)},
                follow=True,
            )
        mine = text(as_user(cast.teacher).get(reverse("assessment:mine")))
    assert ImprovementPlan.objects.filter(teacher=cast.teacher).exists()
    assert AbilitySummary.objects.filter(teacher=cast.teacher).count() == 1
    assert not ImprovementPlan.objects.filter(teacher=cast.teacher2).exists()
    assert not AbilitySummary.objects.filter(teacher=cast.teacher2).exists()
    assert f"研修周期已于 {end.year}年{end.month}月{end.day}日结束" in said(last)
    assert f"学校已为你延期至 {end + days(20):%Y-%m-%d}" in mine
    assert "还剩 10 天" in mine
    notice = Notification.objects.get(user=cast.teacher, kind="extension")
    assert "个人材料" in notice.message and "产假结束后补交材料" in notice.message


# ---- bounds -----------------------------------------------------------------------


def test_the_new_day_must_be_later_than_the_current_end_and_within_30_days_of_the_cycle(
    cast, s, work, as_user
):
    a = work["homework"]
    leader = as_user(s.leader)
    same = grant(leader, a, s.member, a.closes_on)
    assert f"延期日期须晚于当前截止日期 {a.closes_on:%Y-%m-%d}。" in text(same)
    too_far = cast.cycle.ends_on + days(31)
    far = grant(leader, a, s.member, too_far)
    latest = cast.cycle.ends_on + days(30)
    assert f"延期最晚只能到 {latest:%Y-%m-%d}（研修周期结束后 30 天）。" in text(far)
    no_reason = grant(leader, a, s.member, a.closes_on + days(1), reason="  ")
    assert "请填写延期原因。" in text(no_reason)
    assert not Extension.objects.exists()
    page = text(leader.get(reverse("activities:extension_new", args=[a.pk, s.member.pk])))
    assert f"可选 {a.closes_on + days(1):%Y-%m-%d} 至 {latest:%Y-%m-%d}" in page
    # A second grant must go beyond the first.
    grant(leader, a, s.member, a.closes_on + days(5))
    shorter = grant(leader, a, s.member, a.closes_on + days(3))
    assert f"须晚于当前截止日期 {a.closes_on + days(5):%Y-%m-%d}" in text(shorter)
    assert Extension.objects.count() == 1


def test_past_the_last_possible_day_the_page_says_no_extension_is_possible(cast, mats, as_user):
    end = cast.cycle.ends_on
    with time_machine.travel(noon(end + days(31))):
        page = text(
            as_user(cast.school_admin).get(
                reverse("assessment:materials_extension_new", args=[fm.place(cast.teacher).pk])
            )
        )
    assert f"已超过可延期的最后期限 {end + days(30):%Y-%m-%d}" in page


def test_a_double_click_grants_once(s, work, as_user):
    a = work["homework"]
    leader = as_user(s.leader)
    url = reverse("activities:extension_new", args=[a.pk, s.member.pk])
    token = str(leader.get(url).context["form"].initial["request_token"])
    data = {"until": f"{a.closes_on + days(3):%Y-%m-%d}", "reason": "病假", "request_token": token}
    leader.post(url, data)
    leader.post(url, data)
    assert Extension.objects.count() == 1
    assert Notification.objects.filter(kind="extension").count() == 1


# ---- scope ------------------------------------------------------------------------


def test_a_leader_extending_a_non_member_gets_404(cast, s, work, as_user):
    stranger = f.teacher(cast.school, "非组员")
    a = work["homework"]
    answer = as_user(s.leader).post(
        reverse("activities:extension_new", args=[a.pk, stranger.pk]),
        {"until": f"{a.closes_on + days(2):%Y-%m-%d}", "reason": "x"},
    )
    assert answer.status_code == 404
    # Another group's member, too (数学组's leader).
    answer = as_user(s.leader).get(
        reverse("activities:extension_new", args=[a.pk, s.other_leader.pk])
    )
    assert answer.status_code == 404
    assert not Extension.objects.exists()


def test_another_groups_leader_and_another_schools_admin_get_404(cast, s, work, as_user):
    a = work["homework"]
    other_admin = f.school_admin(cast.other_school, "外校管理员")
    url = reverse("activities:extension_new", args=[a.pk, s.member.pk])
    data = {"until": f"{a.closes_on + days(2):%Y-%m-%d}", "reason": "x"}
    assert as_user(s.other_leader).post(url, data).status_code == 404
    assert as_user(other_admin).post(url, data).status_code == 404
    materials = reverse("assessment:materials_extension_new", args=[fm.place(s.member).pk])
    assert as_user(other_admin).post(materials, data).status_code == 404
    assert not Extension.objects.exists()


def test_a_member_may_not_extend_and_a_leader_not_the_cycles_materials(cast, s, work, as_user):
    a = work["homework"]
    data = {"until": f"{a.closes_on + days(2):%Y-%m-%d}", "reason": "x"}
    url = reverse("activities:extension_new", args=[a.pk, s.member2.pk])
    assert as_user(s.member).post(url, data).status_code == 403
    materials = reverse("assessment:materials_extension_new", args=[fm.place(s.member).pk])
    leader = as_user(s.leader)
    leader.post(reverse("accounts:role_switch"), {"role": f"leader:{cast.school.pk}"})
    assert leader.post(materials, data).status_code == 403
    assert not Extension.objects.exists()


def test_nobody_extends_themselves(s, work, as_user):
    a = work["homework"]
    answer = grant(as_user(s.leader), a, s.leader, a.closes_on + days(2))
    assert "不能为自己延期" in text(answer)
    assert not Extension.objects.exists()
    assert not HoursClaim.objects.exists()
