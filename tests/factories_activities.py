"""Builders for activities tests: a group with a leader and members, a school
theme with key points, and small files whose bytes match their names."""

import datetime
import uuid
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from activities import services
from activities.models import Activity, ObservationQuestion, Topic
from groups.models import AbilityPoint, GroupMember, ResearchGroup, SchoolTheme

from . import factories as f

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
# An MZ header with a PE signature: what a Windows program starts with.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"PE\x00\x00"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 8


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@dataclass
class Setup:
    group: ResearchGroup
    leader: object
    member: object
    member2: object
    points: list
    other_group: ResearchGroup
    other_leader: object


def group_setup(cast, *, group_name: str = "语文组") -> Setup:
    """School A: theme with 3 key points; 语文组 led by a leader (also a member)
    with cast.teacher and cast.teacher2; 数学组 led by someone else."""
    points = list(AbilityPoint.objects.order_by("pk")[:3])
    theme, _ = SchoolTheme.objects.get_or_create(
        school=cast.school, cycle=cast.cycle, defaults={"title": "信息技术支持的精准教学"}
    )
    theme.key_points.set(points)
    leader = f.teacher(cast.school, "周组长")
    group = ResearchGroup.objects.create(school=cast.school, name=group_name, leader=leader)
    for user in (leader, cast.teacher, cast.teacher2):
        GroupMember.objects.create(group=group, user=user)
    other_leader = f.teacher(cast.school, "吴组长")
    other = ResearchGroup.objects.create(school=cast.school, name="数学组", leader=other_leader)
    GroupMember.objects.create(group=other, user=other_leader)
    return Setup(group, leader, cast.teacher, cast.teacher2, points, other, other_leader)


def today():
    return timezone.localdate()


def topic(s: Setup, *, group=None, leader=None, points=None, publish=True) -> Topic:
    t = services.topic_create(
        group=group or s.group,
        by=leader or s.leader,
        title="信息技术与课堂评价",
        key_points=points or s.points[:1],
    )
    return services.topic_publish(topic=t, by=leader or s.leader) if publish else t


_day = iter(range(10**9))


def _free_day(group, *, past: bool = False) -> datetime.date:
    """A day within the cycle on which the group has no activity yet (the
    one-activity-per-day rule), skipping days a test set explicitly; `past`:
    today or before (an offline activity takes evidence only once held)."""
    taken = set(Activity.objects.filter(group=group).values_list("held_on", flat=True))
    while True:
        n = next(_day)
        offset = -(n % 50) if past else n % 150 - 50
        day = today() + datetime.timedelta(days=offset)
        if day not in taken:
            return day


def once(**data) -> dict:
    """A create form's data as our pages send it: with the form's token (a fresh
    one, as a newly loaded page renders; required, attack report 1 §9)."""
    return {"request_token": str(uuid.uuid4()), **data}


def evidence_data(a, kind: str, file, **extra) -> dict:
    """The evidence form as the leader's page sends it: the first evidence carries
    the ticked confirmation of how many members it credits (the number the page
    shows, selectors.evidence_would_credit), and the form's token."""
    from activities.selectors import evidence_would_credit

    return once(
        kind=kind,
        file=file,
        confirm_credit=evidence_would_credit(activity=a),
        **extra,
    )


def activity(s: Setup, kind: str, *, t=None, held_on=None, hours=None, publish=True, **kw):
    """A published activity on a fresh day, open from 10 days ago to 10 days ahead
    (an offline one held already, so that it takes evidence)."""
    t = t or topic(s)
    held_on = held_on or _free_day(t.group, past=kind == Activity.Kind.OFFLINE)
    a = services.activity_create(
        topic=t,
        by=t.group.leader,
        kind=kind,
        title=kw.pop("title", f"{Activity.Kind(kind).label}活动"),
        held_on=held_on,
        opens_on=kw.pop("opens_on", min(held_on, today() - datetime.timedelta(days=10))),
        closes_on=kw.pop("closes_on", max(held_on, today() + datetime.timedelta(days=10))),
        hours_value=hours,
        **kw,
    )
    if kind == Activity.Kind.OBSERVATION:
        services.observation_video_set(activity=a, by=t.group.leader, url="https://v.example/1")
    if publish:
        services.activity_publish(activity=a, by=t.group.leader)
    return a


def answers_for(a) -> dict:
    out = {}
    for q in ObservationQuestion.objects.filter(form__activity=a):
        if q.kind == "score":
            out[f"q{q.pk}"] = str(q.max_score - 1)
        elif q.kind == "choice":
            out[f"q{q.pk}"] = q.choices[0]
        else:
            out[f"q{q.pk}"] = "板书清晰，互动充分。"
    return out
