"""Deadlines people can see (issue 13): what is left, in words, wherever an open
activity or the cycle shows — "还剩 3 天", "今天截止", "已截止" — counted in
Asia/Shanghai days, with the clock frozen (time-machine) at the boundaries."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from accounts.dates import countdown

from . import factories_activities as fa
from . import factories_assessment as fm

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = datetime.date(2026, 12, 10)


def at(day: datetime.date, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def strip(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def text(response) -> str:
    return strip(response.content.decode())


def after(response, marker: str, length: int = 1500) -> str:
    """The page's text just after `marker` (an element's id)."""
    return strip(response.content.decode().split(marker, 1)[1][:length])


@pytest.mark.parametrize(
    ("now", "words"),
    [
        (at(DAY - datetime.timedelta(days=3)), "还剩 3 天"),
        (at(DAY - datetime.timedelta(days=1), 23, 59), "还剩 1 天"),  # closing tomorrow
        (at(DAY, 0, 0), "今天截止"),  # closing today, from midnight...
        (at(DAY, 23, 59), "今天截止"),  # ...to the last minute
        (at(DAY + datetime.timedelta(days=1), 0, 0), "已截止"),  # closed yesterday
    ],
)
def test_the_words_turn_at_midnight_in_shanghai(now, words):
    with time_machine.travel(now, tick=False):
        assert countdown(last_day=DAY).words == words


def test_midnight_in_shanghai_is_still_the_day_before_in_utc():
    # 00:30 on the 11th in Shanghai is 16:30 on the 10th in UTC: closed already.
    utc = datetime.datetime(2026, 12, 10, 16, 30, tzinfo=datetime.UTC)
    with time_machine.travel(utc, tick=False):
        assert countdown(last_day=DAY).words == "已截止"


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


def test_the_teachers_board_counts_down_to_today_tomorrow_and_yesterday(cast, s, as_user):
    """Three activities closing yesterday, today and tomorrow, seen by a member
    on 研修活动 (and the open ones on the home page)."""
    t = fa.topic(s)
    today = fa.today()
    made = {}
    for name, offset in (("昨天截止的研讨", -1), ("今天截止的研讨", 0), ("明天截止的研讨", 1)):
        closes = today + datetime.timedelta(days=offset)
        made[name] = fa.activity(
            s,
            "discussion",
            t=t,
            title=name,
            held_on=closes,
            opens_on=today - datetime.timedelta(days=5),
            closes_on=closes,
        )
    page = as_user(s.member).get(reverse("activities:mine"))
    html = page.content.decode()
    open_part = html.split('id="board-open"')[1].split('id="board-remaining"')[0]
    assert "今天截止的研讨" in open_part and "明天截止的研讨" in open_part
    assert "昨天截止的研讨" not in open_part

    def badge(title):
        row = html.split(title)[1].split("</a>")[0]
        return re.search(r'class="badge[^"]*countdown"[^>]*>([^<]+)<', row).group(1)

    assert badge("今天截止的研讨").endswith("今天截止")
    assert badge("明天截止的研讨").endswith("还剩 1 天")
    assert badge("昨天截止的研讨").endswith("已截止")
    assert f"截止 {today:%m-%d} · 今天截止" in text(page)


def test_the_activity_page_says_what_is_left(cast, s, as_user):
    a = fa.activity(
        s, "homework", held_on=fa.today(), closes_on=fa.today() + datetime.timedelta(days=3)
    )
    page = text(as_user(s.member).get(reverse("activities:detail", args=[a.pk])))
    assert f"截止 {a.closes_on:%m-%d} · 还剩 3 天" in page
    with time_machine.travel(at(a.closes_on + datetime.timedelta(days=1))):
        page = text(as_user(s.member).get(reverse("activities:detail", args=[a.pk])))
    assert f"截止 {a.closes_on:%m-%d} · 已截止" in page


def test_the_teachers_home_shows_the_cycles_end_and_what_is_missing_in_one_line(cast, as_user):
    mats = fm.mats_setup(cast)
    fm.give_hours(cast, cast.teacher, 10)
    end = cast.cycle.ends_on
    with time_machine.travel(at(end - datetime.timedelta(days=7))):
        home = as_user(cast.teacher).get(reverse("home"))
    card = after(home, 'id="cycle-end"')
    assert f"截止 {end:%m-%d} · 还剩 7 天" in card
    assert "截止前还缺：学时 10/25、提升计划、能力点 0/3、提升总结 0/3" in card
    fm.plan(cast, cast.teacher)
    fm.choose(cast, cast.teacher, mats.keys[:3])
    fm.summary(cast, cast.teacher, mats.keys[0])
    with time_machine.travel(at(end)):
        card = after(as_user(cast.teacher).get(reverse("home")), 'id="cycle-end"')
    assert "今天截止" in card
    assert "截止前还缺：学时 10/25、提升总结 1/3" in card


def test_the_leaders_and_schools_homes_count_down_to_the_cycles_end(cast, s, as_user):
    end = cast.cycle.ends_on
    for user, role in ((s.leader, "leader"), (cast.school_admin, "school_admin")):
        with time_machine.travel(at(end - datetime.timedelta(days=14))):
            client = as_user(user)
            client.post(reverse("accounts:role_switch"), {"role": f"{role}:{cast.school.pk}"})
            page = text(client.get(reverse("home")))
        assert f"结束 {end:%m-%d} · 还剩 14 天" in page, role
