"""Reads of teacher materials, the school review and the ability-point evaluation.
Every list costs a fixed number of queries whatever the school's size.

The rules read here, each in one place:
- materials_open (rules.py): the time rule (uploads close when the cycle ends);
- COMPLETE with with_progress (progress.py): 研修考核 completion;
- evaluation_gate (evaluation.py): the 95% of full-time teachers gate of
  whole-school acceptance;
- REASONS (lacking.py): who lacks what, for the lists behind 提醒.
- acceptance_editable, acceptance_missing (acceptance.py): whole-school
  acceptance's rules; acceptances_by_school and acceptance_stage are what the
  district dashboard reads.
Callers import from `assessment.selectors`; the modules split it by subject.
"""

from .acceptance import (
    acceptance_stage,
    acceptances_by_school,
)
from .cases import (
    cases_of_groups,
    cases_of_school,
    groups_without_case,
    groups_without_case_count,
)
from .evaluation import (
    LEADER_FILTERS,
    REGISTER_HEADER,
    REGISTER_STATUSES,
    Gate,
    RegisterLine,
    evaluation_gate,
    evaluations_for,
    evaluations_to_assess,
    leader_evaluation_count,
    leader_evaluations,
    members_of_led_groups,
    register_choices,
)
from .lacking import (
    LACKING_HEADER,
    REASON_KEYS,
    REASONS,
    LackCounts,
    Lacks,
    lacking_cells,
    lacking_counts,
    lacks_of,
    members_lacking,
    members_lacking_count,
    school_lacking,
    teacher_lacks,
    with_lacks,
)
from .progress import (
    COMPLETE,
    Materials,
    PointRow,
    Progress,
    Step,
    evaluation_slots,
    progress_of,
    teacher_materials,
    teacher_materials_preview,
    teacher_progress,
    teacher_progress_for,
    with_progress,
)
from .review import (
    COMPLETION_FILTERS,
    REVIEW_HEADER,
    SORTS,
    ReviewCounts,
    review_cells,
    review_counts,
    review_counts_kept,
    review_teachers,
)
from .rules import (
    DEFAULT_EVIDENCE,
    GATE_PERCENT,
    MIN_POINTS,
    PointOptions,
    allowed_points_for,
    evidence_requirement,
    materials_closed_message,
    materials_closed_message_for,
    materials_last_day,
    materials_open,
    requirement_text,
)

__all__ = [
    "COMPLETE",
    "COMPLETION_FILTERS",
    "DEFAULT_EVIDENCE",
    "GATE_PERCENT",
    "Gate",
    "LACKING_HEADER",
    "LEADER_FILTERS",
    "LackCounts",
    "Lacks",
    "MIN_POINTS",
    "Materials",
    "PointOptions",
    "PointRow",
    "Progress",
    "REASONS",
    "REASON_KEYS",
    "REGISTER_HEADER",
    "REGISTER_STATUSES",
    "REVIEW_HEADER",
    "RegisterLine",
    "ReviewCounts",
    "SORTS",
    "Step",
    "acceptance_stage",
    "acceptances_by_school",
    "allowed_points_for",
    "cases_of_groups",
    "cases_of_school",
    "evaluation_gate",
    "evaluation_slots",
    "evaluations_for",
    "evaluations_to_assess",
    "evidence_requirement",
    "groups_without_case",
    "groups_without_case_count",
    "lacking_cells",
    "lacking_counts",
    "lacks_of",
    "leader_evaluation_count",
    "leader_evaluations",
    "materials_closed_message",
    "materials_closed_message_for",
    "materials_last_day",
    "materials_open",
    "members_lacking",
    "members_lacking_count",
    "members_of_led_groups",
    "progress_of",
    "register_choices",
    "requirement_text",
    "review_cells",
    "review_counts",
    "review_counts_kept",
    "review_teachers",
    "school_lacking",
    "teacher_lacks",
    "teacher_materials",
    "teacher_materials_preview",
    "teacher_progress",
    "teacher_progress_for",
    "with_lacks",
    "with_progress",
]
