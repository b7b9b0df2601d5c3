"""An archived group is read-only (issue 8 §6): its leader gets 403 on every
manage action (tests/test_issue8_archived_ladder.py walks them all, from the
URL ladder), its members can no longer act, and every service refuses with a
clear message, so no hours are credited through it any more."""

import re
from urllib.parse import urlparse

import pytest
from django.urls import resolve, reverse

from accounts.roles import Role
from activities import services
from activities.models import Activity, Evidence, Participation, Post, Topic
from assessment.models import Acceptance
from groups.models import GroupMember
from groups.services import group_archive, group_plan_save
from hours.models import HoursEntry

from . import factories_activities as fa
from . import world as w
from .conftest import login
from .ladder import LADDER, MEMBER
from .urlwalk import app_urls, call, describe, role_refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast, as_user):
    s = fa.group_setup(cast)
    topic = fa.topic(s)
    talk = fa.activity(s, "discussion", t=topic)
    homework = fa.activity(s, "homework", t=topic)
    offline = fa.activity(s, "offline", t=topic, hours=10)
    draft = fa.activity(s, "discussion", t=topic, publish=False)
    as_user(s.member).post(reverse("activities:join", args=[talk.pk]))
    as_user(s.member).post(
        reverse("activities:post_new", args=[talk.pk]),
        {**fa.once(), "body": "归档前写下的一条研讨观点"},
    )
    as_user(s.leader).post(
        reverse("activities:designate", args=[offline.pk]), {"users": [s.member2.pk]}
    )
    # A second, live group keeps the leader's role: the 403 comes from the archive.
    s.other_group.leader = s.leader
    s.other_group.save(update_fields=["leader"])
    GroupMember.objects.get_or_create(group=s.other_group, user=s.leader)
    as_user(cast.school_admin).post(reverse("groups:archive", args=[s.group.pk]))
    s.group.refresh_from_db()
    assert s.group.archived_at is not None
    return s, topic, talk, homework, offline, draft


# ---- every action of the ladder, on an archived group -------------------------------

# The world objects (tests/world.py) that belong to its group 语文组: a URL naming
# one of them acts on that group. Every object a leader's or member's URL names
# is in one list or the other, so a new kind of object must be placed here.
GROUP_OBJECTS = {
    "group",
    "topic",
    "discussion",
    "homework",
    "observation",
    "offline",
    "post",
    "question",
    "evidence",
    "homework_file",
    "group_member",
    "designated",
    "checkin_token",
    "case",
}
# A teacher's own materials and the school's: no group acts on them.
OTHER_OBJECTS = {"point", "plan", "summary", "evaluation", "evaluation_item", "claim"}
ARCHIVED = "已归档"  # in every refusal of an archived group's action


def _named_objects(name: str, url: str) -> set[str]:
    rung = LADDER[name]
    return {rung.objects.get(k) or w.DEFAULT_OBJECTS[k] for k in resolve(urlparse(url).path).kwargs}


def _group_urls(world):
    """(name, url, rung) of every URL a leader or member uses that names an
    object of the group."""
    for name, url, rung in app_urls(world):
        if not rung.roles & {Role.LEADER, Role.TEACHER}:
            continue
        named = _named_objects(name, url)
        unplaced = named - GROUP_OBJECTS - OTHER_OBJECTS
        assert not unplaced, f"{name} names {unplaced}: add it to GROUP_OBJECTS or OTHER_OBJECTS"
        if named & GROUP_OBJECTS:
            yield name, url, rung


@pytest.fixture
def archived_world(cast):
    world = w.build(cast)
    # The world's acceptance is submitted, which holds the school's groups
    # (archiving one would take its 典型案例 off the experts' pages): back to
    # 准备中, so that the archive's own rules are what these tests see.
    Acceptance.objects.filter(school=cast.school).update(status="draft")
    s = world.s
    # The leader leads a second, live group: every 403 below is the archive's,
    # not the role gate's.
    s.other_group.leader = s.leader
    s.other_group.save(update_fields=["leader"])
    login(cast.school_admin).post(reverse("groups:archive", args=[s.group.pk]))
    s.group.refresh_from_db()
    assert s.group.archived_at is not None
    return world


def _archived_refusal(response) -> bool:
    return (
        response.status_code == 403
        and not role_refused(response)
        and ARCHIVED in response.content.decode()
    )


def _post_forms(page: str) -> set[str]:
    """The paths the page's POST forms send to ("" for its own URL)."""
    forms = re.findall(r"<form\b[^>]*>", page)
    return {
        (re.search(r'action="([^"]*)"', tag) or re.search("()", "")).group(1)
        for tag in forms
        if re.search(r'method="post"', tag, re.I)
    }


def test_every_action_on_an_archived_group_answers_403(archived_world):
    """Generated from tests/ladder.py: every POST action a leader or member
    takes on the group's objects (activities, topics, members, check-in,
    moments, 提醒, evidence, its typical case...) answers 403 saying the group
    is archived: to the leader and, for members' actions, to a member."""
    world = archived_world
    leader, member = login(world.s.leader), login(world.s.member)
    failures, checked = [], set()
    for name, url, rung in _group_urls(world):
        if rung.method != "post":
            continue
        people = [("leader", leader)] + ([("member", member)] if rung.roles == MEMBER else [])
        for who, client in people:
            response = call(client, "post", url)
            checked.add(name)
            if not _archived_refusal(response):
                failures.append(
                    f"{name} {url}: {who} should get 403 (已归档), got {describe(response)}"
                )
    assert not failures, "\n".join(failures)
    # The walk covers the actions the hand-typed list used to miss.
    assert {
        "activities:checkin_open",
        "activities:checkin_manual",
        "activities:video_comment_add",
        "activities:activity_remind",
        "activities:video_set",
        "activities:form_header",
        "activities:question_add",
        "activities:question_delete",
        "activities:evidence_withdraw",
        "activities:observation_submit",
        "assessment:case_delete",
    } <= checked


def test_every_page_of_an_archived_group_reads_or_refuses(archived_world):
    """Every page a leader opens on the group's objects either reads (200, or
    a redirect to a reading page) and offers no form that posts back to
    itself, or is a form and answers 403 (已归档), to its GET and its POST."""
    world = archived_world
    leader = login(world.s.leader)
    failures, forms = [], set()
    actions = {u for _, u, r in _group_urls(world) if r.method == "post"}
    for name, url, rung in _group_urls(world):
        if rung.method != "get":
            continue
        got = call(leader, "get", url)
        if _archived_refusal(got):
            forms.add(name)
            posted = call(leader, "post", url)
            if not _archived_refusal(posted):
                failures.append(
                    f"{name} {url}: POST should get 403 (已归档), got {describe(posted)}"
                )
            continue
        if got.status_code not in (200, 302) or role_refused(got):
            failures.append(f"{name} {url}: should read or refuse (已归档), got {describe(got)}")
            continue
        if got.status_code == 200 and "html" in got.get("Content-Type", ""):
            own = {"", url} & _post_forms(got.content.decode())
            if own:
                failures.append(f"{name} {url}: a form posting back to itself is still offered")
            dead = actions & _post_forms(got.content.decode())
            if dead:
                failures.append(f"{name} {url}: offers forms to refused actions {dead}")
    assert not failures, "\n".join(failures)
    assert {
        "activities:topic_new",
        "activities:topic_edit",
        "activities:activity_new",
        "activities:activity_edit",
        "activities:extension_new",
        "groups:member_add",
        "groups:group_plan",
    } <= forms


def test_a_typical_case_cannot_be_uploaded_for_an_archived_group(archived_world):
    """assessment:cases names no group in its URL: the group is a choice of
    its form, which no longer offers the archived one and refuses it."""
    from assessment.models import TypicalCase

    from . import factories_assessment as fm

    world = archived_world
    s = world.s
    before = TypicalCase.objects.count()
    client = login(s.leader)
    page = client.get(reverse("assessment:cases")).content.decode()
    assert f'value="{s.other_group.pk}"' in page and f'value="{s.group.pk}"' not in page
    response = client.post(
        reverse("assessment:cases"),
        {
            **fa.once(),
            "group": s.group.pk,
            "title": "归档后的案例",
            "design": fm.upload("设计.pdf"),
            "recording": "offline",
        },
    )
    assert response.status_code == 200
    assert "只能为自己担任组长的教研组上传" in response.content.decode()
    assert TypicalCase.objects.count() == before


def test_reading_stays_possible_for_the_leader(cast, as_user, world):
    s, topic, talk, homework, offline, draft = world
    leader = as_user(s.leader)
    assert leader.get(reverse("activities:group", args=[s.group.pk])).status_code == 200
    page = leader.get(reverse("activities:detail", args=[talk.pk]))
    assert page.status_code == 200 and "已归档" in page.content.decode()
    assert leader.get(reverse("groups:detail", args=[s.group.pk])).status_code == 200
    assert Participation.objects.filter(activity=offline).count() == 1
    assert Topic.objects.count() == 1 and Activity.objects.count() == 4
    assert not Evidence.objects.exists()


def test_members_can_no_longer_act(cast, as_user, world):
    s, topic, talk, homework, offline, draft = world
    member = as_user(s.member2)
    post = Post.objects.get()
    for url, data in (
        (reverse("activities:join", args=[homework.pk]), {}),
        (
            reverse("activities:post_new", args=[talk.pk]),
            {**fa.once(), "body": "归档后还想写的一条观点"},
        ),
        (reverse("activities:homework_submit", args=[homework.pk]), {"text": "作业"}),
        (reverse("activities:like", args=[post.pk]), {}),
    ):
        assert member.post(url, data).status_code == 403, url
    assert not HoursEntry.objects.filter(teacher=s.member2).exists()


def test_every_service_refuses_with_a_message(cast, world):
    s, topic, talk, homework, offline, draft = world
    credits_before = HoursEntry.objects.count()  # the post made before archiving
    archived = "已归档"
    calls = [
        lambda: services.topic_create(
            group=s.group, by=s.leader, title="新专题", key_points=s.points
        ),
        lambda: services.topic_publish(topic=topic, by=s.leader),
        lambda: services.activity_publish(activity=draft, by=s.leader),
        lambda: services.activity_close(activity=talk, by=s.leader),
        lambda: services.participants_designate(activity=offline, by=s.leader, users=[s.member]),
        lambda: services.evidence_add(
            activity=offline,
            by=s.leader,
            kind="photo",
            upload=fa.upload("a.png", fa.PNG),
            confirmed=1,
        ),
        lambda: services.participation_join(activity=homework, user=s.member2),
        lambda: services.homework_submit(activity=homework, user=s.member, text="作业"),
        lambda: services.activity_update(
            activity=talk,
            by=s.leader,
            title="改名",
            held_on=talk.held_on,
            opens_on=talk.opens_on,
            closes_on=talk.closes_on,
        ),
    ]
    for attempt in calls:
        with pytest.raises(services.ActivityError, match=archived):
            attempt()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=archived):
        group_plan_save(group=s.group, plan="归档后的计划", by=s.leader)
    with pytest.raises(ValidationError, match="已归档"):
        group_archive(group=s.group, by=cast.school_admin)
    assert HoursEntry.objects.count() == credits_before
