"""Acceptance findings of outside test 2 and the audit: the experts' notices
are written in the change's transaction (audit G4); rubric items a school or
an expert has scored cannot be deleted (L3); messages that say the real rule
and name the item (L6); a duplicate expert submit answers like a double click
(L6)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from assessment.models import Acceptance, AcceptanceScheme, ExpertAssignment, RubricItem, SelfScore
from assessment.services import acceptance as acc

from . import factories_acceptance as fx
from .conftest import login

pytestmark = pytest.mark.django_db


SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def message_after(client, response) -> str:
    return client.get(response["Location"]).content.decode()


class InboxDown(Exception):
    pass


@pytest.fixture
def inbox_down(monkeypatch):
    """The inbox insert fails (a database error while writing the notices)."""

    def fail(**kwargs):
        raise InboxDown

    monkeypatch.setattr(acc, "notify", fail)


# ---- G4: the notice and the change stand or fall together ---------------------------------


def test_a_submission_whose_notice_fails_is_not_kept(cast, inbox_down):
    fx.scheme(cast)
    fx.gate_met(cast)
    fx.materials(cast)
    with pytest.raises(InboxDown):
        acc.acceptance_submit(school=cast.school, cycle=cast.cycle, by=cast.school_admin)
    a = Acceptance.objects.get()
    assert a.status == "draft" and a.submitted_at is None
    assert not a.events.exists()


def test_an_assignment_whose_notice_fails_is_not_kept(cast, inbox_down):
    fx.scheme(cast)
    with pytest.raises(InboxDown):
        acc.experts_assign(
            schools=[cast.school],
            experts=[cast.expert],
            cycle=cast.cycle,
            region_id=cast.district.pk,
            by=cast.district_admin,
        )
    assert not ExpertAssignment.objects.exists()


# ---- L1: no deadline in the past ------------------------------------------------------------


def shanghai_early_morning() -> datetime.datetime:
    """00:30 today in Shanghai: still yesterday in UTC."""
    today = datetime.datetime.now(SHANGHAI).date()
    return datetime.datetime.combine(today, datetime.time(0, 30), tzinfo=SHANGHAI)


def test_the_district_cannot_set_a_deadline_before_today(cast):
    scheme = fx.scheme(cast, publish=False)
    district = login(cast.district_admin)
    url = reverse("assessment:scheme_settings")
    now = shanghai_early_morning()
    today, yesterday = now.date(), now.date() - datetime.timedelta(days=1)
    with time_machine.travel(now, tick=False):
        page = message_after(
            district, district.post(url, {"pass_mark": "20", "deadline": yesterday.isoformat()})
        )
        assert (
            f"验收截止日期 {yesterday:%Y-%m-%d} 已过，请填写今天（{today:%Y-%m-%d}）或以后的日期"
            in page
        )
        scheme.refresh_from_db()
        assert scheme.deadline is None and scheme.pass_mark == fx.PASS_MARK
        # Today in Shanghai is fine, although it is still yesterday in UTC.
        district.post(url, {"pass_mark": "20", "deadline": today.isoformat()})
    scheme.refresh_from_db()
    assert scheme.deadline == today and scheme.pass_mark == 20


def test_a_scheme_whose_deadline_has_passed_is_not_published(cast):
    scheme = fx.scheme(cast, publish=False)
    past = datetime.datetime.now(SHANGHAI).date() - datetime.timedelta(days=3)
    AcceptanceScheme.objects.filter(pk=scheme.pk).update(deadline=past)  # saved days ago
    district = login(cast.district_admin)
    page = message_after(district, district.post(reverse("assessment:scheme_publish")))
    assert f"还不能发布：验收截止日期 {past:%Y-%m-%d} 已过，请先修改。" in page
    scheme.refresh_from_db()
    assert not scheme.is_published


def test_a_published_scheme_whose_deadline_passed_still_takes_other_settings(cast):
    scheme = fx.scheme(cast)
    past = datetime.datetime.now(SHANGHAI).date() - datetime.timedelta(days=3)
    AcceptanceScheme.objects.filter(pk=scheme.pk).update(deadline=past)
    district = login(cast.district_admin)
    district.post(
        reverse("assessment:scheme_settings"),
        {"pass_mark": "20", "deadline": past.isoformat(), "note": "现场汇报改到周五"},
    )
    scheme.refresh_from_db()
    assert scheme.note == "现场汇报改到周五" and scheme.deadline == past


# ---- L3: scored rubric items stay ------------------------------------------------------------


def test_a_rubric_item_a_school_self_scored_cannot_be_deleted(cast):
    scheme = fx.scheme(cast)
    dimension = RubricItem.objects.get(scheme=scheme, title="研修设计")
    plan = RubricItem.objects.get(scheme=scheme, title="研修方案")
    acc.acceptance_open(school=cast.school, cycle=cast.cycle)
    acc.self_scores_save(
        school=cast.school,
        cycle=cast.cycle,
        scores={plan.pk: ("4", "方案已定稿")},
        by=cast.school_admin,
    )
    district = login(cast.district_admin)
    page = message_after(
        district, district.post(reverse("assessment:rubric_item_delete", args=[plan.pk]))
    )
    assert "已有学校或专家为“研修方案”评分，不能删除；可以修改它的内容。" in page
    page = message_after(
        district, district.post(reverse("assessment:rubric_item_delete", args=[dimension.pk]))
    )
    assert "已有学校或专家为“研修设计”下的指标评分，不能删除" in page
    assert RubricItem.objects.filter(pk__in=[plan.pk, dimension.pk]).count() == 2
    assert SelfScore.objects.get(item=plan).note == "方案已定稿"
    # An item nobody scored still goes.
    unscored = RubricItem.objects.get(scheme=scheme, title="教师选学")
    district.post(reverse("assessment:rubric_item_delete", args=[unscored.pk]))
    assert not RubricItem.objects.filter(pk=unscored.pk).exists()
