"""Outside test 12 F3, at the same instant, for real on PostgreSQL: twenty
identical 换组长 requests while the acceptance holds the school change the
group once and keep one line in its history (group_update compares under the
group row's lock)."""

from django.urls import reverse

from accounts.holds import person_line
from assessment.models import AcceptanceEvent
from groups.models import ResearchGroup

from . import factories_acceptance as fx
from . import factories_assessment as fm
from .concurrency import postgres_only, run_at_once
from .conftest import login

pytestmark = postgres_only("identical requests cannot overlap there")


def test_twenty_identical_leader_changes_keep_one_line(cast):
    fx.scheme(cast)
    mats = fm.mats_setup(cast)
    fx.submitted(cast)
    url = reverse("groups:edit", args=[mats.chinese.pk])

    def change():
        return login(cast.school_admin).post(url, {"name": "语文组", "leader": cast.teacher2.pk})

    results = run_at_once(*[change for _ in range(20)])
    assert all(r.status_code in (200, 302) for r in results)
    assert ResearchGroup.objects.get(pk=mats.chinese.pk).leader == cast.teacher2
    lines = AcceptanceEvent.objects.filter(from_status="submitted", to_status="submitted")
    assert list(lines.values_list("reason", flat=True)) == [
        f"教研组“语文组”更换组长为 {person_line(cast.teacher2)}"
    ]
