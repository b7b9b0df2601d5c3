"""Acceptance findings of outside test 2 and the audit: the experts' notices
are written in the change's transaction (audit G4); rubric items a school or
an expert has scored cannot be deleted (L3); messages that say the real rule
and name the item (L6); a duplicate expert submit answers like a double click
(L6)."""

import pytest

from assessment.models import Acceptance, ExpertAssignment
from assessment.services import acceptance as acc

from . import factories_acceptance as fx

pytestmark = pytest.mark.django_db


class InboxDown(Exception):
    pass


@pytest.fixture
def inbox_down(monkeypatch):
    """The inbox insert fails (a database error while writing the notices)."""

    def fail(**kwargs):
        raise InboxDown

    monkeypatch.setattr(acc, "notify", fail)


# ---- G4: the notice and the change stand or fall together ---------------------------------


def test_a_submission_whose_notice_fails_is_not_kept(cast, inbox_down):
    fx.scheme(cast)
    fx.gate_met(cast)
    fx.materials(cast)
    with pytest.raises(InboxDown):
        acc.acceptance_submit(school=cast.school, cycle=cast.cycle, by=cast.school_admin)
    a = Acceptance.objects.get()
    assert a.status == "draft" and a.submitted_at is None
    assert not a.events.exists()


def test_an_assignment_whose_notice_fails_is_not_kept(cast, inbox_down):
    fx.scheme(cast)
    with pytest.raises(InboxDown):
        acc.experts_assign(
            schools=[cast.school],
            experts=[cast.expert],
            cycle=cast.cycle,
            region_id=cast.district.pk,
            by=cast.district_admin,
        )
    assert not ExpertAssignment.objects.exists()
