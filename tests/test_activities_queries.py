"""Pages cost the same number of queries whatever their size (DESIGN §3)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Like, Participation, Post

from . import factories_activities as fa

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


def _count(client, url) -> int:
    client.get(url)  # warm the session and the content-type cache
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _activities(s, n, t):
    for i in range(n):
        a = fa.activity(
            s, ["discussion", "homework", "offline", "observation"][i % 4], t=t, hours=3
        )
        Participation.objects.create(activity=a, user=s.member)


def test_leader_activity_list_is_constant(s, as_user, django_assert_num_queries):
    t = fa.topic(s)
    client = as_user(s.leader)
    url = reverse("activities:group", args=[s.group.pk])
    _activities(s, 2, t)
    small = _count(client, url)
    _activities(s, 20, fa.topic(s, points=s.points[1:3]))
    # session, user, role grants (one query), group, topics, topic points, activities
    with django_assert_num_queries(small):
        client.get(url)


def test_teacher_activity_list_is_constant(s, as_user, django_assert_num_queries):
    t = fa.topic(s)
    client = as_user(s.member)
    url = reverse("activities:mine")
    _activities(s, 2, t)
    small = _count(client, url)
    _activities(s, 20, t)
    # session, user, grants, then one query for every activity with the member's state
    with django_assert_num_queries(small):
        client.get(url)


def _posts(a, users, n):
    posts = Post.objects.bulk_create(
        Post(
            activity=a, author=users[i % len(users)], body=f"第 {i} 条观点：信息技术让评价更及时。"
        )
        for i in range(n)
    )
    Like.objects.bulk_create(
        Like(post=p, user=users[(i + 1) % len(users)]) for i, p in enumerate(posts)
    )


def test_a_discussion_with_200_posts_costs_what_one_with_2_does(
    s, as_user, django_assert_num_queries
):
    users = [s.member, s.member2, s.leader]
    small_a = fa.activity(s, "discussion")
    big_a = fa.activity(s, "discussion", t=small_a.topic)
    for a in (small_a, big_a):
        Participation.objects.create(activity=a, user=s.member, entered_at=a.created_at)
    _posts(small_a, users, 2)
    _posts(big_a, users, 200)
    client = as_user(s.member)
    small = _count(client, reverse("activities:detail", args=[small_a.pk]))
    # session, user, grants, activity, membership, participation, posts with authors and likes
    with django_assert_num_queries(small):
        response = client.get(reverse("activities:detail", args=[big_a.pk]))
    assert response.content.decode().count('class="post-body"') == 200


def test_coverage_board_is_constant(cast, s, as_user, django_assert_num_queries):
    t = fa.topic(s)
    _activities(s, 2, t)
    leader_url = reverse("activities:coverage", args=[s.group.pk])
    school_url = reverse("activities:school_coverage")
    leader, admin = as_user(s.leader), as_user(cast.school_admin)
    small_leader, small_school = _count(leader, leader_url), _count(admin, school_url)
    _activities(s, 12, fa.topic(s, points=s.points))
    from groups.models import ResearchGroup

    for i in range(5):
        ResearchGroup.objects.create(school=cast.school, name=f"新组{i}", leader=s.leader)
    # the key points, one count by point and kind, one count by kind
    with django_assert_num_queries(small_leader):
        leader.get(leader_url)
    with django_assert_num_queries(small_school):
        page = admin.get(school_url).content.decode()
    assert page.count("coverage-board") == 7
