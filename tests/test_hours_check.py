"""manage.py hours_check: the summaries checked against the ledger, for operators."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from groups.models import ResearchGroup
from hours.models import HoursEntry, HoursSummary
from hours.services import hours_credit, hours_reverse

pytestmark = pytest.mark.django_db


def credit(cast, teacher, n, hours=5):
    src = ResearchGroup.objects.create(school=teacher_school(cast, teacher), name=f"活动{n}")
    return hours_credit(
        teacher=teacher,
        cycle=cast.cycle,
        school=teacher_school(cast, teacher),
        source=src,
        hours=hours,
        category="x",
    )


def teacher_school(cast, teacher):
    return cast.other_school if teacher == cast.outsider else cast.school


def check(**kw) -> str:
    out = StringIO()
    call_command("hours_check", stdout=out, **kw)
    return out.getvalue()


def test_a_ledger_kept_by_the_services_checks_clean(cast):
    for n in range(3):
        credit(cast, cast.teacher, n)
    hours_reverse(teacher=cast.teacher, source=ResearchGroup.objects.get(name="活动0"), reason="x")
    credit(cast, cast.outsider, 9)
    assert "学时汇总与账本一致" in check()
    assert "学时汇总与账本一致" in check(school=cast.school.code)


def test_a_summary_that_drifted_from_the_ledger_is_reported_and_fails(cast):
    credit(cast, cast.teacher, 1)
    credit(cast, cast.teacher2, 2)
    # Test set-up only: simulate a lost update the services would never make.
    HoursSummary.objects.filter(teacher=cast.teacher).update(recorded=7)
    out = StringIO()
    with pytest.raises(CommandError, match="发现 1 处"):
        call_command("hours_check", stdout=out)
    assert cast.teacher.real_name in out.getvalue()
    assert "汇总 7 学时，账本合计 5 学时" in out.getvalue()
    assert cast.teacher2.real_name not in out.getvalue()


def test_ledger_rows_without_a_summary_are_reported(cast):
    credit(cast, cast.teacher, 1)
    HoursSummary.objects.filter(teacher=cast.teacher).delete()  # test set-up only
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("hours_check", stdout=out)
    assert "没有汇总行，账本合计 5 学时" in out.getvalue()


def test_two_standing_credits_for_one_source_are_reported(cast):
    entry = credit(cast, cast.teacher, 1)
    # Test set-up only: a second standing credit the constraint would allow
    # only under another generation (what a bug in the service could write).
    HoursEntry.objects.create(
        teacher=cast.teacher,
        cycle=cast.cycle,
        kind="credit",
        hours=5,
        content_type=entry.content_type,
        object_id=entry.object_id,
        generation=1,
        title=entry.title,
    )
    HoursSummary.objects.filter(teacher=cast.teacher).update(recorded=10)
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("hours_check", stdout=out)
    assert "有 2 条未撤销的计入记录" in out.getvalue()


def test_the_check_can_be_limited_to_one_school(cast):
    credit(cast, cast.outsider, 1)
    HoursSummary.objects.filter(teacher=cast.outsider).update(recorded=1)
    assert "学时汇总与账本一致" in check(school=cast.school.code)
    with pytest.raises(CommandError):
        check(school=cast.other_school.code)
    with pytest.raises(CommandError, match="没有学校代码"):
        check(school="nope")
