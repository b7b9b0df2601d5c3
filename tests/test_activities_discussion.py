"""教学研讨: 参与活动 → 进入研修 → 发表观点 completes it (2 hours); likes toggle."""

import pytest
from django.urls import reverse

from activities.models import Like, Participation, Post
from hours.models import HoursEntry

from . import factories_activities as fa

pytestmark = pytest.mark.django_db

VIEW = "我认为评价量规要在课前发给学生，让他们知道目标。"


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


def test_member_joins_enters_posts_and_is_credited(s, as_user):
    a = fa.activity(s, "discussion")
    client = as_user(s.member)
    page = client.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert "参与活动" in page
    client.post(reverse("activities:join", args=[a.pk]))
    joined = client.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert "进入研修" in joined and "发表一条观点即完成，获得 2 学时" in joined  # what comes next
    client.post(reverse("activities:enter", args=[a.pk]))
    response = client.post(reverse("activities:post_new", args=[a.pk]), {**fa.once(), "body": VIEW})
    assert response.status_code == 302

    participation = Participation.objects.get(activity=a, user=s.member)
    assert participation.entered_at and participation.completed_at
    credit = HoursEntry.objects.get(teacher=s.member, object_id=a.pk)
    assert credit.hours == 2 and credit.category == "教学研讨"
    assert set(credit.ability_points.all()) == set(a.topic.key_points.all())
    page = client.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert "已完成" in page and VIEW in page


def _token(client, a) -> str:
    """The idempotency token the page renders into the post form."""
    page = client.get(reverse("activities:detail", args=[a.pk]))
    token = str(page.context["post_form"].initial["request_token"])
    assert f'value="{token}"' in page.content.decode()
    return token


def test_double_submit_of_a_post_completes_and_credits_once(s, as_user):
    a = fa.activity(s, "discussion")
    client = as_user(s.member)
    client.post(reverse("activities:join", args=[a.pk]))
    client.post(reverse("activities:join", args=[a.pk]))
    client.post(reverse("activities:enter", args=[a.pk]))
    token = _token(client, a)
    for _ in range(2):  # the same form sent twice: a double tap, a resend
        client.post(
            reverse("activities:post_new", args=[a.pk]),
            {**fa.once(), "body": VIEW, "request_token": token},
        )
    assert Post.objects.filter(activity=a).count() == 1
    assert Participation.objects.filter(activity=a).count() == 1
    assert HoursEntry.objects.filter(teacher=s.member, object_id=a.pk).count() == 1
    # A second, different view (a new form) is welcome; it credits nothing more.
    client.post(
        reverse("activities:post_new", args=[a.pk]),
        {**fa.once(), "body": VIEW + "补充一点。", "request_token": _token(client, a)},
    )
    assert Post.objects.filter(activity=a).count() == 2
    assert HoursEntry.objects.filter(teacher=s.member, object_id=a.pk).count() == 1


def test_a_post_without_real_content_is_refused(s, as_user):
    a = fa.activity(s, "discussion")
    client = as_user(s.member)
    client.post(reverse("activities:join", args=[a.pk]))
    response = client.post(
        reverse("activities:post_new", args=[a.pk]),
        {**fa.once(), "body": "顶！！！。。。"},
        follow=True,
    )
    assert "观点内容太短" in response.content.decode()
    assert not Participation.objects.filter(completed_at__isnull=False).exists()


def test_posting_without_joining_is_refused(s, as_user):
    a = fa.activity(s, "discussion")
    response = as_user(s.member).post(
        reverse("activities:post_new", args=[a.pk]), {**fa.once(), "body": VIEW}, follow=True
    )
    assert "请先点击“参与活动”" in response.content.decode()
    assert not Post.objects.exists()


def test_non_member_cannot_post(cast, s, as_user):
    a = fa.activity(s, "discussion")
    # Another group's leader and another school's teacher do not see it at all.
    for user in (s.other_leader, cast.outsider):
        response = as_user(user).post(
            reverse("activities:post_new", args=[a.pk]), {**fa.once(), "body": VIEW}
        )
        assert response.status_code == 404
    # The school admin sees the activity but is not a member: forbidden.
    cast.school_admin.memberships.update(is_teacher=True)
    response = as_user(cast.school_admin).post(
        reverse("activities:post_new", args=[a.pk]), {**fa.once(), "body": VIEW}
    )
    assert response.status_code == 403
    assert not Post.objects.exists()


def test_like_and_unlike_in_place_with_htmx_and_a_double_tap_counts_once(s, as_user):
    a = fa.activity(s, "discussion")
    author = as_user(s.member)
    author.post(reverse("activities:join", args=[a.pk]))
    author.post(reverse("activities:post_new", args=[a.pk]), {**fa.once(), "body": VIEW})
    post = Post.objects.get()
    liker = as_user(s.member2)
    url = reverse("activities:like", args=[post.pk])
    page = liker.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert """hx-vals='{"like": "1"}'""" in page  # the button asks for a like

    for _ in range(2):  # a double tap: liked once, not liked then undone
        response = liker.post(url, {"like": "1"}, HTTP_HX_REQUEST="true")
        body = response.content.decode()
        assert response.status_code == 200 and "已赞" in body and 'class="like-count">1<' in body
    assert """hx-vals='{"like": "0"}'""" in body  # now the button asks to take it back
    post.refresh_from_db()
    assert post.like_count == 1 and Like.objects.count() == 1

    for _ in range(2):
        body = liker.post(url, {"like": "0"}, HTTP_HX_REQUEST="true").content.decode()
        assert 'class="like-count">0<' in body and "点赞" in body
    post.refresh_from_db()
    assert post.like_count == 0 and not Like.objects.exists()


def test_one_like_per_person_is_a_database_rule(s):
    from django.db import IntegrityError, transaction

    a = fa.activity(s, "discussion")
    post = Post.objects.create(activity=a, author=s.member, body=VIEW)
    Like.objects.create(post=post, user=s.member2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Like.objects.create(post=post, user=s.member2)


def test_nobody_likes_their_own_post(s, as_user):
    a = fa.activity(s, "discussion")
    post = Post.objects.create(activity=a, author=s.member, body=VIEW)
    response = as_user(s.member).post(reverse("activities:like", args=[post.pk]), follow=True)
    assert "不能给自己的观点点赞" in response.content.decode()
    assert not Like.objects.exists()


def test_outsider_cannot_like(cast, s, as_user):
    a = fa.activity(s, "discussion")
    post = Post.objects.create(activity=a, author=s.member, body=VIEW)
    assert (
        as_user(cast.outsider).post(reverse("activities:like", args=[post.pk])).status_code == 404
    )


def test_a_post_and_its_authors_name_are_shown_as_text(s, as_user):
    """The post row is drawn by a tag (activities_tags.discussion_post): what
    people typed is escaped, the time is local, 点赞 is offered on others'
    posts only."""
    import datetime

    from django.utils import timezone

    a = fa.activity(s, "discussion")
    s.member2.real_name = '王<b>老师</b>"'
    s.member2.save()
    at = timezone.make_aware(datetime.datetime(2026, 10, 9, 1, 30), datetime.UTC)
    Post.objects.create(
        activity=a, author=s.member2, body="<script>alert(1)</script>\n第二行", created_at=at
    )
    Post.objects.create(activity=a, author=s.member, body="我自己的观点，写得足够长。")
    client = as_user(s.member)
    client.post(reverse("activities:join", args=[a.pk]))
    page = client.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert "<script>alert(1)" not in page and "<b>老师" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;\n第二行" in page
    assert "王&lt;b&gt;老师&lt;/b&gt;&quot;" in page
    assert "<span>10-09 09:30</span>" in page  # Beijing time
    assert page.count("like-button") == 1  # the other's post, not their own
