"""The school review table (研修考核, seed 001 §十一), its count line and cells."""

from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
)

from accounts.access import staff_of_school
from accounts.models import Cycle
from groups.models import GroupMember

from ..models import (
    TeacherReview,
)
from .progress import COMPLETE, Progress, with_progress

Result = TeacherReview.Result


# ---- the school review (研修考核) -----------------------------------------------

COMPLETION_FILTERS = {"complete": True, "incomplete": False}
SORTS = {"hours": "hours_recorded", "-hours": "-hours_recorded"}


def review_teachers(
    *,
    school_id: int,
    cycle: Cycle,
    search: str = "",
    group_id: int | None = None,
    completion: str = "",
    result: str = "",
    sort: str = "",
):
    """Active teachers of the school with their progress, searched by name,
    filtered by group, completion and result, sorted by name or by hours. One
    query (the paginator adds its count)."""
    qs = with_progress(staff_of_school(school_id).filter(is_teacher=True), cycle=cycle)
    if search:
        qs = qs.filter(user__real_name__contains=search)
    if group_id:
        qs = qs.filter(
            Exists(
                GroupMember.objects.filter(
                    user_id=OuterRef("user_id"),
                    group_id=group_id,
                    group__school_id=school_id,
                )
            )
        )
    if completion in COMPLETION_FILTERS:
        qs = qs.filter(complete=COMPLETION_FILTERS[completion])
    if result in Result.values:
        qs = qs.filter(review_result=result)
    if sort in SORTS:
        qs = qs.order_by(SORTS[sort], "user__real_name", "pk")
    return qs


@dataclass(frozen=True)
class ReviewCounts:
    """共 N 人 · 完成 X · 通过 Y · 不通过 Z"""

    total: int
    complete: int
    passed: int
    failed: int
    waiting: int  # complete and still 待考核: what the school may pass now

    FIGURES = ("total", "complete", "passed", "failed", "waiting")

    @property
    def line(self) -> str:
        return (
            f"共 {self.total} 人 · 完成 {self.complete} · 通过 {self.passed} · 不通过 {self.failed}"
        )

    def percent(self, n: int) -> int:
        return n * 100 // self.total if self.total else 0

    @property
    def passed_percent(self) -> int:
        return self.percent(self.passed)

    @property
    def waiting_percent(self) -> int:
        return self.percent(self.waiting)

    @property
    def failed_percent(self) -> int:
        return self.percent(self.failed)


def review_aggregates(prefix: str = "") -> dict:
    """ReviewCounts' figures as aggregates over with_progress rows, each name
    after `prefix` (for a query that counts other things too)."""
    return {
        f"{prefix}total": Count("pk"),
        # COMPLETE itself, not Q(complete=True): Django 5.2 prunes the `complete`
        # annotation from the aggregate's subquery, and SQLite then reads the
        # quoted name as the string 'complete' (always false).
        f"{prefix}complete": Count("pk", filter=COMPLETE),
        f"{prefix}passed": Count("pk", filter=Q(review_result=Result.PASSED)),
        f"{prefix}failed": Count("pk", filter=Q(review_result=Result.FAILED)),
        f"{prefix}waiting": Count("pk", filter=COMPLETE & Q(review_result=Result.PENDING)),
    }


def review_counts_of(row: dict, prefix: str = "") -> ReviewCounts:
    return ReviewCounts(**{name: row[f"{prefix}{name}"] for name in ReviewCounts.FIGURES})


def review_counts_kept(stats) -> ReviewCounts:
    """The school's count line from its kept figures (SchoolStats, which the
    services that change a figure refresh): the same numbers review_counts
    reads from the sources, without counting (the school's home)."""
    return ReviewCounts(
        total=stats.teachers,
        complete=stats.review_complete,
        passed=stats.review_passed,
        failed=stats.review_failed,
        waiting=stats.review_waiting,
    )


def review_counts(*, school_id: int, cycle: Cycle) -> ReviewCounts:
    """The count line over every active teacher of the school. One query."""
    teachers = with_progress(staff_of_school(school_id).filter(is_teacher=True), cycle=cycle)
    return review_counts_of(teachers.aggregate(**review_aggregates()))


def review_cells(membership, progress: Progress, groups: str) -> list[str]:
    """One teacher's row as the page shows it and the export writes it (seed 001
    §十一), without 序号 and 操作."""
    return [
        membership.user.real_name,
        membership.user.masked_id_number,
        groups or "未加入",
        "已上传" if progress.has_plan else "未上传",
        str(progress.totals),
        progress.summaries_text,
        progress.completion_label,
        progress.result_label,
    ]


REVIEW_HEADER = [
    "姓名",
    "身份证号",
    "所属教研组",
    "个人提升计划",
    "校本研修学时",
    "个人提升总结",
    "完成情况",
    "考核结果",
]
