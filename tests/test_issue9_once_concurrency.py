"""Twenty identical requests at the same instant store once (issue 9 §5) — a
phone re-sending on a bad line, a double tap — through the real URLs and the
services, for real on PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiaoben \\
        .venv/bin/pytest -m postgres tests/test_issue9_once_concurrency.py

Also: twenty confirms of one leader's claim credit once (issue 8 §5), and a
credit racing a removal never leaves the removed teacher credited (issue 9 §1).
"""

import datetime

from django.urls import reverse

from accounts.models import SchoolMembership
from activities import services
from activities.models import (
    Activity,
    Evidence,
    ObservationResponse,
    Post,
    Submission,
    Topic,
)
from hours.models import HoursClaim, HoursEntry
from hours.selectors import hours_totals

from . import factories_activities as fa
from .concurrency import postgres_only, run_at_once
from .conftest import login

pytestmark = postgres_only("twenty requests cannot overlap there")

N = 20


def _token(client, url, form):
    return str(client.get(url).context[form].initial["request_token"])


def _standing(user, a):
    return HoursEntry.objects.filter(
        teacher=user, object_id=a.pk, kind="credit", reversed_by__isnull=True
    )


def test_twenty_identical_post_requests_store_one_post(cast):
    s = fa.group_setup(cast)
    a = fa.activity(s, "discussion")
    client = login(s.member)
    client.post(reverse("activities:join", args=[a.pk]))
    client.post(reverse("activities:enter", args=[a.pk]))
    token = _token(client, reverse("activities:detail", args=[a.pk]), "post_form")
    url = reverse("activities:post_new", args=[a.pk])
    data = {"body": "网络不好时手机重发了二十次的同一条观点", "request_token": token}
    codes = run_at_once(*[lambda: login(s.member).post(url, data).status_code] * N)
    assert set(codes) == {302}
    assert Post.objects.filter(activity=a, author=s.member).count() == 1
    assert _standing(s.member, a).get().hours == 2


def test_twenty_identical_post_service_calls_store_one_post(cast):
    s = fa.group_setup(cast)
    a = fa.activity(s, "discussion")
    services.participation_join(activity=a, user=s.member)
    token = "8f14e45f-ceea-467f-a0a6-1f2f3c4d5e6f"

    def call():
        return services.post_create(
            activity=a, user=s.member, body="通过服务同时提交的同一条观点", token=token
        ).pk

    pks = run_at_once(*[call] * N)
    assert len(set(pks)) == 1
    assert Post.objects.filter(activity=a).count() == 1


def test_twenty_identical_evidence_uploads_store_one_and_credit_once(cast):
    s = fa.group_setup(cast)
    a = fa.activity(s, "offline", hours=8)
    leader = login(s.leader)
    leader.post(
        reverse("activities:designate", args=[a.pk]), {"users": [s.member.pk, s.member2.pk]}
    )
    token = _token(leader, reverse("activities:detail", args=[a.pk]), "evidence_form")
    url = reverse("activities:evidence_add", args=[a.pk])

    def upload():
        data = fa.evidence_data(a, "sign_in", fa.upload("签到表.pdf", fa.PDF))
        data.update(request_token=token, confirm_credit="2")
        return login(s.leader).post(url, data).status_code

    assert set(run_at_once(*[upload] * N)) == {302}
    assert Evidence.objects.filter(activity=a).count() == 1
    assert _standing(s.member, a).count() == _standing(s.member2, a).count() == 1


def test_twenty_identical_topic_and_activity_forms_make_one_each(cast):
    s = fa.group_setup(cast)
    leader = login(s.leader)
    topic_url = reverse("activities:topic_new", args=[s.group.pk])
    topic_data = {
        "title": "重发二十次的专题",
        "key_points": [s.points[0].pk],
        "request_token": _token(leader, topic_url, "form"),
    }
    run_at_once(*[lambda: login(s.leader).post(topic_url, topic_data).status_code] * N)
    assert Topic.objects.filter(group=s.group, title="重发二十次的专题").count() == 1

    topic = fa.topic(s)
    url = reverse("activities:activity_new", args=[topic.pk])
    day = fa.today() + datetime.timedelta(days=5)
    data = {
        "kind": "homework",
        "title": "重发二十次的活动",
        "held_on": f"{day:%Y-%m-%d}",
        "opens_on": f"{day:%Y-%m-%d}",
        "closes_on": f"{day:%Y-%m-%d}",
        "request_token": _token(leader, url, "form"),
    }
    targets = run_at_once(*[lambda: login(s.leader).post(url, data).url] * N)
    made = Activity.objects.get(topic=topic)
    assert set(targets) == {reverse("activities:detail", args=[made.pk])}


def test_twenty_homework_submissions_and_observation_forms_store_one_each(cast):
    s = fa.group_setup(cast)
    homework = fa.activity(s, "homework")
    observe = fa.activity(s, "observation")
    client = login(s.member)
    for a in (homework, observe):
        client.post(reverse("activities:join", args=[a.pk]))
    hw_url = reverse("activities:homework_submit", args=[homework.pk])

    def submit():
        files = [fa.upload("设计.pdf", fa.PDF, "application/pdf")]
        return login(s.member).post(hw_url, {"text": "反思", "files": files}).status_code

    assert set(run_at_once(*[submit] * N)) == {302}
    assert Submission.objects.filter(activity=homework, user=s.member).count() == 1
    assert Submission.objects.get(activity=homework).files.count() == 1
    assert _standing(s.member, homework).count() == 1

    obs_url = reverse("activities:observation_submit", args=[observe.pk])
    answers = fa.answers_for(observe)
    run_at_once(*[lambda: login(s.member).post(obs_url, answers).status_code] * N)
    assert ObservationResponse.objects.filter(activity=observe, user=s.member).count() == 1
    assert _standing(s.member, observe).count() == 1


def test_twenty_confirms_of_a_leaders_claim_credit_once(cast):
    s = fa.group_setup(cast)
    a = fa.activity(s, "offline", hours=10)
    services.participants_designate(activity=a, by=s.leader, users=[s.leader])
    services.evidence_add(
        activity=a, by=s.leader, kind="photo", upload=fa.upload("a.png", fa.PNG), confirmed=1
    )
    claim = HoursClaim.objects.get(teacher=s.leader)
    url = reverse("activities:claim_confirm", args=[claim.pk])
    run_at_once(*[lambda: login(cast.school_admin).post(url).status_code] * N)
    assert _standing(s.leader, a).count() == 1
    assert hours_totals(teacher=s.leader, cycle=cast.cycle).recorded == 10
    claim.refresh_from_db()
    assert claim.status == "confirmed"


def test_a_credit_racing_a_removal_never_leaves_the_removed_teacher_credited(cast):
    """Evidence that credits 李老师 uploaded at the instant she is removed: either
    the credit commits first and the removal reverses it, or the removal does
    and the credit finds her place gone (accounts.services.teacher_place_lock)."""
    from groups.services import teacher_remove

    s = fa.group_setup(cast)
    a = fa.activity(s, "offline", hours=6)
    services.participants_designate(activity=a, by=s.leader, users=[s.member, s.member2])
    place = SchoolMembership.objects.get(user=s.member, removed_at__isnull=True)

    def remove():
        return teacher_remove(membership=place, by=cast.school_admin, reason="调岗").pk

    def upload():
        try:
            return services.evidence_add(
                activity=a,
                by=s.leader,
                kind="photo",
                upload=fa.upload("a.png", fa.PNG),
                confirmed=2,
            ).pk
        except services.ActivityError as refusal:  # the removal won: now it credits 1
            return str(refusal)

    run_at_once(remove, upload)
    assert not _standing(s.member, a).exists()
    assert hours_totals(teacher=s.member, cycle=cast.cycle).recorded == 0
    assert (
        not HoursEntry.objects.filter(teacher=s.member, kind="credit")
        .exclude(reversed_by__isnull=False)
        .exists()
    )
