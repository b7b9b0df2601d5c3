"""On PostgreSQL a connection prepares the statements it runs often (issue 15:
the activity reads spent most of their time being planned). Settings turn it
on (DB_PREPARED_STATEMENTS, default on) with server-side binding."""

import pytest
from django.db import connection
from django.http import Http404

from activities.access import get_activity_for
from activities.models import Activity

from . import factories_activities as fa

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL"),
]


def _prepared() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return {statement for (statement,) in cursor.fetchall()}


def test_a_read_run_often_is_prepared_once_and_answers_the_same(cast):
    s = fa.group_setup(cast)
    a = fa.activity(s, "discussion")
    assert connection.settings_dict["OPTIONS"].get("server_side_binding") is True
    before = _prepared()
    found = [get_activity_for(s.member, a.pk) for _ in range(8)]
    assert {x.pk for x in found} == {a.pk}
    new = _prepared() - before
    assert any('FROM "activities_activity"' in statement for statement in new)
    # Still the right answer for other ids and people through the prepared plan.
    b = fa.activity(s, "homework")
    assert get_activity_for(s.member, b.pk).pk == b.pk
    with pytest.raises(Http404):
        get_activity_for(cast.outsider, b.pk)
    assert Activity.objects.count() == 2
