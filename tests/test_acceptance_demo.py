"""The demo's 赤坎区 shows whole-school acceptance at every stage, with two
experts and true logins, and loading it twice changes nothing."""

import pytest
from django.urls import reverse

from accounts.models import RegionRole, User
from assessment.models import Acceptance, AcceptanceEvent, AcceptanceScheme
from hours.models import HoursRegistration

from .conftest import login
from .test_issue9_demo import load

pytestmark = pytest.mark.django_db


def test_the_demo_district_has_a_school_at_every_stage(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the registration task
        ctx = load()
    scheme = AcceptanceScheme.objects.get(region__name="赤坎区")
    assert scheme.is_published and scheme.pass_mark == 36
    stages = {
        a.school.name: (a.status, list(a.events.values_list("to_status", flat=True)))
        for a in Acceptance.objects.select_related("school")
    }
    assert stages == {
        "赤坎区第一小学": ("draft", []),
        "赤坎区第二小学": ("submitted", ["submitted"]),
        "赤坎区第三小学": ("scored", ["submitted", "scored"]),
        "赤坎区第二中学": ("passed", ["submitted", "scored", "passed"]),
        "赤坎区第四小学": ("failed", ["submitted", "scored", "failed"]),
        "赤坎区第五小学": ("submitted", ["submitted", "returned", "submitted"]),
        "赤坎区第六小学": ("returned", ["submitted", "returned"]),
    }
    experts = RegionRole.objects.filter(region__name="赤坎区", kind="expert")
    assert sorted(experts.values_list("user__username", flat=True)) == ["expert", "expert2"]
    # Every teacher of the school that passed is registered; some with 25 hours.
    passed = Acceptance.objects.get(status="passed").school
    hours = dict(
        HoursRegistration.objects.filter(school=passed).values_list("teacher__username", "hours")
    )
    assert len(hours) == 3 and sorted(hours.values()) == [0, 25, 25]

    # The printed logins name real accounts with the roles they say.
    names = [username for _, username, _ in ctx.logins]
    for username in ("expert2", "school2", "school3", "school4", "school5", "school6", "school7"):
        assert username in names and User.objects.filter(username=username).exists()

    # What each of them sees first.
    district = login(User.objects.get(username="district"))
    page = district.get(reverse("assessment:district_acceptances")).content.decode()
    for name in stages:
        assert name in page
    home = district.get(reverse("home")).content.decode()
    assert "1 所学校专家已评分，待确认验收结果" in home
    expert = login(User.objects.get(username="expert")).get(reverse("home")).content.decode()
    assert "为 2 所学校评分" in expert and "去评分" in expert  # 第二小学 (a draft), 第五小学
    expert2 = login(User.objects.get(username="expert2")).get(reverse("home")).content.decode()
    assert "为 1 所学校评分" in expert2  # 第二小学; 第五小学's new materials scored
    school = login(User.objects.get(username="school7"))
    assert "第 5 项校长动员讲话稿" in school.get(reverse("assessment:acceptance")).content.decode()
    teacher = login(User.objects.get(username="school4t2"))
    assert "已登记 25 学时" in teacher.get(reverse("hours:mine")).content.decode()

    events = AcceptanceEvent.objects.count()
    load()
    assert AcceptanceEvent.objects.count() == events and Acceptance.objects.count() == 7
