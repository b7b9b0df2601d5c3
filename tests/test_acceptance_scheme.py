"""The district's 验收方案 through its pages: a draft from seed 001's 15 items and
the reference rubric; dimensions and items added, changed and deleted with
forms (not a JSON box); the checklist edited the same way; publishing only a
complete scheme; the terms frozen once a school submitted; the pass mark once
a school was decided."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Notification
from assessment.models import AcceptanceScheme, ProofItem, RubricItem
from assessment.selectors.acceptance import rubric_of
from assessment.services import acceptance as acc

from . import factories_acceptance as fx
from .conftest import login

pytestmark = pytest.mark.django_db

SCHEME = reverse("assessment:scheme")


def after(client, response) -> str:
    return client.get(response["Location"]).content.decode()


def test_a_district_builds_its_rubric_and_checklist_with_forms_and_publishes(cast):
    district = login(cast.district_admin)
    page = district.get(SCHEME).content.decode()
    assert "开始制定验收方案" in page
    district.post(reverse("assessment:scheme_create"))
    district.post(reverse("assessment:scheme_create"))  # a double click makes one
    scheme = AcceptanceScheme.objects.get()
    assert rubric_of(scheme).max_points == 30 and ProofItem.objects.count() == 15

    # A new 一级指标, then a 二级指标 under it, through the forms.
    form = district.get(reverse("assessment:rubric_item_new")).content.decode()
    assert 'name="title"' in form and 'name="max_points"' not in form
    district.post(reverse("assessment:rubric_item_new"), {"title": "研修实施", "order": "3"})
    dimension = RubricItem.objects.get(title="研修实施")
    url = reverse("assessment:rubric_item_new") + f"?parent={dimension.pk}"
    form = district.get(url).content.decode()
    assert 'name="max_points"' in form and 'name="guidance"' in form
    response = district.post(
        url,
        {
            "parent": dimension.pk,
            "title": "混合式研修活动开展",
            "max_points": "0",
            "guidance": "查阅平台活动记录",
            "order": "1",
        },
    )
    assert response.status_code == 200 and "满分不能低于 0.5 分" in response.content.decode()
    district.post(
        url,
        {
            "parent": dimension.pk,
            "title": "混合式研修活动开展",
            "max_points": "20",
            "guidance": "查阅平台活动记录",
            "order": "1",
        },
    )
    item = RubricItem.objects.get(title="混合式研修活动开展")
    assert item.parent == dimension and item.max_points == 20
    # The same name twice under one dimension is refused with a message.
    response = district.post(
        url,
        {"parent": dimension.pk, "title": "混合式研修活动开展", "max_points": "5", "order": "2"},
    )
    assert "已有名为“混合式研修活动开展”的同级指标" in response.content.decode()
    # Changed, and another deleted.
    district.post(
        reverse("assessment:rubric_item_edit", args=[item.pk]),
        {"parent": dimension.pk, "title": "混合式研修活动开展", "max_points": "25", "order": "1"},
    )
    item.refresh_from_db()
    assert item.max_points == 25
    budget = RubricItem.objects.get(title="制度建设：经费保障")
    district.post(reverse("assessment:rubric_item_delete", args=[budget.pk]))
    assert rubric_of(scheme).max_points == 30 - 2 + 25

    # The checklist: a 16th item, one changed, one deleted.
    district.post(
        reverse("assessment:proof_item_new"),
        {"number": "16", "content": "校本研修特色案例", "form": "案例", "platform": "cases"},
    )
    assert ProofItem.objects.get(number=16).platform == "cases"
    response = district.post(
        reverse("assessment:proof_item_new"), {"number": "3", "content": "重复序号", "form": "文本"}
    )
    assert "序号 3 已被其他证明项使用" in response.content.decode()
    first = ProofItem.objects.get(number=1)
    district.post(
        reverse("assessment:proof_item_edit", args=[first.pk]),
        {"number": "1", "content": first.content, "form": "表单（含分工表）", "platform": ""},
    )
    first.refresh_from_db()
    assert first.form == "表单（含分工表）" and first.platform == ""
    district.post(
        reverse("assessment:proof_item_delete", args=[ProofItem.objects.get(number=15).pk])
    )
    assert ProofItem.objects.count() == 15

    # Publishing needs a pass mark; one above the total is refused.
    assert "请先设置合格分" in after(district, district.post(reverse("assessment:scheme_publish")))
    page = after(
        district, district.post(reverse("assessment:scheme_settings"), {"pass_mark": "60"})
    )
    assert "合格分 60 分高于评分细则的总分 53.0 分" in page
    district.post(
        reverse("assessment:scheme_settings"), {"pass_mark": "32", "deadline": "2099-05-31"}
    )
    # An empty dimension stops publishing.
    district.post(reverse("assessment:rubric_item_new"), {"title": "特色", "order": "4"})
    assert "一级指标“特色”下还没有二级指标" in after(
        district, district.post(reverse("assessment:scheme_publish"))
    )
    district.post(
        reverse("assessment:rubric_item_delete", args=[RubricItem.objects.get(title="特色").pk])
    )
    district.post(reverse("assessment:scheme_publish"))
    scheme.refresh_from_db()
    assert scheme.is_published and scheme.pass_mark == 32
    assert Notification.objects.filter(
        user=cast.school_admin, kind="acceptance_scheme_published"
    ).exists()
    page = login(cast.school_admin).get(reverse("assessment:acceptance")).content.decode()
    assert "混合式研修活动开展" in page and "校本研修特色案例" in page and "2099年5月31日" in page


def test_the_rubric_and_checklist_freeze_when_the_first_school_submits(cast):
    scheme = fx.scheme(cast)
    fx.gate_met(cast)
    fx.materials(cast)
    district = login(cast.district_admin)
    item = RubricItem.objects.filter(scheme=scheme, parent__isnull=False).first()
    proof = ProofItem.objects.get(scheme=scheme, number=2)
    # Before: an item with a school's files cannot be deleted, only changed.
    page = after(district, district.post(reverse("assessment:proof_item_delete", args=[proof.pk])))
    assert "已有学校为第 2 项上传了材料，不能删除" in page
    acc.acceptance_submit(school=cast.school, cycle=cast.cycle, by=cast.school_admin)
    page = district.get(SCHEME).content.decode()
    assert "评分细则和证明清单已锁定" in page and "添加一级指标" not in page
    response = district.post(
        reverse("assessment:rubric_item_edit", args=[item.pk]),
        {"parent": item.parent_id, "title": item.title, "max_points": "1", "order": "1"},
    )
    assert "已有学校提交验收，评分细则和证明清单不能再修改" in response.content.decode()
    item.refresh_from_db()
    assert item.max_points != 1
    district.post(reverse("assessment:rubric_item_delete", args=[item.pk]))
    assert RubricItem.objects.filter(pk=item.pk).exists()
    # The pass mark and the deadline may still change until a school is decided.
    district.post(reverse("assessment:scheme_settings"), {"pass_mark": "20"})
    scheme.refresh_from_db()
    assert scheme.pass_mark == 20


def test_the_pass_mark_is_fixed_once_a_school_is_decided(cast):
    scheme = fx.scheme(cast)
    a = fx.scored(cast)
    acc.acceptance_fail(acceptance=a, by=cast.district_admin, reason="材料不实")
    district = login(cast.district_admin)
    page = after(
        district, district.post(reverse("assessment:scheme_settings"), {"pass_mark": "10"})
    )
    assert "已有学校确认了验收结果，合格分不能再修改" in page
    scheme.refresh_from_db()
    assert scheme.pass_mark == fx.PASS_MARK


def test_a_deleted_dimension_takes_its_items(cast):
    scheme = fx.scheme(cast)
    dimension = RubricItem.objects.get(scheme=scheme, title="研修设计")
    login(cast.district_admin).post(reverse("assessment:rubric_item_delete", args=[dimension.pk]))
    assert not RubricItem.objects.filter(title__in=["研修设计", "研修方案", "教师选学"]).exists()
    assert rubric_of(scheme).max_points == Decimal(20)
