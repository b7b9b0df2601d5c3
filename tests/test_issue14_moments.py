"""Issue 14 §2: comments pinned to moments of the lesson video (听课评课). A
comment stores its second; members see each other's only after handing in
their own 听课评课表; the leader sees all; another group's member can neither
read nor write (404); the results page shows the most-commented moments; the
export carries the comments beside the responses."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities import services
from activities.models import VideoComment
from activities.moments import moment_label, moment_parse

from . import factories_activities as fa
from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


@pytest.fixture
def lesson(s):
    return fa.activity(s, "observation", title="《秋天的雨》听评课")


def entered(a, *users):
    for user in users:
        p = services.participation_join(activity=a, user=user)
        services.participation_enter(participation=p)


def comment(client, a, at: str, body: str, **extra):
    return client.post(
        reverse("activities:video_comment_add", args=[a.pk]),
        {**fa.once(), "at": at, "body": body, **extra},
    )


def page(client, a) -> str:
    response = client.get(reverse("activities:detail", args=[a.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_times_read_and_show_as_minutes_and_seconds():
    assert [
        moment_parse(t) for t in ("01:15", "12:30", "1:02:03", "12：30", "12分30秒", "45秒")
    ] == [
        75,
        750,
        3723,
        750,
        750,
        45,
    ]
    assert [moment_parse(t) for t in ("", "abc", "12:60", "90", "-1:00")] == [None] * 5
    assert [moment_label(n) for n in (0, 75, 3723)] == ["00:00", "01:15", "1:02:03"]


def test_a_comment_stores_its_second_and_lists_in_video_order(s, lesson):
    entered(lesson, s.member)
    member = login(s.member)
    response = comment(member, lesson, "12:30", "这里的追问让学生说出了理由。")
    assert response.status_code == 302 and response["Location"].endswith("#moments")
    comment(member, lesson, "01:15", "导入用了微课，学生很快进入情境。")
    rows = list(VideoComment.objects.filter(activity=lesson).values_list("second", "author"))
    assert sorted(rows) == [(75, s.member.pk), (750, s.member.pk)]
    text = page(member, lesson)
    assert (
        text.index("导入用了微课")
        < text.index("这里的追问")
        < text.index('<h2 class="h6">听课评课表')
    )


def test_bad_times_and_empty_comments_are_refused_with_a_message(s, lesson):
    entered(lesson, s.member)
    member = login(s.member)
    for at, body, message in [
        ("abc", "好", "请按“分:秒”填写视频时间点"),
        ("", "好", "请按“分:秒”填写视频时间点"),
        ("300:00", "好", "视频时间点须在 00:00 到 4:00:00 之间"),
        ("01:00", "   ", "请填写评论内容"),
    ]:
        response = member.post(
            reverse("activities:video_comment_add", args=[lesson.pk]),
            {**fa.once(), "at": at, "body": body},
            follow=True,
        )
        assert message in response.content.decode(), at
    assert not VideoComment.objects.exists()


def test_a_member_comments_only_after_joining_and_entering(s, lesson):
    member = login(s.member)
    response = comment(member, lesson, "01:00", "还没进入研修")
    assert response.status_code == 302
    assert not VideoComment.objects.exists()
    assert "请先点击“参与活动”并“进入研修”，再发表评论" in page(member, lesson)


def test_a_comment_goes_in_only_while_the_activity_is_open(s, lesson):
    entered(lesson, s.member)
    services.activity_close(activity=lesson, by=s.leader)
    comment(login(s.member), lesson, "01:00", "结束以后")
    assert not VideoComment.objects.exists()


def test_a_double_tap_stores_the_comment_once(s, lesson):
    entered(lesson, s.member)
    member = login(s.member)
    token = member.get(reverse("activities:detail", args=[lesson.pk])).context["comment_form"]
    token = token.initial["request_token"]
    for _ in range(2):
        comment(member, lesson, "02:00", "同一条评论", request_token=token)
    assert VideoComment.objects.count() == 1


def test_others_comments_stay_hidden_until_the_members_own_form_is_in(s, lesson):
    entered(lesson, s.member, s.member2)
    comment(login(s.member2), lesson, "03:10", "王老师：板书与课件配合得好。")
    comment(login(s.member), lesson, "04:00", "李老师：小组讨论时间偏短。")
    member = login(s.member)
    before = page(member, lesson)
    assert "李老师：小组讨论时间偏短" in before
    assert "王老师：板书与课件配合得好" not in before
    assert "其他组员已发表 1 条评论，你提交听课评课表后即可看到" in before
    services.observation_submit(activity=lesson, user=s.member, raw_answers=fa.answers_for(lesson))
    after = page(member, lesson)
    assert "王老师：板书与课件配合得好" in after and "其他组员已发表" not in after
    # The leader sees every comment without handing in anything.
    leader = page(login(s.leader), lesson)
    assert "王老师：板书" in leader and "李老师：小组讨论" in leader


def test_another_groups_member_can_neither_read_nor_comment(s, cast, lesson):
    entered(lesson, s.member)
    comment(login(s.member), lesson, "01:00", "组内评论")
    for person in (s.other_leader, cast.outsider):
        client = login(person)
        assert client.get(reverse("activities:detail", args=[lesson.pk])).status_code == 404
        assert comment(client, lesson, "01:00", "外人评论").status_code == 404
        assert (
            client.get(reverse("activities:observation_export", args=[lesson.pk])).status_code
            == 404
        )
    assert VideoComment.objects.count() == 1
    # A school admin sees the activity, not the comments, and cannot comment.
    admin = login(cast.school_admin)
    assert "组内评论" not in page(admin, lesson)
    assert comment(admin, lesson, "01:00", "管理员").status_code == 403
    assert (
        login(cast.district_admin)
        .post(
            reverse("activities:video_comment_add", args=[lesson.pk]),
            {**fa.once(), "at": "1:00", "body": "x"},
        )
        .status_code
        == 403
    )
    anonymous = comment(Client(), lesson, "01:00", "x")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    export = Client().get(reverse("activities:observation_export", args=[lesson.pk]))
    assert export.status_code == 302 and "/accounts/login/" in export["Location"]
    assert admin.get(reverse("activities:observation_export", args=[lesson.pk])).status_code == 403


def test_comments_are_escaped(s, lesson):
    entered(lesson, s.member)
    comment(login(s.member), lesson, "00:05", '<script>alert("x")</script><b>粗</b>')
    text = page(login(s.leader), lesson)
    assert '<script>alert("x")</script>' not in text and "&lt;script&gt;" in text
    assert "&lt;b&gt;粗&lt;/b&gt;" in text


def test_uploaded_videos_seek_and_linked_ones_show_timestamps(s, lesson):
    entered(lesson, s.member)
    comment(login(s.member), lesson, "01:15", "看这里")
    linked = page(login(s.member), lesson)
    assert "moment-seek" not in linked and "在此处评论" not in linked
    with open("activities/demo_data/lesson.webm", "rb") as video:
        services.observation_video_set(
            activity=lesson,
            by=s.leader,
            upload=fa.upload("lesson.webm", video.read(), "video/webm"),
        )
    uploaded = page(login(s.member), lesson)
    assert 'data-second="75"' in uploaded and "在此处评论" in uploaded
    assert "data-moments-video" in uploaded and "js/moments.js" in uploaded
    at_moment = login(s.member).get(reverse("activities:detail", args=[lesson.pk]), {"t": "75"})
    assert 'data-start-at="75"' in at_moment.content.decode()


def test_the_results_page_shows_the_most_commented_moments(s, lesson):
    entered(lesson, s.member, s.member2, s.leader)
    for user, at in [
        (s.member, "01:10"),
        (s.member2, "01:20"),
        (s.leader, "01:29"),
        (s.member, "05:00"),
        (s.member2, "05:10"),
        (s.leader, "09:00"),
    ]:
        comment(login(user), lesson, at, f"{user.real_name} 在 {at}")
    response = login(s.leader).get(reverse("activities:observation_results", args=[lesson.pk]))
    spots = response.context["hotspots"]
    assert [(x.label, x.count) for x in spots] == [
        ("01:00–01:30", 3),
        ("05:00–05:30", 2),
        ("09:00–09:30", 1),
    ]
    text = response.content.decode()
    assert "评论最集中的视频片段" in text and "01:00–01:30" in text


def test_the_export_carries_the_comments_beside_the_responses(s, lesson):
    entered(lesson, s.member, s.member2)
    services.observation_submit(activity=lesson, user=s.member, raw_answers=fa.answers_for(lesson))
    comment(login(s.member), lesson, "02:05", "提问设计有层次")
    response = login(s.leader).get(reverse("activities:observation_export", args=[lesson.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["听课评课表", "视频时间点评论"]
    responses = list(book["听课评课表"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in responses] == ["李老师"]
    comments = list(book["视频时间点评论"].iter_rows(min_row=2, values_only=True))
    assert [r[:4] for r in comments] == [("02:05", 125, "李老师", "提问设计有层次")]
    # Only the leader exports: a member gets 403.
    member = login(s.member).get(reverse("activities:observation_export", args=[lesson.pk]))
    assert member.status_code == 403


def _queries(client, url) -> int:
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _comments(lesson, users, n, start=0):
    VideoComment.objects.bulk_create(
        VideoComment(activity=lesson, author=u, second=(start + i) * 7, body=f"第 {i} 条")
        for i in range(n)
        for u in users
    )


def test_the_activity_page_costs_the_same_queries_at_2_and_30_comments(
    s, lesson, django_assert_num_queries
):
    entered(lesson, s.member, s.member2)
    url = reverse("activities:detail", args=[lesson.pk])
    member, leader = login(s.member), login(s.leader)
    _comments(lesson, [s.member, s.member2], 1)
    # A member before handing in the form (their own comments, a count of the
    # others'), after it (everyone's), and the leader (everyone's).
    before, led = _queries(member, url), _queries(leader, url)
    _comments(lesson, [s.member, s.member2], 14, start=1)
    with django_assert_num_queries(before):
        member.get(url)
    with django_assert_num_queries(led):
        leader.get(url)
    services.observation_submit(activity=lesson, user=s.member, raw_answers=fa.answers_for(lesson))
    after = _queries(member, url)
    _comments(lesson, [s.member, s.member2], 15, start=20)
    with django_assert_num_queries(after):
        member.get(url)


def test_the_results_page_costs_the_same_queries_at_few_and_many_comments(
    s, lesson, django_assert_num_queries
):
    url = reverse("activities:observation_results", args=[lesson.pk])
    leader = login(s.leader)
    _comments(lesson, [s.member, s.member2], 3)
    small = _queries(leader, url)
    _comments(lesson, [s.member, s.member2], 200, start=3)
    # The hotspots add two: the busiest 30-second pieces, their comments.
    with django_assert_num_queries(small):
        leader.get(url)
