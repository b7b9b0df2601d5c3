"""组长学时确认: the school admin confirms a leader's own hours from an activity
of their group. The ledger credits (hours.services.hours_claim_confirm); this
asks the activities' time rule first: after the cycle ends nothing is credited
through its activities (DESIGN §2 Time, attack report 1 §4). Rejecting credits
nothing and stays open."""

from hours.models import HoursClaim
from hours.services import hours_claim_confirm

from ..models import Activity
from ..window import cycle_ended_refusal
from .common import ActivityError


def claim_confirm(*, claim: HoursClaim, by):
    """Confirm the claim (the ledger credits and tells the leader); refused
    once the cycle of its activity has ended for the leader. Returns the credit,
    or None when the claim was already decided."""
    activity = claim.source
    if isinstance(activity, Activity):
        refusal = cycle_ended_refusal(
            cycle=activity.cycle, activity=activity, teacher=claim.teacher, doing="确认学时"
        )
        if refusal:
            raise ActivityError(refusal)
    return hours_claim_confirm(claim=claim, by=by)
