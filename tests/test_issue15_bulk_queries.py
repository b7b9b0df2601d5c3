"""Offline evidence costs the same number of queries for 10 designated members
as for 300 (issue 15: it was ~16 per member, 4,781 for 298), and so do
designating them and withdrawing the evidence (2,105 for 298).

PostgreSQL only: SQLite caps a statement at 999 parameters, so Django splits
each bulk INSERT into batches of 999 / columns rows there (62 ledger rows a
statement) and the count grows with the batches. On PostgreSQL, which runs in
production and in CI, one statement carries them all.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse

from activities.models import Activity
from assessment.services.stats import school_stats_refresh
from groups.models import GroupMember
from hours.models import HoursEntry

from . import factories as f
from . import factories_activities as fa
from .conftest import login

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite splits bulk inserts into batches of 999 parameters",
    ),
]

# Every leader POST pays REQUEST: session, user, the role grants (one query:
# region roles, school place, 教研组长), and the activity the leader may act on
# with its group and school (the success message rides in a cookie: no session
# write).
REQUEST = 4
# + the chosen members (the form's choices), the days their places began and
# evidence yet? (who may be designated, attack report 1 §2), their places
# locked (one statement), which are group members, which are already
# designated, one INSERT of participations, evidence yet?, savepoint and release
DESIGNATE = REQUEST + 10
# + the waiting members and the days their places began (nobody credited for
# a day before they were at the school, attack report 1 §2), the confirmation
# (evidence yet? how many waiting), savepoint, savepoint + INSERT of the
# Evidence + release (its form's token is required, attack report 1 §9, and
# looked up only when the INSERT finds it used); completion (savepoint): the waiting members, their places
# locked, the waiting rows locked and re-read, one UPDATE, the key points; the ledger (savepoint): places locked, summaries (INSERT ... ON
# CONFLICT, lock), standing credits, savepoint + one INSERT of credits +
# release, one INSERT of their points, one UPDATE of summaries, one UPDATE of
# the school's figures (assessment's SchoolStats follow the ledger's moves),
# one INSERT of notices; three releases
EVIDENCE = REQUEST + 29
# + the UPDATE of the evidence (savepoint), evidence left?, savepoint and one
# UPDATE of completions, the ledger (savepoint): waiting claims, standing
# credits, summaries locked, re-read under the lock, savepoint + one INSERT of
# reversals + release, one UPDATE of summaries, one UPDATE of the school's
# figures, one INSERT of notices; three releases
WITHDRAW = REQUEST + 19


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


def team(cast, group, n: int) -> list:
    made = [f.teacher(cast.school, f"组员{i:03d}") for i in range(n)]
    GroupMember.objects.bulk_create(GroupMember(group=group, user=u) for u in made)
    return made


def test_designating_crediting_and_withdrawing_cost_the_same_for_10_and_300(
    cast, s, django_assert_num_queries
):
    ContentType.objects.get_for_model(Activity)  # cached per process, as in a running server
    # The school's figures row exists, as it does once anything was credited
    # there or its district looked (the first write of a cycle computes it).
    school_stats_refresh(school_ids=[cast.school.pk], cycle_id=cast.cycle.pk)
    for n in (10, 300):
        users = team(cast, s.group, n)
        a = fa.activity(s, Activity.Kind.OFFLINE, hours=3)
        leader = login(s.leader)
        leader.get(reverse("activities:detail", args=[a.pk]))  # the session, as a real page

        with django_assert_num_queries(DESIGNATE):
            leader.post(
                reverse("activities:designate", args=[a.pk]), {"users": [u.pk for u in users]}
            )
        data = fa.evidence_data(a, "sign_in", fa.upload("签到表.pdf", fa.PDF))
        assert data["confirm_credit"] == n
        with django_assert_num_queries(EVIDENCE):
            leader.post(reverse("activities:evidence_add", args=[a.pk]), data)
        credits = HoursEntry.objects.filter(object_id=a.pk, kind="credit")
        assert credits.count() == n

        evidence = a.evidence.get()
        with django_assert_num_queries(WITHDRAW):
            leader.post(reverse("activities:evidence_withdraw", args=[evidence.pk]))
        assert HoursEntry.objects.filter(object_id=a.pk, kind="reversal").count() == n
