"""Per-school figures of a cycle, kept as summary rows for the district's pages.

Why summary rows and not counts per page (issue 15): a district dashboard sorts
and filters its few hundred schools by teachers at 25 hours, review and
evaluation pass rates, and draws the counted hours of every teacher of the
district. Counted from the sources, that is every teacher of the district per
view (80,000 places with their ledger summary, review and evaluation: 4 s for
the district's hours alone on PostgreSQL; 10–30 ms per school for the review
and evaluation figures). One row per school and cycle makes it a read of a few
hundred rows. The cost moves to the writes, which are few and per school:

- the ledger (every credit and reversal) moves teachers between hour buckets
  with one UPDATE (accounts.figures.school_hours_moved), and recounts the
  school's review and lacking counts when a teacher crosses 25 hours;
- everything else that changes a figure (teachers added or removed, 专任
  changed, a review or evaluation result, a teacher's plan, chosen points or
  summaries, a 教研组 created or archived) recomputes
  the school's row from its sources in the same transaction
  (assessment.services.stats.school_stats_refresh, one query for the school);
- a row missing (a new school or cycle, data loaded in bulk) is computed when
  first read; `manage.py school_stats_check` compares every row with the
  sources (and `--fix` rewrites those that differ).

The stage's inputs are kept too (live groups, decided reviews and
evaluations): the stage is then a CASE over this row and the acceptance, with
no subquery per school, cheap to filter, count and sort by.

Rules are not restated here: the buckets are hours.selectors.HOURS_BUCKETS,
review passed is TeacherReview's 通过, evaluation passed is the 95% gate's
per-teacher rule (assessment.selectors.evaluation).
"""

from django.db import models
from django.utils import timezone

from accounts.models import Cycle, School

__all__ = ["HOURS_FIELDS", "SchoolStats", "STATS_FIELDS"]


class SchoolStats(models.Model):
    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.CASCADE, related_name="stats"
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name="研修周期", on_delete=models.CASCADE, related_name="+"
    )
    # Active places with the teacher flag, and those of them 专任 (the gate's base).
    teachers = models.PositiveIntegerField("教师数", default=0)
    full_time = models.PositiveIntegerField("专任教师数", default=0)
    # Teachers per bucket of counted hours (hours.selectors.HOURS_BUCKETS, in
    # order), and the sum of their counted hours (each at most 25): together
    # the district's histogram and average. The buckets add up to `teachers`.
    hours_0 = models.IntegerField("0 学时", default=0)
    hours_1_5 = models.IntegerField("1–5 学时", default=0)
    hours_6_10 = models.IntegerField("6–10 学时", default=0)
    hours_11_15 = models.IntegerField("11–15 学时", default=0)
    hours_16_20 = models.IntegerField("16–20 学时", default=0)
    hours_21_24 = models.IntegerField("21–24 学时", default=0)
    hours_25 = models.IntegerField("25 学时", default=0)
    hours_counted = models.IntegerField("计入学时合计", default=0)
    review_passed = models.PositiveIntegerField("研修考核通过", default=0)
    evaluation_passed = models.PositiveIntegerField("能力点测评合格（专任）", default=0)
    # What the school's stage is read from besides its acceptance
    # (assessment.selectors.district): live 教研组, and teachers whose review
    # (通过/不通过) or an ability-point evaluation (合格/不合格) was decided.
    live_groups = models.PositiveIntegerField("教研组", default=0)
    reviews_decided = models.PositiveIntegerField("已考核教师", default=0)
    evaluations_decided = models.PositiveIntegerField("已有测评结果的教师", default=0)
    # What the school admin's home says of the review and of who lacks what
    # (assessment.selectors.lacking's counts, by their rules): teachers whose
    # materials and hours are complete, of them those 待考核, those 不通过,
    # and teachers lacking anything. A teacher's materials, hours crossing 25,
    # a review or an evaluation result change them: each such write refreshes.
    review_complete = models.PositiveIntegerField("已完成研修任务", default=0)
    review_waiting = models.PositiveIntegerField("已完成待考核", default=0)
    review_failed = models.PositiveIntegerField("研修考核不通过", default=0)
    lacking = models.PositiveIntegerField("还有未完成项的教师", default=0)
    refreshed_at = models.DateTimeField("重算时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "学校统计"
        constraints = [
            models.UniqueConstraint(fields=["school", "cycle"], name="school_stats_once"),
        ]

    def __str__(self):
        return f"{self.school_id} · {self.cycle_id}"


HOURS_FIELDS = (
    "hours_0",
    "hours_1_5",
    "hours_6_10",
    "hours_11_15",
    "hours_16_20",
    "hours_21_24",
    "hours_25",
)
# What a refresh recomputes (everything but the keys and the time).
STATS_FIELDS = (
    "teachers",
    "full_time",
    *HOURS_FIELDS,
    "hours_counted",
    "review_passed",
    "evaluation_passed",
    "live_groups",
    "reviews_decided",
    "evaluations_decided",
    "review_complete",
    "review_waiting",
    "review_failed",
    "lacking",
)
