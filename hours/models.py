"""The hours ledger (学时账本). DESIGN.md §3: the ledger knows nothing of activity
types; an activity's completion service tells it what to credit or reverse.

- HoursEntry: append-only rows, one per credit or reversal. Never edited or
  deleted; a correction is a new row.
- HoursSummary: recorded hours per teacher and cycle, kept in step with the
  ledger in the same transaction (counted = min(recorded, 25) is derived, once,
  by selectors.Totals).
- HoursClaim: a credit waiting for the school admin's confirmation (a leader's
  own hours from an activity of the group they lead: DESIGN §2 "nobody credits
  themselves unseen").
- RegistrationBatch / HoursRegistration: 学时登记 after the school's
  whole-school acceptance passes.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Cycle, School
from groups.models import AbilityPoint

HOURS_CAP = 25


class HoursEntry(models.Model):
    class Kind(models.TextChoices):
        CREDIT = "credit", "计入"
        REVERSAL = "reversal", "撤销"

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="教师",
        on_delete=models.PROTECT,
        related_name="hours_entries",
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name="研修周期", on_delete=models.PROTECT, related_name="hours_entries"
    )
    # The school the hours were earned in: a teacher who moves on sees only the
    # current school's work on 我的学时 (the old school's credits were reversed
    # at removal). Null only for rows older than this field whose school could
    # not be told from the teacher's places.
    school = models.ForeignKey(
        School,
        verbose_name="学校",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hours_entries",
    )
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    # Signed: a credit is positive, its reversal the same figure negated, so the
    # sum of a teacher's rows is their recorded hours.
    hours = models.SmallIntegerField("学时")
    # The source (an activity) by generic key: hours sits left of activities and
    # may not import it (DESIGN.md §3).
    content_type = models.ForeignKey(ContentType, verbose_name="来源类型", on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField("来源编号")
    source = GenericForeignKey("content_type", "object_id")
    # The number of earlier reversals for this teacher and source. The unique
    # constraint below on (teacher, source, kind, generation) is what allows one
    # standing credit at a time while letting a reversed credit be credited again.
    generation = models.PositiveIntegerField("第几次计入", default=0)
    # Snapshots taken at credit time, so the ledger reads without touching the source.
    title = models.CharField("来源", max_length=200, blank=True)
    category = models.CharField("活动类型", max_length=30, blank=True)
    ability_points = models.ManyToManyField(AbilityPoint, verbose_name="能力点", blank=True)
    # A reversal names the credit it cancels; one-to-one, so a credit is reversed once.
    reverses = models.OneToOneField(
        "self",
        verbose_name="撤销的记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    reason = models.CharField("原因", max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "学时记录"
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "content_type", "object_id", "kind", "generation"],
                name="hours_entry_one_per_generation",
            ),
            models.CheckConstraint(
                name="hours_entry_sign_matches_kind",
                condition=(
                    Q(kind="credit", hours__gt=0, reverses__isnull=True)
                    | Q(kind="reversal", hours__lt=0, reverses__isnull=False)
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["teacher", "cycle"], name="hours_entry_teacher_cycle"),
            models.Index(fields=["content_type", "object_id"], name="hours_entry_source"),
        ]

    def __str__(self):
        return f"{self.teacher} {self.hours:+d} · {self.title}"


class HoursSummary(models.Model):
    """Recorded hours of one teacher in one cycle; always the sum of their ledger rows."""

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="教师",
        on_delete=models.PROTECT,
        related_name="hours_summaries",
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name="研修周期", on_delete=models.PROTECT, related_name="+"
    )
    recorded = models.IntegerField("记录学时", default=0)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "学时汇总"
        constraints = [
            models.UniqueConstraint(fields=["teacher", "cycle"], name="hours_summary_unique"),
            models.CheckConstraint(name="hours_summary_not_negative", condition=Q(recorded__gte=0)),
        ]

    def __str__(self):
        return f"{self.teacher} · {self.cycle}: {self.recorded}"


class HoursClaim(models.Model):
    """学时待确认: hours a group leader earned in an activity of the group they
    lead. The completion is recorded; the credit waits here until a school admin
    (never the leader themselves) confirms it, which credits through the ledger,
    or rejects it with a reason. Written only by hours.services."""

    class Status(models.TextChoices):
        PENDING = "pending", "待确认"
        CONFIRMED = "confirmed", "已确认"
        REJECTED = "rejected", "未通过"
        WITHDRAWN = "withdrawn", "已撤回"

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="教师",
        on_delete=models.PROTECT,
        related_name="hours_claims",
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name="研修周期", on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.PROTECT, related_name="hours_claims"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("content_type", "object_id")
    hours = models.PositiveSmallIntegerField("学时")
    title = models.CharField("来源", max_length=200, blank=True)
    category = models.CharField("活动类型", max_length=30, blank=True)
    ability_points = models.ManyToManyField(
        AbilityPoint, verbose_name="能力点", blank=True, related_name="+"
    )
    reason = models.CharField("原因", max_length=200, blank=True)
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default="pending")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decision_note = models.CharField("处理说明", max_length=200, blank=True)
    credit = models.OneToOneField(
        HoursEntry,
        verbose_name="计入记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claim",
    )

    class Meta:
        verbose_name = verbose_name_plural = "学时待确认"
        ordering = ["requested_at", "pk"]
        constraints = [
            # One open claim per teacher and source: a double tap claims once.
            models.UniqueConstraint(
                fields=["teacher", "content_type", "object_id"],
                condition=Q(status="pending"),
                name="hours_claim_one_pending",
            ),
            models.CheckConstraint(name="hours_claim_positive", condition=Q(hours__gt=0)),
        ]
        indexes = [models.Index(fields=["school", "status"], name="hours_claim_school_status")]

    def __str__(self):
        return f"{self.teacher} · {self.title} · {self.get_status_display()}"


class RegistrationBatch(models.Model):
    """One 学时登记 run for a school and cycle: when, who, how far it got."""

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "登记中"
        DONE = "done", "已完成"

    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.PROTECT, related_name="hours_batches"
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name="研修周期", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField("教师人数", default=0)
    done = models.PositiveIntegerField("已处理", default=0)
    registered = models.PositiveIntegerField("本次登记人数", default=0)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("发起时间", default=timezone.now)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "学时登记批次"
        ordering = ["-created_at"]
        constraints = [
            # A school's hours are registered once per cycle; a re-run resumes this batch.
            models.UniqueConstraint(fields=["school", "cycle"], name="hours_batch_once"),
        ]

    def __str__(self):
        return f"{self.school} · {self.cycle} · {self.get_status_display()}"


class HoursRegistration(models.Model):
    """学时登记 of one teacher for a cycle: their counted hours, registered when
    the school's acceptance passed and kept current by the daily refresh."""

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="教师",
        on_delete=models.PROTECT,
        related_name="hours_registrations",
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name="研修周期", on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(
        RegistrationBatch,
        verbose_name="登记批次",
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    hours = models.PositiveSmallIntegerField("登记学时")
    recorded = models.PositiveIntegerField("当时记录学时")
    registered_at = models.DateTimeField("登记时间", default=timezone.now)
    # The daily refresh (hours.services.hours_register_school) follows the
    # ledger while hours can still change: when it last changed this row.
    updated_at = models.DateTimeField("更新时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "学时登记"
        constraints = [
            # Registration is idempotent: a teacher is registered once per cycle.
            models.UniqueConstraint(fields=["teacher", "cycle"], name="hours_registration_once"),
        ]

    def __str__(self):
        return f"{self.teacher} · {self.cycle}: {self.hours}"
