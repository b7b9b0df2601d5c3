"""Each role's home page says what acceptance waits for, and each role's menu
leads to its acceptance pages: the school admin (prepare and submit; returned),
the district admin (publish the scheme; assign experts; confirm), the expert
(the schools to score: no longer a dead end)."""

import re

import pytest
from django.urls import reverse

from accounts.navigation import nav_for
from assessment.services import acceptance as acc

from . import factories as f
from . import factories_acceptance as fx
from .conftest import login

pytestmark = pytest.mark.django_db


def steps(client) -> dict[str, str]:
    """{label: link} of the home page's 接下来要做."""
    page = client.get(reverse("home")).content.decode()
    if "next-steps" not in page:
        return {}
    box = page.split("next-steps")[1].split("</div>\n</div>")[0]
    return {label: href for href, label in re.findall(r'href="([^"]+)"><span>([^<]+)</span>', box)}


def test_the_menus_lead_to_the_acceptance_pages():
    assert ("整校推进验收", "assessment:acceptance") in nav_for("school_admin")
    assert ("整校推进验收", "assessment:acceptance") in nav_for("info_team")
    assert ("验收方案", "assessment:scheme") in nav_for("district_admin")
    assert ("验收评审", "assessment:district_acceptances") in nav_for("district_admin")
    assert nav_for("expert") == [("评审学校", "assessment:expert_schools")]


def test_the_school_admin_is_told_to_prepare_then_to_resubmit(cast):
    school = login(cast.school_admin)
    assert not any("整校推进验收" in label for label in steps(school))  # nothing published
    fx.scheme(cast, deadline=None)
    assert steps(school)["整校推进验收：上传证明材料、自评并提交"] == reverse(
        "assessment:acceptance"
    )
    a = fx.scored(cast)
    # With the experts: nothing to prepare, and the home says where it stands.
    labels = [label for label in steps(school) if "整校推进验收" in label]
    assert labels == ["整校推进验收已提交，等待区县教育局评审：查看验收进度"]
    acc.acceptance_return(acceptance=a, by=cast.district_admin, reason="请补充第 5 项")
    assert "整校推进验收材料被退回，请补充后重新提交" in steps(school)


def test_the_district_admin_is_told_what_waits_for_them(cast):
    district = login(cast.district_admin)
    assert steps(district)["制定并发布整校推进验收方案"] == reverse("assessment:scheme")
    fx.scheme(cast)
    assert "制定并发布整校推进验收方案" not in steps(district)
    fx.submitted(cast)
    listed = reverse("assessment:district_acceptances")
    assert steps(district)["1 所学校已提交验收，尚未分配考核专家"] == listed
    second = f.school(cast.district, "赤坎第二小学")
    f.teacher(second)
    fx.scored(cast, school=second)
    labels = steps(district)
    assert labels["1 所学校专家已评分，待确认验收结果"] == listed
    assert "1 所学校已提交验收，尚未分配考核专家" in labels


def test_the_experts_home_lists_their_schools_and_what_to_score(cast):
    expert = login(cast.expert)
    page = expert.get(reverse("home")).content.decode()
    assert "教育局还没有为你分配验收学校" in page and not steps(expert)
    fx.scheme(cast)
    a = fx.submitted(cast)
    acc.experts_assign(
        schools=[cast.school],
        experts=[cast.expert],
        cycle=cast.cycle,
        region_id=cast.district.pk,
        by=cast.district_admin,
    )
    assert steps(expert) == {"为 1 所学校评分": reverse("assessment:expert_schools")}
    page = expert.get(reverse("home")).content.decode()
    assert reverse("assessment:expert_score", args=[a.pk]) in page and "去评分" in page
