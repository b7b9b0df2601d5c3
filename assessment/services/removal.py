"""调岗移除 with everything it clears. assessment is the rightmost app that
clears something, so its teacher_remove is the one the removal page calls:
hours reverses the credits, groups clears memberships and writes the audit
row, and teacher_materials_clear archives this app's records."""

from django.utils import timezone

from accounts.models import SchoolMembership, User
from groups.models import TeacherRemoval
from hours.services import teacher_remove as hours_teacher_remove

from ..models import (
    AbilityEvaluation,
    AbilitySummary,
    ImprovementPlan,
    PointChoice,
    TeacherReview,
)

CLEARED = [
    ("plans", ImprovementPlan),
    ("point_choices", PointChoice),
    ("summaries", AbilitySummary),
    ("evaluations", AbilityEvaluation),
    ("reviews", TeacherReview),
]


def teacher_materials_clear(*, membership: SchoolMembership, reason: str) -> dict:
    """Archive the teacher's plan, point choices, summaries, evaluations and
    review made in this school: they stop counting and showing anywhere (every
    read filters live rows), and stay, files included, as the record behind
    the audit row. Returns the counts for TeacherRemoval.cleared."""
    now = timezone.now()
    return {
        key: model.objects.live()
        .filter(teacher_id=membership.user_id, school_id=membership.school_id)
        .update(cleared_at=now)
        for key, model in CLEARED
    }


def teacher_remove(*, membership: SchoolMembership, by: User, reason: str) -> TeacherRemoval:
    """调岗移除 (seed 000 §五.2): hours' removal (credits reversed, groups'
    memberships and audit row), plus this app's records, in one transaction."""
    return hours_teacher_remove(
        membership=membership,
        by=by,
        reason=reason,
        also_clear=lambda place, why: teacher_materials_clear(membership=place, reason=why),
    )
