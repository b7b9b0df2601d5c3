"""Who lacks what and 提醒 (issue 13), through the real URLs as the role that
acts: the leader's list of an activity's members who have not completed it,
the leader's list of members and what each misses, the school's page with a
count per reason, the names behind each count, filters and .xlsx. A reminder
reaches exactly the people selected (or everyone a count names); a second one
the same day says when the last went out and sends nothing."""

import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, Reminder
from activities import services

from . import factories as f
from . import factories_activities as fa
from . import factories_assessment as fm

pytestmark = pytest.mark.django_db


def said(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def reminded(*users) -> dict:
    return {
        u.real_name: list(
            Notification.objects.filter(user=u, kind="reminder").values_list("message", flat=True)
        )
        for u in users
    }


# ---- an activity's members who have not completed it -----------------------------------


@pytest.fixture
def s(cast):
    s = fa.group_setup(cast)
    s.extra = [f.teacher(cast.school, f"组员{i}") for i in range(3)]
    from groups.models import GroupMember

    for t in s.extra:
        GroupMember.objects.create(group=s.group, user=t)
    return s


@pytest.fixture
def homework(s):
    a = fa.activity(
        s, "homework", title="教学设计作业", held_on=fa.today() - datetime.timedelta(days=1)
    )
    services.participation_join(activity=a, user=s.member)
    services.homework_submit(activity=a, user=s.member, text="交了")
    services.participation_join(activity=a, user=s.member2)
    return a


def test_the_leader_sees_who_has_not_completed_the_activity(s, homework, as_user):
    page = as_user(s.leader).get(reverse("activities:activity_lacking", args=[homework.pk]))
    listed = {line.user for line in page.context["lines"]}
    assert listed == {s.member2, *s.extra}  # the leader runs it: not chased
    assert page.context["done"] == 1
    body = text(page)
    assert "已完成 1 人 · 未完成 4 人" in body
    assert "已参与，未进入研修" in body and "未参与" in body
    assert "{姓名}老师：研修活动《教学设计作业》" in page.content.decode()


def test_a_leaders_reminder_reaches_exactly_the_ticked_members_once_a_day(s, homework, as_user):
    leader = as_user(s.leader)
    url = reverse("activities:activity_remind", args=[homework.pk])
    message = "{姓名}老师：《教学设计作业》{截止}截止（{倒计时}），请尽快提交。"
    answer = leader.post(
        url, {"message": message, "who": [s.member2.pk, s.extra[0].pk, s.member.pk]}, follow=True
    )
    # s.member completed: ticked or not, they are not reminded.
    assert "已向 2 人发送提醒。" in said(answer)
    got = reminded(s.member, s.member2, *s.extra)
    assert got[s.member.real_name] == [] and got[s.extra[1].real_name] == []
    assert got[s.member2.real_name] == [
        f"{s.member2.real_name}老师：《教学设计作业》"
        f"{homework.closes_on.year}年{homework.closes_on.month}月{homework.closes_on.day}日截止"
        f"（还剩 10 天），请尽快提交。"
    ]
    assert len(got[s.extra[0].real_name]) == 1
    # A second click the same day: nothing sent, and it says when the last went out.
    again = leader.post(url, {"message": "再提醒一次", "who": [s.member2.pk]}, follow=True)
    last = Reminder.objects.get(user=s.member2).sent_at
    assert f"1 人今天已经提醒过（最近一次 {timezone.localtime(last):%H:%M}）" in said(again)
    assert len(reminded(s.member2)[s.member2.real_name]) == 1
    # Everyone not completed: only those not reminded yet today get one.
    everyone = leader.post(url, {"message": "请大家尽快提交", "everyone": "1"}, follow=True)
    assert "已向 2 人发送提醒。" in said(everyone) and "2 人今天已经提醒过" in said(everyone)
    assert Reminder.objects.filter(kind=f"activity:{homework.pk}").count() == 4
    assert not Reminder.objects.filter(user=s.leader).exists()
    page = text(leader.get(reverse("activities:activity_lacking", args=[homework.pk])))
    assert page.count("上次提醒") == 4


def test_only_the_groups_leader_or_the_schools_admin_may_remind(cast, s, homework, as_user):
    url = reverse("activities:activity_remind", args=[homework.pk])
    data = {"message": "提醒", "everyone": "1"}
    assert as_user(s.member).post(url, data).status_code == 403
    assert as_user(s.other_leader).post(url, data).status_code == 404
    other_admin = f.school_admin(cast.other_school, "外校管理员")
    assert as_user(other_admin).post(url, data).status_code == 404
    assert not Notification.objects.filter(kind="reminder").exists()
    answer = as_user(cast.school_admin).post(url, data, follow=True)
    assert "已向 4 人发送提醒。" in said(answer)  # the group's leader is not chased


def test_the_leader_is_neither_listed_nor_reminded_by_their_own_reminder(s, homework, as_user):
    """The leader runs the activity: they are not among 未完成, ticking their
    own id sends nothing, and 提醒全部 leaves them out (outside test 2, L4)."""
    leader = as_user(s.leader)
    page = leader.get(reverse("activities:activity_lacking", args=[homework.pk]))
    assert f'data-member="{s.leader.pk}"' not in page.content.decode()
    assert s.leader not in {line.user for line in page.context["lines"]}
    url = reverse("activities:activity_remind", args=[homework.pk])
    answer = leader.post(url, {"message": "快来 {姓名}", "who": [s.leader.pk]}, follow=True)
    assert "请勾选要提醒的组员。" in said(answer)
    answer = leader.post(url, {"message": "快来 {姓名}", "everyone": "1"}, follow=True)
    assert "已向 4 人发送提醒。" in said(answer)
    assert reminded(s.leader) == {s.leader.real_name: []}
    assert not Reminder.objects.filter(user=s.leader).exists()


def test_an_empty_reminder_is_refused(s, homework, as_user):
    answer = as_user(s.leader).post(
        reverse("activities:activity_remind", args=[homework.pk]),
        {"message": "  ", "everyone": "1"},
        follow=True,
    )
    assert "请填写提醒内容。" in said(answer)
    answer = as_user(s.leader).post(
        reverse("activities:activity_remind", args=[homework.pk]), {"message": "好"}, follow=True
    )
    assert "请勾选要提醒的组员。" in said(answer)
    assert not Reminder.objects.exists()


# ---- the school: counts per reason, names, filters, .xlsx, 提醒 -------------------------


@pytest.fixture
def school(cast):
    """语文组 (周组长; 李老师, 王老师), 数学组 (吴组长; 数学老师): 王老师 complete; 李老师
    a plan and 10 hours; 数学老师 three points, one summary, nothing else."""
    mats = fm.mats_setup(cast)
    fm.complete(cast, cast.teacher2, mats.keys[:3])
    fm.plan(cast, cast.teacher)
    fm.give_hours(cast, cast.teacher, 10)
    fm.choose(cast, mats.maths_teacher, mats.keys[:3])
    fm.summary(cast, mats.maths_teacher, mats.keys[0])
    return mats


def counts(page) -> dict:
    return {r.key: n for r, n in page.context["counts"].by_reason}


def names(page) -> set:
    return {m.user.real_name for _, m, *_ in page.context["lines"]}


def test_the_school_sees_a_count_per_reason_and_the_names_behind_each(cast, school, as_user):
    admin = as_user(cast.school_admin)
    page = admin.get(reverse("assessment:lacking"))
    # Teachers: 李老师, 王老师, 信息组老师, 周组长, 吴组长, 数学老师 (the admin does not teach).
    assert page.context["counts"].total == 6
    assert counts(page) == {"hours": 5, "plan": 4, "points": 4, "summaries": 5, "evaluation": 6}
    assert page.context["counts"].lacking == 6
    no_plan = admin.get(reverse("assessment:lacking"), {"reason": "plan"})
    assert names(no_plan) == {"信息组老师", "周组长", "吴组长", "数学老师"}
    summaries = admin.get(reverse("assessment:lacking"), {"reason": "summaries"})
    assert "数学老师" in names(summaries) and "王老师" not in names(summaries)
    line = text(admin.get(reverse("assessment:lacking"), {"q": "李老师"}))
    assert "还缺：学时 10/25、能力点 0/3、提升总结 0/3、能力点测评 0/3 合格" in line
    maths = admin.get(reverse("assessment:lacking"), {"group": school.maths.pk})
    assert names(maths) == {"吴组长", "数学老师"}
    assert counts(maths)["summaries"] == 2


def test_the_schools_list_exports_to_xlsx_with_masked_id_numbers(cast, school, as_user):
    response = as_user(cast.school_admin).get(
        reverse("assessment:lacking"), {"reason": "plan", "export": "xlsx"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("序号", "姓名", "身份证号", "所属教研组", "还缺什么")
    by_name = {r[1]: r for r in rows[1:]}
    assert set(by_name) == {"信息组老师", "周组长", "吴组长", "数学老师"}
    assert by_name["数学老师"][2].endswith("*******")
    assert cast.teacher.id_number not in response.content.decode("latin-1")
    assert "提升计划" in by_name["数学老师"][4]


def test_a_school_reminder_reaches_everyone_in_a_count_and_once_a_day(cast, school, as_user):
    admin = as_user(cast.school_admin)
    url = reverse("assessment:lacking_remind")
    answer = admin.post(
        url,
        {"reason": "plan", "message": "{姓名}老师，还缺：{缺少}。", "everyone": "1"},
        follow=True,
    )
    assert "已向 4 人发送提醒。" in said(answer)
    got = reminded(cast.teacher, cast.teacher2, cast.info_team, school.maths_teacher)
    assert got["李老师"] == [] and got["王老师"] == []  # both have a plan
    assert got["数学老师"] == [
        "数学老师老师，还缺：学时 0/25、提升计划、提升总结 1/3、能力点测评 0/3 合格。"
    ]
    assert len(got["信息组老师"]) == 1
    assert Notification.objects.get(user=school.maths_teacher, kind="reminder").link == reverse(
        "assessment:mine"
    )
    # The same people again, and 李老师 (below 25 hours) for the first time.
    again = admin.post(url, {"reason": "hours", "message": "再提醒", "everyone": "1"}, follow=True)
    assert "已向 1 人发送提醒。" in said(again) and "4 人今天已经提醒过" in said(again)
    assert reminded(cast.teacher)["李老师"] == ["再提醒"]
    # The leader's 提醒 the same day counts too: one reminder a day per person.
    leader = as_user(school.leader)
    by_leader = leader.post(
        reverse("assessment:leader_members_remind"),
        {"message": "组长提醒", "everyone": "1"},
        follow=True,
    )
    # 李老师 was reminded today already; 王老师 (complete, evaluation not yet 合格) was not.
    assert "已向 1 人发送提醒。1 人今天已经提醒过" in said(by_leader)
    assert Reminder.objects.filter(user=cast.teacher).count() == 1
    assert reminded(cast.teacher2)["王老师"] == ["组长提醒"]


def test_a_school_reminder_to_ticked_teachers_only_and_never_beyond_the_school(
    cast, school, as_user
):
    outsider = cast.outsider
    answer = as_user(cast.school_admin).post(
        reverse("assessment:lacking_remind"),
        {"message": "请补交", "who": [school.maths_teacher.pk, outsider.pk, cast.teacher2.pk]},
        follow=True,
    )
    # The outsider is of another school: never reminded from here.
    assert "已向 2 人发送提醒。" in said(answer)
    assert set(Notification.objects.filter(kind="reminder").values_list("user", flat=True)) == {
        school.maths_teacher.pk,
        cast.teacher2.pk,
    }


def test_the_leader_sees_each_member_and_what_they_miss(cast, school, as_user):
    setup = fa.Setup(
        school.chinese,
        school.leader,
        cast.teacher,
        cast.teacher2,
        school.keys[:1],
        school.maths,
        school.maths_leader,
    )
    open_talk = fa.activity(setup, "discussion", held_on=fa.today())
    services.participation_join(activity=open_talk, user=cast.teacher2)
    services.post_create(activity=open_talk, user=cast.teacher2, body="王老师已经发表的观点。")
    page = as_user(school.leader).get(reverse("assessment:leader_members"))
    lines = {m.user.real_name: lacks.line for m, lacks, _ in page.context["lines"]}
    open_left = {m.user.real_name: m.open_not_done for m, _, _ in page.context["lines"]}
    assert open_left == {"李老师": 1, "王老师": 0}
    assert "本组开放中的研修活动还有 1 个未完成" in text(page)
    # 王老师 is complete but has no 合格 evaluation yet; the leader is not listed.
    assert set(lines) == {"李老师", "王老师"}
    assert lines["李老师"].startswith("学时 10/25、能力点 0/3")
    assert lines["王老师"] == "能力点测评 0/3 合格"
    answer = as_user(school.leader).post(
        reverse("assessment:leader_members_remind"),
        {"message": "{姓名}：{缺少}", "who": [cast.teacher.pk, school.maths_teacher.pk]},
        follow=True,
    )
    # 数学老师 is not in the leader's group: left out.
    assert "已向 1 人发送提醒。" in said(answer)
    assert reminded(cast.teacher)["李老师"][0].startswith("李老师：学时 10/25")
    assert reminded(school.maths_teacher)["数学老师"] == []


def test_the_lists_are_for_their_roles(cast, school, as_user):
    assert as_user(cast.teacher).get(reverse("assessment:lacking")).status_code == 403
    assert as_user(cast.info_team).get(reverse("assessment:lacking")).status_code == 403
    assert as_user(cast.teacher).post(reverse("assessment:lacking_remind"), {}).status_code == 403
    assert as_user(cast.school_admin).get(reverse("assessment:leader_members")).status_code == 403


# ---- what waits on the leader's home --------------------------------------------------


def test_the_leaders_home_says_what_waits_and_their_own_teacher_tasks(cast, as_user):
    s = fa.group_setup(cast)
    held = fa.today() - datetime.timedelta(days=2)
    done = fa.activity(s, "offline", hours=3, title="已举行未上传佐证的教研", held_on=held)
    services.participants_designate(activity=done, by=s.leader, users=[s.member])
    fa.activity(s, "discussion", title="组长也要参加的研讨", held_on=fa.today())
    client = as_user(s.leader)
    client.post(reverse("accounts:role_switch"), {"role": f"leader:{cast.school.pk}"})
    page = client.get(reverse("home"))
    steps = dict(page.context["steps"])
    assert (
        steps[f"线下活动《已举行未上传佐证的教研》已于 {held:%m-%d} 举行，尚未上传佐证材料"]
        == done.get_absolute_url()
    )
    assert steps["2 位组员还有未完成项：查看并提醒"] == "assessment:leader_members"
    body = page.content.decode()
    own = body.split('id="own-tasks"')[1]
    assert "我自己的研修（教师）" in body
    assert "组长也要参加的研讨" in own
    assert "截止前还缺：学时 0/25、提升计划、能力点 0/3、提升总结 0/3" in re.sub(
        r"<[^>]+>", "", own
    )
