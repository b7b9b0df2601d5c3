"""Writes of the assessment app. Views, commands and the demo call these; each
refuses with a ValidationError carrying a Chinese message."""

from .cases import case_create, case_delete, case_rate
from .evaluation import (
    evaluation_assess,
    evaluation_return,
    evaluation_submit,
    evaluation_view,
    evidence_save,
    missing_evidence,
)
from .extensions import extension_grant_materials
from .materials import DropNeedsConfirmation, plan_upload, point_choices_save, summary_upload
from .reminding import lacking_remind
from .removal import teacher_materials_clear
from .review import review_fail, review_pass, review_pass_complete, review_reopen

__all__ = [
    "DropNeedsConfirmation",
    "case_create",
    "case_delete",
    "case_rate",
    "evaluation_assess",
    "evaluation_return",
    "evaluation_submit",
    "evaluation_view",
    "evidence_save",
    "extension_grant_materials",
    "lacking_remind",
    "missing_evidence",
    "plan_upload",
    "point_choices_save",
    "review_fail",
    "review_pass",
    "review_pass_complete",
    "review_reopen",
    "summary_upload",
    "teacher_materials_clear",
]
