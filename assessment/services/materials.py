"""A teacher's own materials (seed 001 §七–十): the improvement plan, the chosen
ability points, one summary per point. Each write: check the file first, store
it outside the transaction, then lock the teacher's place and write once."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Cycle, School, User
from groups.models import AbilityPoint

from ..files import PLAN, SUMMARY
from ..models import AbilityEvaluation, AbilitySummary, ImprovementPlan, PointChoice
from ..selectors import MIN_POINTS, allowed_points_for
from .common import (
    checked,
    discard_on_commit,
    lock_place,
    require_editable,
    require_results_open,
    store,
    stored_or_discarded,
)
from .review import review_reopen
from .stats import school_stats_refresh

Status = AbilityEvaluation.Status


def _file_fields(upload, content_type: str, name: str) -> dict:
    return {
        "file": name,
        "original_name": (upload.name or "")[:200],
        "size": upload.size,
        "content_type": content_type,
    }


def _replace(row, fields: dict) -> None:
    """Point an existing row at the new file; the old file goes after commit."""
    discard_on_commit([row.file.name])
    for key, value in fields.items():
        setattr(row, key, value)
    row.updated_at = timezone.now()
    row.save(update_fields=[*fields, "updated_at"])


def plan_upload(*, teacher: User, school: School, cycle: Cycle, upload) -> ImprovementPlan:
    """Upload or replace the teacher's 提升计划 (one per cycle)."""
    require_editable(teacher=teacher, cycle=cycle)
    content_type = checked(upload, PLAN)
    name = store(upload, "plans")
    with stored_or_discarded(name), transaction.atomic():
        lock_place(teacher=teacher, school=school)
        require_editable(teacher=teacher, cycle=cycle)
        fields = _file_fields(upload, content_type, name)
        plan = ImprovementPlan.objects.filter(teacher=teacher, cycle=cycle).first()
        if plan is None:
            plan = ImprovementPlan.objects.create(
                teacher=teacher, school=school, cycle=cycle, **fields
            )
        else:
            _replace(plan, fields)
        review_reopen(teacher=teacher, cycle=cycle)
        # The school's kept review and lacking counts read the plan.
        school_stats_refresh(school_ids=[school.pk], cycle_id=cycle.pk)
    return plan


class DropNeedsConfirmation(Exception):
    """Dropping these points removes their summaries (and evidence): ask first."""

    def __init__(self, points: list[AbilityPoint], summaries: list, evaluations: list):
        super().__init__("更换能力点将删除已上传的材料，请确认。")
        self.points = points
        self.summaries = summaries
        self.evaluations = evaluations


@dataclass(frozen=True)
class ChoiceChange:
    added: list
    dropped: list
    removed_summaries: int


def point_choices_save(
    *,
    teacher: User,
    school: School,
    cycle: Cycle,
    points,
    confirm_drop: bool = False,
) -> ChoiceChange:
    """Set the teacher's chosen points (at least 3, among the school's key points
    unless the school allows others). Dropping a point that already has a
    summary or evidence raises DropNeedsConfirmation unless confirmed; then
    those are deleted. A point whose evaluation is under way cannot be dropped."""
    wanted = {p.pk: p for p in points}
    if len(wanted) < MIN_POINTS:
        raise ValidationError(f"请至少选择 {MIN_POINTS} 个能力点（当前选了 {len(wanted)} 个）。")
    require_editable(teacher=teacher, cycle=cycle)
    with transaction.atomic():
        lock_place(teacher=teacher, school=school)
        require_editable(teacher=teacher, cycle=cycle)
        # The points chosen are what the 95% gate counts (a 不合格 point dropped
        # would raise the submitted 合格率).
        require_results_open(school_id=school.pk, cycle=cycle)
        current = {
            c.point_id: c
            for c in PointChoice.objects.filter(teacher=teacher, cycle=cycle).select_related(
                "point"
            )
        }
        options = allowed_points_for(school=school, cycle=cycle, chosen=list(current))
        allowed = {p.pk for p in options.points}
        outside = [str(p) for pk, p in wanted.items() if pk not in allowed]
        if outside:
            scope = "本校可选的能力点" if options.any_point else "本校的关键能力点"
            raise ValidationError(f"能力点“{'、'.join(outside)}”不在{scope}中，请重新选择。")
        dropped = [c for pk, c in current.items() if pk not in wanted]
        dropped_ids = [c.point_id for c in dropped]
        summaries = list(
            AbilitySummary.objects.filter(
                teacher=teacher, cycle=cycle, point_id__in=dropped_ids
            ).select_related("point")
        )
        evaluations = list(
            AbilityEvaluation.objects.filter(teacher=teacher, cycle=cycle, point_id__in=dropped_ids)
            .select_related("point")
            .prefetch_related("items")
        )
        busy = [e for e in evaluations if e.status not in (Status.DRAFT, Status.RETURNED)]
        if busy:
            names = "、".join(f"{e.point.code}（{e.get_status_display()}）" for e in busy)
            raise ValidationError(f"能力点 {names} 的测评材料已提交，不能更换。")
        with_files = [e for e in evaluations if e.items.all()]
        if (summaries or with_files) and not confirm_drop:
            raise DropNeedsConfirmation([c.point for c in dropped], summaries, with_files)
        discard_on_commit(
            [s.file.name for s in summaries]
            + [i.file.name for e in evaluations for i in e.items.all()]
        )
        AbilitySummary.objects.filter(pk__in=[s.pk for s in summaries]).delete()
        AbilityEvaluation.objects.filter(pk__in=[e.pk for e in evaluations]).delete()
        PointChoice.objects.filter(pk__in=[c.pk for c in dropped]).delete()
        added = [p for pk, p in wanted.items() if pk not in current]
        # ignore_conflicts: the place lock already serialises this teacher's
        # writes; the unique constraint stays the last word.
        PointChoice.objects.bulk_create(
            [PointChoice(teacher=teacher, school=school, cycle=cycle, point=p) for p in added],
            ignore_conflicts=True,
        )
        if added or dropped:
            review_reopen(teacher=teacher, cycle=cycle)
            # The gate counts a teacher whose every chosen point is 合格; the
            # review and lacking counts read the points.
            school_stats_refresh(school_ids=[school.pk], cycle_id=cycle.pk)
    return ChoiceChange(
        added=added, dropped=[c.point for c in dropped], removed_summaries=len(summaries)
    )


def _require_chosen(*, teacher: User, cycle: Cycle, point: AbilityPoint) -> None:
    if not PointChoice.objects.filter(teacher=teacher, cycle=cycle, point=point).exists():
        raise ValidationError(f"请先选择能力点“{point}”，再上传它的材料。")


def summary_upload(
    *, teacher: User, school: School, cycle: Cycle, point: AbilityPoint, upload
) -> AbilitySummary:
    """Upload or replace the summary of one chosen point (doc/docx/pdf, ≤ 2048 KB)."""
    require_editable(teacher=teacher, cycle=cycle)
    _require_chosen(teacher=teacher, cycle=cycle, point=point)
    content_type = checked(upload, SUMMARY)
    name = store(upload, "summaries")
    with stored_or_discarded(name), transaction.atomic():
        lock_place(teacher=teacher, school=school)
        require_editable(teacher=teacher, cycle=cycle)
        _require_chosen(teacher=teacher, cycle=cycle, point=point)
        fields = _file_fields(upload, content_type, name)
        summary = AbilitySummary.objects.filter(teacher=teacher, cycle=cycle, point=point).first()
        if summary is None:
            summary = AbilitySummary.objects.create(
                teacher=teacher, school=school, cycle=cycle, point=point, **fields
            )
        else:
            _replace(summary, fields)
        review_reopen(teacher=teacher, cycle=cycle)
        # The school's kept review and lacking counts read the summaries.
        school_stats_refresh(school_ids=[school.pk], cycle_id=cycle.pk)
    return summary
