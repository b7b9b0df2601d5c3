"""调岗移除 in assessment: the removed teacher's plan, point choices, summaries,
evaluations (with their evidence) and review no longer count or show anywhere
(DESIGN §2: "Clear means the teacher's hours, participations, plan and
summaries no longer count or show").

As in activities, clearing is structural: each row is archived into the
removal's audit trail (groups.ClearedRecord: its fields as JSON, its stored
files named and left in storage for the operator) and then deleted. Kept: the
typical cases, which belong to the group, not to the teacher who uploaded one.

Registered in AssessmentConfig.ready(), so every removal (the page, a command,
the demo) runs it, under groups' lock on the teacher's place — the same lock
every write of these materials takes (services.common.lock_place).
"""

from accounts.holds import REMOVED, held_record, person_line
from accounts.models import SchoolMembership
from accounts.selectors import cycle_current
from groups.removal import Clearer, Clearing

from ..models import (
    AbilityEvaluation,
    AbilitySummary,
    EvaluationEvidence,
    ImprovementPlan,
    PointChoice,
    ReviewDecision,
    TeacherReview,
)
from ..selectors import teacher_materials_preview
from ..selectors.acceptance import results_held_now


def _rows(place: SchoolMembership) -> dict:
    mine = {"teacher_id": place.user_id, "school_id": place.school_id}
    evaluations = AbilityEvaluation.objects.filter(**mine)
    reviews = TeacherReview.objects.filter(**mine)
    # Children before their parents: each is archived while it still exists.
    return {
        "review_decisions": ReviewDecision.objects.filter(review__in=reviews),
        "reviews": reviews,
        "evidence": EvaluationEvidence.objects.filter(evaluation__in=evaluations),
        "evaluations": evaluations,
        "summaries": AbilitySummary.objects.filter(**mine),
        "point_choices": PointChoice.objects.filter(**mine),
        "plans": ImprovementPlan.objects.filter(**mine),
    }


def _files(row) -> list[str]:
    return [row.file.name] if row.file else []


WITH_FILES = {"evidence", "summaries", "plans"}


def removal_during_hold(clearing: Clearing) -> None:
    """A teacher may leave while the school's acceptance holds its records (a
    transfer can't wait for the district), but leaving takes them out of the
    95% gate's count and their results out of the register the experts read.
    Such a removal is kept in the acceptance's history (accounts.holds), so
    the district sees who left after 提交验收.

    Runs before any of the teacher's results is deleted: the acceptance's row
    is locked in the order every write of those results takes (place,
    acceptance, results)."""
    place = clearing.place
    counted = "专任教师" if place.is_teacher and place.is_full_time else "非专任"
    held_record(
        school_id=place.school_id,
        cycle=cycle_current(),
        kind=REMOVED,
        lines=[f"调岗移除 {person_line(place.user)}，{counted}：{clearing.reason}"],
        by=clearing.by,
    )


def teacher_materials_clear(clearing: Clearing) -> dict:
    """Archive and delete the teacher's materials made in this school; the
    counts go into the audit row under "assessment"."""
    removal_during_hold(clearing)
    counts = {}
    for key, qs in _rows(clearing.place).items():
        rows = list(qs.order_by("pk"))
        counts[key] = clearing.archive(rows, files=_files if key in WITH_FILES else None)
        qs.model.objects.filter(pk__in=[r.pk for r in rows]).delete()
    return {"assessment": counts}


def teacher_materials_lines(place: SchoolMembership) -> list[str]:
    """The confirmation page's line about what this app clears."""
    n = teacher_materials_preview(membership=place)
    if not any(n.values()):
        lines = ["研修材料：暂无个人提升计划、能力点、提升总结或测评材料"]
    else:
        lines = [
            f"研修材料：个人提升计划 {n['plans']} 份、所选能力点 {n['point_choices']} 个、"
            f"提升总结 {n['summaries']} 份、能力点测评 {n['evaluations']} 项"
            "将归档到移除记录，不再显示、不再计入"
        ]
    if results_held_now(school_id=place.school_id, cycle=cycle_current()):
        lines.append("整校推进验收：本校验收已提交，此次移除将记入验收记录，区县教育局可见")
    return lines


def _materials_in_use(place: SchoolMembership) -> bool:
    return any(teacher_materials_preview(membership=place).values())


REMOVAL_CLEARER = Clearer(
    name="assessment",
    clear=teacher_materials_clear,
    preview=teacher_materials_lines,
    in_use=_materials_in_use,
)
