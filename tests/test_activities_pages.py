"""The teacher's own page (open / done / remaining) and the coverage board."""

import datetime

import pytest
from django.urls import reverse

from activities import services

from . import factories_activities as fa

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


def test_teacher_sees_open_done_and_remaining(s, as_user):
    t = fa.topic(s)
    open_one = fa.activity(s, "homework", t=t, title="待提交的作业")
    done = fa.activity(s, "discussion", t=t, title="已完成的研讨")
    services.participation_join(activity=done, user=s.member)
    services.post_create(activity=done, user=s.member, body="这是我的观点，信息技术很有帮助。")
    offline = fa.activity(s, "offline", t=t, hours=4, title="等材料的线下活动")
    services.participants_designate(activity=offline, by=s.leader, users=[s.member])
    # A day after the open period, not one the activities above happened to take
    # (fa.activity picks free days at random: one a day per group).
    taken = set(s.group.activities.values_list("held_on", flat=True))
    later = next(
        d for n in range(20, 60) if (d := fa.today() + datetime.timedelta(days=n)) not in taken
    )
    fa.activity(s, "discussion", t=t, held_on=later, opens_on=later, title="下周的研讨")
    fa.activity(s, "discussion", t=t, publish=False, title="草稿活动")

    board = as_user(s.member).get(reverse("activities:mine")).context["board"]
    assert [a.title for a in board.open] == [open_one.title]
    assert [a.title for a in board.done] == ["已完成的研讨"]
    assert {a.title for a in board.remaining} == {"等材料的线下活动", "下周的研讨"}
    page = as_user(s.member).get(reverse("activities:mine")).content.decode()
    assert "草稿活动" not in page


def test_coverage_board_shows_what_is_missing(cast, s, as_user):
    t = fa.topic(s, points=[s.points[0]])
    fa.activity(s, "discussion", t=t)
    fa.activity(s, "homework", t=t)
    fa.activity(s, "offline", t=t, hours=2, publish=False)  # drafts do not count
    page = as_user(s.leader).get(reverse("activities:coverage", args=[s.group.pk]))
    board = page.context["boards"][0]
    assert board.kind_totals == {"discussion": 1, "homework": 1, "observation": 0, "offline": 0}
    assert board.missing_kinds == ["听课评课", "线下活动"]
    assert board.missing_points == s.points[1:]
    html = page.content.decode()
    assert "缺少的活动类型：听课评课、线下活动" in html and "尚未覆盖的关键能力点" in html


def test_full_coverage_is_announced(cast, s, as_user):
    t = fa.topic(s, points=s.points)
    for kind in ("discussion", "homework", "observation"):
        fa.activity(s, kind, t=t)
    fa.activity(s, "offline", t=t, hours=5)
    html = as_user(cast.school_admin).get(reverse("activities:school_coverage")).content.decode()
    assert "已全部覆盖" in html


def test_coverage_refuses_members_and_other_schools(cast, s, as_user):
    url = reverse("activities:coverage", args=[s.group.pk])
    assert as_user(s.member).get(url).status_code == 403
    assert as_user(cast.outsider).get(url).status_code == 404
    assert as_user(cast.teacher).get(reverse("activities:school_coverage")).status_code == 403


def test_teacher_board_lists_what_ended_without_being_done(s, as_user):
    from activities.selectors import teacher_board

    past = fa.today() - datetime.timedelta(days=20)
    missed = fa.activity(
        s,
        "homework",
        held_on=past,
        opens_on=past,
        closes_on=past + datetime.timedelta(days=3),
        title="错过的作业",
    )
    closed = fa.activity(s, "discussion", title="组长已结束的研讨")
    as_user(s.leader).post(reverse("activities:activity_close", args=[closed.pk]))
    board = teacher_board(user=s.member, cycle=missed.cycle)
    assert {a.title for a in board.missed} == {missed.title, closed.title}
    assert not board.open and not board.remaining
    page = as_user(s.member).get(reverse("activities:mine")).content.decode()
    assert "已结束未完成" in page and "错过的作业" in page and "查看我的学时" in page
