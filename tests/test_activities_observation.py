"""听课评课: the leader uploads a lesson video (or a link) and edits the
听课评课表, starting from a default; members watch and submit it, which
completes the activity; the leader sees every answer and a score summary."""

import pytest
from django.urls import reverse

from activities.models import ObservationQuestion, ObservationResponse, Participation
from hours.models import HoursEntry

from . import factories_activities as fa

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


def _draft(s):
    return fa.activity(s, "observation", publish=False, title="《秋天》公开课")


def test_default_form_and_leader_builds_it_then_publishes(s, as_user):
    a = _draft(s)
    questions = ObservationQuestion.objects.filter(form__activity=a)
    kinds = set(questions.values_list("kind", flat=True))
    assert kinds == {"score", "choice", "text"}
    leader = as_user(s.leader)
    leader.post(
        reverse("activities:question_add", args=[a.pk]),
        {"kind": "score", "prompt": "板书设计", "max_score": 5},
    )
    leader.post(
        reverse("activities:question_add", args=[a.pk]),
        {"kind": "choice", "prompt": "是否推荐为典型课例", "choices": "是\n否"},
    )
    response = leader.post(
        reverse("activities:question_add", args=[a.pk]),
        {"kind": "choice", "prompt": "只有一个选项", "choices": "是"},
        follow=True,
    )
    assert "单选题至少需要两个选项" in response.content.decode()
    first = questions.order_by("position").first()
    leader.post(reverse("activities:question_delete", args=[a.pk, first.pk]))
    assert not ObservationQuestion.objects.filter(pk=first.pk).exists()
    leader.post(
        reverse("activities:form_header", args=[a.pk]),
        {"lesson_title": "秋天", "teacher_name": "李老师", "subject_grade": "语文/一年级"},
    )
    leader.post(
        reverse("activities:video_set", args=[a.pk]),
        {"video": fa.upload("秋天.mp4", fa.MP4, "video/mp4")},
    )
    a.refresh_from_db()
    assert a.video and a.video_name == "秋天.mp4" and a.video_url == ""
    leader.post(reverse("activities:activity_publish", args=[a.pk]))
    a.refresh_from_db()
    assert a.status == "published"


def test_member_watches_submits_and_is_credited_once(s, as_user):
    a = fa.activity(s, "observation")
    client = as_user(s.member)
    client.post(reverse("activities:join", args=[a.pk]))
    client.post(reverse("activities:enter", args=[a.pk]))
    page = client.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert "提交听课评课表" in page and "亮点" in page
    answers = fa.answers_for(a)
    url = reverse("activities:observation_submit", args=[a.pk])
    client.post(url, answers)
    client.post(url, answers)  # double submit
    assert ObservationResponse.objects.filter(activity=a).count() == 1
    assert Participation.objects.get(activity=a, user=s.member).completed_at
    assert HoursEntry.objects.filter(teacher=s.member, object_id=a.pk).get().hours == 5


def test_missing_or_out_of_range_answers_are_refused(s, as_user):
    a = fa.activity(s, "observation")
    client = as_user(s.member)
    client.post(reverse("activities:join", args=[a.pk]))
    url = reverse("activities:observation_submit", args=[a.pk])
    response = client.post(url, {}, follow=True)
    assert "请完成以下必答项" in response.content.decode()
    answers = fa.answers_for(a)
    score_q = ObservationQuestion.objects.filter(form__activity=a, kind="score").first()
    answers[f"q{score_q.pk}"] = "99"
    response = client.post(url, answers, follow=True)
    assert "评分须在 0 到 10 之间" in response.content.decode()
    assert not ObservationResponse.objects.exists()


def test_leader_sees_answers_and_summary_and_form_locks(s, as_user):
    a = fa.activity(s, "observation")
    for user in (s.member, s.member2):
        client = as_user(user)
        client.post(reverse("activities:join", args=[a.pk]))
        client.post(reverse("activities:observation_submit", args=[a.pk]), fa.answers_for(a))
    leader = as_user(s.leader)
    page = leader.get(reverse("activities:observation_results", args=[a.pk])).content.decode()
    assert (
        "共 2 份听课评课表" in page and "平均总分" in page and "平均 <strong>9.0</strong>" in page
    )
    assert "板书清晰" in page and s.member2.real_name in page
    response = leader.post(
        reverse("activities:question_add", args=[a.pk]),
        {"kind": "text", "prompt": "再加一题"},
        follow=True,
    )
    assert "不能再修改题目" in response.content.decode()
    assert (
        as_user(s.member).get(reverse("activities:observation_results", args=[a.pk])).status_code
        == 403
    )


def test_publishing_needs_a_video(s, as_user):
    t = fa.topic(s)
    from activities import services

    a = services.activity_create(
        topic=t,
        by=s.leader,
        kind="observation",
        title="无视频",
        held_on=fa.today(),
        opens_on=fa.today(),
        closes_on=fa.today(),
    )
    response = as_user(s.leader).post(
        reverse("activities:activity_publish", args=[a.pk]), follow=True
    )
    assert "须先上传课堂视频或填写视频链接" in response.content.decode()


class TestVideoServing:
    @pytest.fixture
    def video_activity(self, s, as_user):
        a = _draft(s)
        as_user(s.leader).post(
            reverse("activities:video_set", args=[a.pk]),
            {"video": fa.upload("lesson.mp4", fa.MP4, "video/mp4")},
        )
        as_user(s.leader).post(reverse("activities:activity_publish", args=[a.pk]))
        return a

    def test_full_file_says_it_accepts_ranges(self, s, video_activity, as_user):
        response = as_user(s.member).get(
            reverse("activities:video_stream", args=[video_activity.pk])
        )
        assert response.status_code == 200 and response["Accept-Ranges"] == "bytes"
        assert response["Content-Type"] == "video/mp4"
        assert b"".join(response.streaming_content) == fa.MP4

    def test_range_request_gets_206_partial_content(self, s, video_activity, as_user):
        url = reverse("activities:video_stream", args=[video_activity.pk])
        response = as_user(s.member).get(url, HTTP_RANGE="bytes=4-11")
        assert response.status_code == 206
        assert response["Content-Range"] == f"bytes 4-11/{len(fa.MP4)}"
        assert response["Content-Length"] == "8"
        assert b"".join(response.streaming_content) == fa.MP4[4:12]
        tail = as_user(s.member).get(url, HTTP_RANGE="bytes=-10")
        assert b"".join(tail.streaming_content) == fa.MP4[-10:]
        open_ended = as_user(s.member).get(url, HTTP_RANGE="bytes=100-")
        assert b"".join(open_ended.streaming_content) == fa.MP4[100:]
        beyond = as_user(s.member).get(url, HTTP_RANGE=f"bytes={len(fa.MP4) + 5}-")
        assert beyond.status_code == 416

    def test_video_is_not_served_outside_the_group(self, cast, s, video_activity, as_user):
        url = reverse("activities:video_stream", args=[video_activity.pk])
        assert as_user(cast.outsider).get(url).status_code == 404
        assert as_user(s.other_leader).get(url).status_code == 404

    def test_a_fake_video_is_refused(self, s, as_user):
        a = _draft(s)
        response = as_user(s.leader).post(
            reverse("activities:video_set", args=[a.pk]),
            {"video": fa.upload("lesson.mp4", fa.EXE)},
            follow=True,
        )
        assert "实际内容与扩展名 .mp4 不符" in response.content.decode()


def test_summary_averages_each_score_question_on_its_own(s, as_user):
    a = fa.activity(s, "observation")
    questions = [q for q in fa.answers_for(a)]  # q<pk> names, form order
    scores = {s.member: [10, 8, 6, 4, 2], s.member2: [9, 7, 5, 3, 1]}
    for user, marks in scores.items():
        answers = fa.answers_for(a)
        for name, mark in zip(questions[:5], marks, strict=True):
            answers[name] = str(mark)
        as_user(user).post(reverse("activities:join", args=[a.pk]))
        as_user(user).post(reverse("activities:observation_submit", args=[a.pk]), answers)
    from activities.selectors import observation_summary

    summary = observation_summary(activity=a)
    averages = [avg for q, avg, _ in summary.per_question if q.kind == "score"]
    assert averages == [9.5, 7.5, 5.5, 3.5, 1.5]
    choice = next(counts for q, _, counts in summary.per_question if q.kind == "choice")
    assert choice["优秀"] == 2 and choice["良好"] == 0
    assert summary.average_total == 27.5
    page = as_user(s.leader).get(reverse("activities:observation_results", args=[a.pk]))
    html = page.content.decode()
    assert "平均 <strong>9.5</strong> / 10" in html and "平均 <strong>1.5</strong> / 10" in html
