"""Outside attack report 1 §12: the months of a plan's schedule rows on the
consistency page. "十三月" names no month (not March); months after the cycle
("九月至十二月" read into the next year, "9999年9月", a group plan's "2027-09")
are outside the cycle exactly like a month before it, not "still to come"."""

import datetime

import pytest
from django.urls import reverse

from groups.months import month_key, plan_months
from groups.services import group_plan_save, school_plan_save

from . import factories_activities as fa
from .conftest import login

pytestmark = pytest.mark.django_db

CYCLE = {"starts_on": datetime.date(2026, 9, 1), "ends_on": datetime.date(2027, 7, 15)}
CN = "一二三四五六七八九"


def cn_month(m: int) -> str:
    return CN[m - 1] if m < 10 else "十" + ("" if m == 10 else CN[m - 11])


@pytest.mark.parametrize(
    "when, months",
    [
        ("十三月", None),
        ("十一月", [(2026, 11)]),
        ("十二月", [(2026, 12)]),
        ("9999年9月", [(9999, 9)]),
        ("2027年9月", [(2027, 9)]),
        ("9999年12月至次年1月", None),
        ("0000年1月", None),
    ],
)
def test_a_month_is_read_whole_or_not_at_all(when, months):
    assert plan_months(when, **CYCLE) == months


def _cycle_of_half_a_year(cast):
    """A cycle from the first of the month 3 months ago to 3 months ahead, so
    that the months around it lie outside it (whatever today is)."""
    today = fa.today()
    start = (today.replace(day=1) - datetime.timedelta(days=80)).replace(day=1)
    cast.cycle.starts_on, cast.cycle.ends_on = start, today + datetime.timedelta(days=90)
    cast.cycle.save()
    return cast.cycle


def test_rows_before_and_after_the_cycle_are_both_outside_it_and_thirteen_is_no_month(cast):
    s = fa.group_setup(cast)
    cycle = _cycle_of_half_a_year(cast)
    before = cycle.starts_on - datetime.timedelta(days=40)
    after = cycle.ends_on + datetime.timedelta(days=40)
    after_label = f"{cn_month(after.month)}月"  # yearless: read into the next occurrence
    assert plan_months(after_label, starts_on=cycle.starts_on, ends_on=cycle.ends_on)[0] > (
        cycle.ends_on.year,
        cycle.ends_on.month,
    )
    rows = [
        ("十三月", "十三月的研讨"),
        (after_label, "周期结束后的月份"),
        ("9999年9月", "远在将来"),
        (f"{before.year}年{before.month}月", "周期开始前的月份"),
    ]
    school_plan_save(
        school=cast.school,
        cycle=cycle,
        fields={"theme": "多技术融合"},
        team=[],
        points=[{"point": s.points[0], "reason": "教师需求集中"}],
        schedule=[{"when": w, "content": c, "owner": "组长"} for w, c in rows],
        by=cast.school_admin,
    )
    fa.topic(s)
    group_plan_save(
        group=s.group,
        plan="语文组计划",
        by=s.leader,
        points=[s.points[0]],
        schedule=[{"month": month_key((after.year, after.month)), "content": "周期后的研讨"}],
    )

    response = login(cast.school_admin).get(reverse("activities:consistency"))
    report = response.context["report"]
    by_row = {}
    for finding in report.school.findings:
        for _, content in rows:
            if content in finding.message:
                by_row[content] = finding
    assert by_row["十三月的研讨"].kind == "month_unreadable"
    outside = (
        f"不在研修周期“{cycle.name}”（{cycle.starts_on:%Y-%m-%d} 至 {cycle.ends_on:%Y-%m-%d}）内"
    )
    for content in ("周期结束后的月份", "远在将来", "周期开始前的月份"):
        assert by_row[content].kind == "month_outside_cycle"
        assert outside in by_row[content].message
    # Nothing of these is "still to come, not counted".
    assert report.school.upcoming == []
    group = next(g for g in report.groups if g.group == s.group)
    assert [f.kind for f in group.findings if "周期后的研讨" in f.message] == [
        "month_outside_cycle"
    ]
    assert group.upcoming == []
    page = response.content.decode()
    assert "尚未到期的安排" not in page
    assert page.count(outside) == 4
    # The leader is sent to the plan, the one place it is put right, not to
    # add an activity (outside test 6).
    from activities.consistency import group_consistency

    mine = group_consistency(group=s.group, cycle=cycle)
    (late,) = [f for f in mine.findings if "周期后的研讨" in f.message]
    assert [label for label, _ in late.links] == ["修改研修计划"]
