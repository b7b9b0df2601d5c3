"""The demo tells one consistent story (issue 9 §7): leaders lead the group of
their own subject, topics carry the ability points their titles are about,
every date lies inside the cycle, codes read A3 before A13, and loading twice
changes nothing."""

import importlib

import pytest
from django.urls import reverse

from accounts import demo as accounts_demo
from accounts.management.commands.demo import DEMO_APPS
from accounts.models import SchoolMembership
from activities.models import Activity, Topic
from groups.demo import GROUPS
from groups.models import ResearchGroup
from hours.models import HoursClaim

from .conftest import login

pytestmark = pytest.mark.django_db


def load():
    ctx = accounts_demo.load()
    for app in DEMO_APPS:
        try:
            module = importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError:
            continue
        module.load(ctx)
    return ctx


def _counts():
    return (ResearchGroup.objects.count(), Topic.objects.count(), Activity.objects.count())


def test_the_demo_tells_one_consistent_story():
    ctx = load()
    school = ctx.school
    subject = dict(
        SchoolMembership.objects.active().filter(school=school).values_list("user_id", "subject")
    )
    for group in ResearchGroup.objects.filter(school=school, archived_at__isnull=True):
        assert subject[group.leader_id] in GROUPS[group.name], group.name
        for m in group.members.all():
            assert subject[m.user_id] in GROUPS[group.name], (group.name, m.user)

    topics = {t.title: [p.code for p in t.key_points.all()] for t in Topic.objects.all()}
    assert topics == {
        "微课助力课堂": ["A3"],
        "评价量规设计与应用": ["A13", "G2"],
        # issue 14: each other group's first topic, on the point its plan names
        "微课讲解数学易错题": ["A3"],
        "英语口语表达评价量规": ["A13"],
        "科学实验微课设计": ["A3"],
        "艺体课堂表现性评价量规": ["A13"],
        "多技术融合环境下的集体教研": ["G2"],
    }

    for a in Activity.objects.select_related("cycle"):
        assert a.cycle.starts_on <= a.opens_on <= a.held_on <= a.closes_on <= a.cycle.ends_on
        if a.evidence.exists():
            assert min(e.uploaded_at.date() for e in a.evidence.all()) >= a.held_on

    # The leader's own offline hours wait for the school admin, as the rule says.
    leader = ctx.users["leader"]
    assert subject[leader.pk] == "语文"
    assert HoursClaim.objects.filter(teacher=leader, status="pending").exists()
    home = login(ctx.users["school_admin"]).get(reverse("home")).content.decode()
    assert "组长本人的学时" in home

    theme = login(ctx.users["school_admin"]).get(reverse("groups:theme")).content.decode()
    assert theme.index("<strong>A3</strong>") < theme.index("<strong>A13</strong>")

    before = _counts()
    load()
    assert _counts() == before
