"""A member's completion POST (a post in a discussion, homework, an observation
form) costs the same number of queries in a group of 3 as in a school of 60
teachers where the member already holds credits (issue 15: the completion
POSTs under load). The place is locked once per request: by the member's own
write (activities.services.common.lock_member), not again by the completion
and the ledger."""

import pytest
from django.db import transaction
from django.urls import reverse

from accounts.figures import HoursMove
from activities.models import Participation
from assessment.models import SchoolStats
from assessment.selectors.lacking import review_and_lacking_counts
from assessment.selectors.stats import school_stats_mismatches
from assessment.services.stats import school_stats_hours_move, school_stats_refresh
from groups.models import GroupMember
from hours.models import HoursEntry, HoursSummary

from . import factories as f
from . import factories_activities as fa
from . import factories_assessment as fm
from .conftest import login

pytestmark = pytest.mark.django_db

# Every member POST pays 5: session, user, the role grants (one query: region
# roles, school place, 教研组长), the activity the member may act on with their
# group membership and its school (one query), the participation; the success
# message rides in a cookie (no session write). The write, in one transaction
# (savepoint here, as the tests run inside one): the place locked and the
# membership checked (lock_member), the participation entered; then the
# completion, in the same transaction (no savepoint of its own): its
# conditional UPDATE, the topic's points for the ledger; the ledger, in it too:
# the summary made and locked (2), the standing credits, the entry (savepoint,
# INSERT, release) and its points, the notice, the summary's UPDATE and the
# school's figures (SchoolStats) last; the release. 22 in all, and:
POSTS = {
    # the post (savepoint, INSERT, release: its token is looked up only when
    # the INSERT finds the same form sent before)
    "discussion": 25,
    # the membership checked and the submission looked for before the
    # transaction (its files must be refused before they are stored); the
    # submission (get, then INSERT under get_or_create's savepoint and release)
    "homework": 28,
    # the earlier form looked for, the questions; the form (savepoint, INSERT,
    # release)
    "observation": 27,
}


def completion(a) -> tuple[str, dict]:
    """The URL and form that complete `a`, as its page sends them."""
    if a.kind == "discussion":
        data = {"body": "用微课导入后学生参与度明显提高，讨论更充分。", **fa.once()}
        return reverse("activities:post_new", args=[a.pk]), data
    if a.kind == "homework":
        data = {"text": "教学反思：用微课导入后学生参与度明显提高。"}
        return reverse("activities:homework_submit", args=[a.pk]), data
    return reverse("activities:observation_submit", args=[a.pk]), fa.answers_for(a)


def joined(client, s, kind):
    """A new activity of `kind` the member has joined; its completion request."""
    a = fa.activity(s, kind)
    client.post(reverse("activities:join", args=[a.pk]))
    return a, completion(a)


@pytest.mark.parametrize("kind", list(POSTS))
def test_a_completion_costs_the_same_queries_in_a_small_and_a_large_school(
    cast, kind, django_assert_num_queries
):
    s = fa.group_setup(cast)
    member = login(s.member)
    _, (url, data) = joined(member, s, kind)  # content types and the session, cached once
    assert member.post(url, data).status_code == 302

    small, (url, data) = joined(member, s, kind)
    with django_assert_num_queries(POSTS[kind]):
        assert member.post(url, data).status_code == 302

    # Larger: 60 more teachers in the school and the group, more credits held.
    for i in range(60):
        GroupMember.objects.create(group=s.group, user=f.teacher(cast.school, f"新老师{i:02d}"))
    # 5 hours each at most, four completions in all: below 25, so the figures
    # move by one UPDATE (crossing 25 recounts the school's, once a cycle).
    for _ in range(1):
        _, (url, data) = joined(member, s, kind)
        member.post(url, data)
    large, (url, data) = joined(member, s, kind)
    with django_assert_num_queries(POSTS[kind]):
        assert member.post(url, data).status_code == 302

    for a in (small, large):
        done = Participation.objects.get(activity=a, user=s.member)
        assert done.completed_at is not None
        assert HoursEntry.objects.filter(object_id=a.pk, teacher=s.member).count() == 1


def test_a_completion_across_25_hours_recounts_the_school_in_two_queries(
    cast, django_assert_num_queries
):
    """The completion that takes a member to 25 hours changes the school's
    review and lacking counts: after the row's UPDATE, one query recounts
    them and one writes them (not the whole row recomputed from every
    teacher's hours, which grows with the school and holds the row every
    completion at the school waits for). The same in a small and a large school."""
    s = fa.group_setup(cast)
    member = login(s.member)
    _, (url, data) = joined(member, s, "discussion")  # content types and the session, cached once
    assert member.post(url, data).status_code == 302  # 2 hours

    fm.give_hours(cast, s.member, 21)  # 23: the next discussion (2 hours) reaches 25
    small, (url, data) = joined(member, s, "discussion")
    with django_assert_num_queries(POSTS["discussion"] + 2):
        assert member.post(url, data).status_code == 302

    for i in range(60):
        GroupMember.objects.create(group=s.group, user=f.teacher(cast.school, f"新老师{i:02d}"))
    # Made by the factory, not 添加教师: the school's figures as that keeps them.
    school_stats_refresh(school_ids=[cast.school.pk], cycle_id=cast.cycle.pk)
    other = s.member2
    other_client = login(other)
    fm.give_hours(cast, other, 23)
    _, (url, data) = joined(other_client, s, "discussion")
    large, (url, data) = joined(other_client, s, "discussion")
    with django_assert_num_queries(POSTS["discussion"] + 2):
        assert other_client.post(url, data).status_code == 302

    assert HoursSummary.objects.get(teacher=s.member, cycle=cast.cycle).recorded == 25
    assert HoursSummary.objects.get(teacher=other, cycle=cast.cycle).recorded == 25
    assert not list(school_stats_mismatches(cycle=cast.cycle))


def test_one_teacher_up_across_25_and_one_down_at_once_still_recount(cast):
    """Moves that even out the hour buckets (one teacher up to 25, another
    down from it, in one batch of the ledger) still recount the review and
    lacking counts: the one who fell below 25 is no longer 待考核, and the
    one who reached it lacks their materials, so nobody is."""
    mats = fm.mats_setup(cast)
    fm.complete(cast, cast.teacher, mats.keys[:3])  # 25 hours and every material: 待考核
    fm.give_hours(cast, cast.teacher2, 20)  # no plan, no summaries
    before = SchoolStats.objects.get(school=cast.school, cycle=cast.cycle)
    assert (before.review_waiting, before.hours_counted) == (1, 45)

    # The ledger's own UPDATE of both summaries, then its report of the moves.
    with transaction.atomic():
        HoursSummary.objects.filter(teacher=cast.teacher).update(recorded=20)
        HoursSummary.objects.filter(teacher=cast.teacher2).update(recorded=25)
        school_stats_hours_move(
            moves=[
                HoursMove(cast.school.pk, cast.cycle.pk, 25, 20),
                HoursMove(cast.school.pk, cast.cycle.pk, 20, 25),
            ]
        )
    assert not list(school_stats_mismatches(cycle=cast.cycle))
    after = SchoolStats.objects.get(school=cast.school, cycle=cast.cycle)
    assert (after.review_waiting, after.hours_counted) == (0, 45)
    review, _ = review_and_lacking_counts(school_id=cast.school.pk, cycle=cast.cycle)
    assert review.waiting == 0
