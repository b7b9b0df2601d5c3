"""The review and the whole-school acceptance follow the cycle's end, so they
run on while the next cycle has started: the district and the experts switch
to the previous cycle (?cycle=), score and decide its acceptance, and the
platform records an expert opens are that cycle's, not the new one's."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Cycle
from assessment.models import Acceptance

from . import factories as f
from . import factories_acceptance as fx

pytestmark = pytest.mark.django_db


@pytest.fixture
def next_cycle(cast):
    """The cast's cycle ended a week ago; the next one started yesterday."""
    today = datetime.date.today()
    Cycle.objects.filter(pk=cast.cycle.pk).update(
        starts_on=today - datetime.timedelta(days=300), ends_on=today - datetime.timedelta(days=7)
    )
    cast.cycle.refresh_from_db()
    return f.cycle(name="2027 学年", starts_on=today - datetime.timedelta(days=1))


def test_the_district_switches_to_last_cycle_and_decides_its_acceptance(cast, as_user, next_cycle):
    fx.scheme(cast)
    scored = fx.scored(cast)
    district = as_user(cast.district_admin)
    listing = district.get(reverse("assessment:district_acceptances")).content.decode()
    assert 'id="cycle-switch"' in listing and "2027 学年" in listing
    prev = f"?cycle={cast.cycle.pk}"
    listing = district.get(reverse("assessment:district_acceptances") + prev).content.decode()
    school_url = reverse("assessment:district_acceptance", args=[cast.school.pk]) + prev
    assert school_url in listing
    page = district.get(school_url).content.decode()
    assert f'<input type="hidden" name="cycle" value="{cast.cycle.pk}">' in page
    response = district.post(
        reverse("assessment:acceptance_pass", args=[cast.school.pk]), {"cycle": cast.cycle.pk}
    )
    assert response.status_code == 302 and response["Location"] == school_url
    scored.refresh_from_db()
    assert scored.status == Acceptance.Status.PASSED
    assert not Acceptance.objects.filter(cycle=next_cycle).exists()


def test_the_expert_reads_the_records_of_the_acceptance_cycle(cast, as_user, next_cycle):
    fx.scheme(cast)
    a = fx.submitted(cast)
    expert = fx.expert(cast, "周专家")
    district = as_user(cast.district_admin)
    district.post(
        reverse("assessment:expert_assign", args=[cast.school.pk]),
        {"experts": [expert.pk], "cycle": cast.cycle.pk},
    )
    assignment = a.assignments.get(expert=expert)
    me = as_user(expert)
    mine = me.get(reverse("assessment:expert_schools") + f"?cycle={cast.cycle.pk}")
    assert cast.school.name in mine.content.decode()
    page = me.get(reverse("assessment:expert_score", args=[a.pk])).content.decode()
    review = reverse("assessment:evidence_review", args=[cast.school.pk])
    assert f"{review}?cycle={cast.cycle.pk}" in page
    response = me.get(f"{review}?cycle={cast.cycle.pk}")
    assert response.status_code == 200
    assert assignment.expert_id == expert.pk
