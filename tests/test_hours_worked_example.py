"""Seed 003's worked example, through the real activity flows.

A group covers three ability points (A3, A13, G2 in the seed) with 教学研讨 ×3,
研修作业 ×1, 线下活动 ×2 at 5 hours and 听课评课 ×1: 2+2+2 + 5 + 5+5 + 5 = 26
hours recorded, of which 25 count.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from activities.models import ObservationQuestion
from activities.services import (
    activity_create,
    activity_publish,
    evidence_add,
    evidence_withdraw,
    homework_submit,
    observation_submit,
    observation_video_set,
    participants_designate,
    participation_join,
    post_create,
    topic_create,
    topic_publish,
)
from groups.models import AbilityPoint, GroupMember, ResearchGroup, SchoolTheme
from hours.models import HoursEntry, HoursRegistration, RegistrationBatch
from hours.selectors import hours_totals

pytestmark = pytest.mark.django_db

# A 1×1 PNG: evidence uploads are checked by their real type.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


class Story:
    """The group, its leader (teacher2) and member (teacher), one activity per day."""

    def __init__(self, cast):
        self.cast = cast
        self.leader, self.member = cast.teacher2, cast.teacher
        self.points = list(AbilityPoint.objects.order_by("pk")[:3])
        theme = SchoolTheme.objects.create(school=cast.school, cycle=cast.cycle, title="融合创新")
        theme.key_points.set(self.points)
        self.group = ResearchGroup.objects.create(
            school=cast.school, name="语文组", leader=self.leader
        )
        for user in (self.leader, self.member):
            GroupMember.objects.create(group=self.group, user=user)
        self.today = timezone.localdate()
        self.day = -30  # every activity already held: offline ones take evidence

    def topic(self, point):
        topic = topic_create(
            group=self.group, by=self.leader, title=f"{point.code} 专题", key_points=[point]
        )
        return topic_publish(topic=topic, by=self.leader)

    def activity(self, topic, kind, title, hours=None, video=False):
        held_on = self.today + datetime.timedelta(days=self.day)
        self.day += 1
        activity = activity_create(
            topic=topic,
            by=self.leader,
            kind=kind,
            title=title,
            held_on=held_on,
            opens_on=self.today - datetime.timedelta(days=40),
            closes_on=self.today + datetime.timedelta(days=10),
            hours_value=hours,
        )
        if video:
            observation_video_set(activity=activity, by=self.leader, url="https://v.example/1")
        return activity_publish(activity=activity, by=self.leader)

    def discuss(self, topic, title):
        a = self.activity(topic, "discussion", title)
        participation_join(activity=a, user=self.member)
        post_create(activity=a, user=self.member, body="信息技术支持下的课堂评价，我有三点体会。")
        return a

    def homework(self, topic, title):
        a = self.activity(topic, "homework", title)
        participation_join(activity=a, user=self.member)
        homework_submit(activity=a, user=self.member, text="教学设计与教学反思（见正文）。")
        return a

    def offline(self, topic, title, hours):
        a = self.activity(topic, "offline", title, hours=hours)
        participants_designate(activity=a, by=self.leader, users=[self.member])
        evidence = evidence_add(
            activity=a,
            by=self.leader,
            kind=a.evidence.model.Kind.values[0],
            upload=SimpleUploadedFile("签到表.png", PNG, content_type="image/png"),
            confirmed=1,  # the leader ticked "将为 1 名组员计入 … 学时"
        )
        return a, evidence

    def observe(self, topic, title):
        a = self.activity(topic, "observation", title, video=True)
        participation_join(activity=a, user=self.member)
        answers = {}
        for q in ObservationQuestion.objects.filter(form__activity=a):
            if q.kind == ObservationQuestion.Kind.SCORE:
                answers[f"q{q.pk}"] = "8"
            elif q.kind == ObservationQuestion.Kind.CHOICE:
                answers[f"q{q.pk}"] = q.choices[0]
            else:
                answers[f"q{q.pk}"] = "环节清晰，互动充分。"
        observation_submit(activity=a, user=self.member, raw_answers=answers)
        return a


@pytest.fixture
def story(cast):
    return Story(cast)


def play_seed_003(story):
    a3, a13, g2 = (story.topic(p) for p in story.points)
    story.discuss(a3, "A3 研讨")
    story.homework(a3, "A3 微课设计作业")
    story.discuss(a13, "A13 研讨")
    offline_a13, evidence = story.offline(a13, "A13 量规集中备课", 5)
    story.discuss(g2, "G2 研讨")
    story.offline(g2, "G2 线下教研", 5)
    story.observe(g2, "G2 听课评课")
    return offline_a13, evidence


def test_the_worked_example_records_26_and_counts_25(cast, story, as_user):
    play_seed_003(story)
    totals = hours_totals(teacher=story.member, cycle=cast.cycle)
    assert (totals.recorded, totals.counted, totals.over_cap) == (26, 25, 1)
    credits = HoursEntry.objects.filter(teacher=story.member, kind="credit")
    assert sorted(credits.values_list("category", "hours")) == sorted(
        [("教学研讨", 2)] * 3 + [("研修作业", 5), ("线下活动", 5), ("线下活动", 5), ("听课评课", 5)]
    )

    body = as_user(story.member).get(reverse("hours:mine")).content.decode()
    assert "25/25" in body and 'id="recorded">26<' in body
    assert "另有 1 学时已记录但不计入" in body
    for label in ("教学研讨 × 3", "研修作业 × 1", "线下活动 × 2", "听课评课 × 1"):
        assert label in body
    a3, a13, g2 = story.points
    assert f"{a3.code} {a3.name} · 2 个活动" in body
    assert f"{g2.code} {g2.name} · 3 个活动" in body

    leader_page = as_user(story.leader).get(reverse("hours:group")).content.decode()
    assert "25/25" in leader_page


def test_completing_again_credits_nothing_more(cast, story):
    play_seed_003(story)
    discussion = HoursEntry.objects.filter(category="教学研讨").first().source
    post_create(activity=discussion, user=story.member, body="再补充一点：评价量规要提前给学生。")
    assert hours_totals(teacher=story.member, cycle=cast.cycle).recorded == 26


def test_withdrawing_offline_evidence_reverses_those_hours(cast, story):
    _, evidence = play_seed_003(story)
    evidence_withdraw(evidence=evidence, by=story.leader)
    totals = hours_totals(teacher=story.member, cycle=cast.cycle)
    assert (totals.recorded, totals.counted) == (21, 21)
    assert HoursEntry.objects.filter(teacher=story.member, kind="reversal").count() == 1


def test_reaching_25_hours_registers_nothing_before_acceptance(cast, story, as_user):
    # 学时登记 follows the school's passed whole-school acceptance, never the hours themselves.
    play_seed_003(story)
    assert not HoursRegistration.objects.exists()
    assert not RegistrationBatch.objects.exists()
    body = as_user(story.member).get(reverse("hours:mine")).content.decode()
    assert "学时登记：未登记" in body
