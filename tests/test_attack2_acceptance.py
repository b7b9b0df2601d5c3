"""Acceptance findings of outside test 2 and the audit: the experts' notices
are written in the change's transaction (audit G4); rubric items a school or
an expert has scored cannot be deleted (L3); messages that say the real rule
and name the item (L6); a duplicate expert submit answers like a double click
(L6)."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from assessment.models import (
    Acceptance,
    AcceptanceScheme,
    ExpertAssignment,
    ExpertScore,
    RubricItem,
    SelfScore,
)
from assessment.selectors.acceptance import rubric_of
from assessment.services import acceptance as acc

from . import factories_acceptance as fx
from .conftest import login

pytestmark = pytest.mark.django_db


SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def message_after(client, response) -> str:
    return client.get(response["Location"]).content.decode()


def scores_post(acceptance, points: str | None = None) -> dict:
    data = {}
    for item in rubric_of(acceptance.scheme).items:
        data[f"points_{item.pk}"] = points or str(item.max_points)
        data[f"text_{item.pk}"] = "材料齐全"
    return data


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
        fx.assign(cast)
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


# ---- L6: messages that say the rule and name the item; a second submit --------------------


def test_a_rubric_maximum_below_half_a_point_says_the_real_rule(cast):
    scheme = fx.scheme(cast, publish=False)
    dimension = RubricItem.objects.get(scheme=scheme, title="研修设计")
    district = login(cast.district_admin)
    url = reverse("assessment:rubric_item_new")
    data = {"parent": dimension.pk, "title": "线上研讨", "guidance": "", "order": "9"}
    page = district.post(url, {**data, "max_points": "0.1"}).content.decode()
    assert "满分不能低于 0.5 分。" in page and "须大于 0" not in page
    assert 'step="0.1"' in page and 'min="0.5"' in page  # the browser says the same
    assert not RubricItem.objects.filter(title="线上研讨").exists()
    district.post(url, {**data, "max_points": "1.3"})
    assert RubricItem.objects.get(title="线上研讨").max_points == Decimal("1.3")
    page = message_after(
        district, district.post(reverse("assessment:scheme_settings"), {"pass_mark": "0.1"})
    )
    assert "合格分不能低于 0.5 分。" in page


def test_an_over_long_comment_names_its_item_and_the_limit(cast):
    fx.scheme(cast)
    a = fx.submitted(cast)
    fx.assign(cast)
    plan = RubricItem.objects.get(scheme=a.scheme, title="研修方案")
    data = scores_post(a)
    data[f"text_{plan.pk}"] = "很" * 643
    response = login(cast.expert).post(reverse("assessment:expert_score_save", args=[a.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "“研修方案”的评语最多 500 字（现在 643 字）。" in page and "变量" not in page
    assert not ExpertScore.objects.exists()


def test_an_over_long_self_score_note_names_its_item(cast):
    fx.scheme(cast)
    a = acc.acceptance_open(school=cast.school, cycle=cast.cycle)
    plan = RubricItem.objects.get(scheme=a.scheme, title="研修方案")
    response = login(cast.school_admin).post(
        reverse("assessment:acceptance_self_score"),
        {f"points_{plan.pk}": "4", f"text_{plan.pk}": "长" * 501},
    )
    assert response.status_code == 400
    assert "“研修方案”的自评说明最多 500 字（现在 501 字）。" in response.content.decode()


def test_a_second_expert_submit_answers_like_the_first(cast):
    fx.scheme(cast)
    a = fx.submitted(cast)
    fx.assign(cast)
    expert = login(cast.expert)
    url = reverse("assessment:expert_score_submit", args=[a.pk])
    first = expert.post(url, scores_post(a))
    submitted_at = a.assignments.get().submitted_at
    second = expert.post(url, scores_post(a, points="0"), follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "你已提交对赤坎第一小学的评分，无需重复提交。" in second.content.decode()
    assert second.redirect_chain[-1][0] == reverse("assessment:expert_score", args=[a.pk])
    assert a.assignments.get().submitted_at == submitted_at
    assert not ExpertScore.objects.filter(points=0).exists()
    assert a.events.filter(to_status="scored").count() == 1


def test_a_submit_that_read_before_the_first_committed_stores_nothing(cast):
    """The request that queued on the row lock, holding an assignment read
    before the first submit committed: the service finds it submitted."""
    fx.scheme(cast)
    a = fx.submitted(cast)
    fx.assign(cast)
    stale = ExpertAssignment.objects.get()
    assert acc.expert_scores_submit(
        assignment=ExpertAssignment.objects.get(), scores=fx.full_marks(a)
    )
    assert acc.expert_scores_submit(assignment=stale, scores=fx.full_marks(a, Decimal(1))) is False
    assert ExpertScore.objects.filter(points__lt=1).count() == 0
    assert set(ExpertScore.objects.values_list("comment", flat=True)) == {"材料齐全"}
    assert a.events.filter(to_status="scored").count() == 1
