"""Teacher materials and the school's review (DESIGN.md §2 "Teacher materials",
"School review"; seed 001 §七–十一, 校本实践应用考核).

- ImprovementPlan (提升计划): one per teacher and cycle.
- PointChoice (能力点): the points a teacher chose, at least 3.
- AbilitySummary (提升总结): one per chosen point.
- TeacherReview (研修考核) with ReviewDecision, its append-only history.
- AbilityEvaluation (应用能力点测评) with its EvaluationEvidence items.
- TypicalCase (典型案例): per group, rated by the school.

A 调岗 removal clears a teacher's rows structurally (services.removal, a
groups.removal Clearer): each is archived into the removal's audit trail
(groups.ClearedRecord) and deleted, so no list, count or export can show it
again, and a teacher who moves to another school starts afresh there.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Cycle, School
from groups.models import AbilityPoint, ResearchGroup


def generated_name(folder: str, filename: str) -> str:
    """Stored files get random names: nothing guessable, nothing from the uploader."""
    ext = PurePosixPath(filename).suffix.lower()[:10]
    return f"assessment/{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class StoredFile(models.Model):
    """What we keep about an uploaded file besides its bytes."""

    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveBigIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)

    class Meta:
        abstract = True

    @property
    def ext(self) -> str:
        return PurePosixPath(self.file.name).suffix.lower().lstrip(".")


class TeacherMaterial(models.Model):
    """Fields every per-teacher row shares: whose, in which school and cycle."""

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="教师", on_delete=models.PROTECT, related_name="+"
    )
    # The school the teacher was in when it was made: the school's roles see it.
    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.PROTECT, related_name="+"
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name="研修周期", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True


class ImprovementPlan(TeacherMaterial, StoredFile):
    """教师信息技术应用能力提升计划 (seed 001 §七–八)."""

    file = models.FileField("文件", max_length=200)
    uploaded_at = models.DateTimeField("首次上传", default=timezone.now)
    updated_at = models.DateTimeField("最近上传", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "个人提升计划"
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "cycle"], name="improvement_plan_one_per_cycle"
            ),
        ]
        indexes = [models.Index(fields=["school", "cycle"])]

    def __str__(self):
        return f"{self.teacher} 的提升计划"


class PointChoice(TeacherMaterial):
    """An ability point the teacher chose to work on (at least 3)."""

    point = models.ForeignKey(
        AbilityPoint, verbose_name="能力点", on_delete=models.PROTECT, related_name="+"
    )
    chosen_at = models.DateTimeField("选择时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "教师所选能力点"
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "cycle", "point"], name="point_choice_unique"
            ),
        ]
        indexes = [models.Index(fields=["school", "cycle"])]

    def __str__(self):
        return f"{self.teacher} · {self.point}"


class AbilitySummary(TeacherMaterial, StoredFile):
    """个人能力点提升总结: one file per chosen point; uploading again replaces it."""

    point = models.ForeignKey(
        AbilityPoint, verbose_name="能力点", on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField("文件", max_length=200)
    uploaded_at = models.DateTimeField("首次上传", default=timezone.now)
    updated_at = models.DateTimeField("最近上传", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "能力点提升总结"
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "cycle", "point"],
                name="ability_summary_one_per_point",
            ),
        ]
        indexes = [models.Index(fields=["school", "cycle"])]

    def __str__(self):
        return f"{self.teacher} · {self.point.code} 提升总结"


class TeacherReview(TeacherMaterial):
    """研修考核 of one teacher for a cycle. The result moves only through
    services.review (one transition table); each move leaves a ReviewDecision."""

    class Result(models.TextChoices):
        PENDING = "pending", "待考核"
        PASSED = "passed", "通过"
        FAILED = "failed", "不通过"

    result = models.CharField(
        "考核结果", max_length=10, choices=Result.choices, default=Result.PENDING
    )
    # Shown to the teacher when the result is 不通过.
    reason = models.CharField("不通过原因", max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="考核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("考核时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "研修考核"
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "cycle"], name="teacher_review_one_per_cycle"
            ),
            models.CheckConstraint(
                name="teacher_review_failure_has_reason",
                condition=~Q(result="failed") | ~Q(reason=""),
            ),
        ]
        indexes = [models.Index(fields=["school", "cycle", "result"])]

    def __str__(self):
        return f"{self.teacher} · {self.get_result_display()}"


class ReviewDecision(models.Model):
    """One move of a TeacherReview: append-only, never edited."""

    review = models.ForeignKey(TeacherReview, on_delete=models.PROTECT, related_name="decisions")
    from_result = models.CharField(max_length=10, choices=TeacherReview.Result.choices)
    to_result = models.CharField(max_length=10, choices=TeacherReview.Result.choices)
    reason = models.CharField("说明", max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "研修考核记录"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_from_result_display()} → {self.get_to_result_display()}"


class AbilityEvaluation(TeacherMaterial):
    """应用能力点测评 of one chosen point: the teacher submits the evidence the
    catalogue asks for, the group leader checks it, the info team records
    合格/不合格. The status moves only through services.evaluation."""

    class Status(models.TextChoices):
        DRAFT = "draft", "待提交"
        SUBMITTED = "submitted", "已提交"
        VIEWED = "viewed", "组长已查看"
        RETURNED = "returned", "已退回"
        PASSED = "passed", "合格"
        FAILED = "failed", "不合格"

    point = models.ForeignKey(
        AbilityPoint, verbose_name="能力点", on_delete=models.PROTECT, related_name="+"
    )
    # The evidence slots asked for when the teacher started, [{"kind", "count"}]:
    # a later change to the catalogue does not move the goalposts mid-way.
    requirement = models.JSONField("证据要求", default=list)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    viewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="查看人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    viewed_at = models.DateTimeField("查看时间", null=True, blank=True)
    return_reason = models.CharField("退回原因", max_length=300, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="测评人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assessed_at = models.DateTimeField("测评时间", null=True, blank=True)
    remarks = models.CharField("备注", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "应用能力点测评"
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "cycle", "point"],
                name="ability_evaluation_one_per_point",
            ),
            models.CheckConstraint(
                name="ability_evaluation_return_has_reason",
                condition=~Q(status="returned") | ~Q(return_reason=""),
            ),
        ]
        indexes = [models.Index(fields=["school", "cycle", "status"])]

    def __str__(self):
        return f"{self.teacher} · {self.point.code} · {self.get_status_display()}"


class EvaluationEvidence(StoredFile):
    """One evidence item of an evaluation: slot `kind`, item `position` (1..count),
    as a file or a link (e.g. a video on the school's platform)."""

    evaluation = models.ForeignKey(
        AbilityEvaluation, on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField("证据类别", max_length=60)
    position = models.PositiveSmallIntegerField("序号", default=1)
    file = models.FileField("文件", max_length=200, blank=True)
    link = models.URLField("链接", max_length=500, blank=True)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    content_type = models.CharField("类型", max_length=100, blank=True)
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "测评证据"
        ordering = ["evaluation", "kind", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "kind", "position"], name="evaluation_evidence_one_per_slot"
            ),
            models.CheckConstraint(
                name="evaluation_evidence_file_or_link",
                condition=(Q(file="") & ~Q(link="")) | (~Q(file="") & Q(link="")),
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.position}"


class TypicalCase(StoredFile):
    """典型案例 of a group (seed 003 §9, §12): 教学设计 with 教学反思 in one
    document, and the classroom recording as a file, a link, or handed in offline."""

    class Recording(models.TextChoices):
        FILE = "file", "上传视频文件"
        LINK = "link", "视频链接"
        OFFLINE = "offline", "线下提交"

    class Rating(models.TextChoices):
        UNRATED = "unrated", "未评"
        FIRST = "first", "一等"
        SECOND = "second", "二等"
        THIRD = "third", "三等"

    group = models.ForeignKey(
        ResearchGroup, verbose_name="教研组", on_delete=models.PROTECT, related_name="typical_cases"
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name="研修周期", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("案例名称", max_length=120)
    file = models.FileField("教学设计（含教学反思）", max_length=200)
    recording = models.CharField("课堂实录", max_length=10, choices=Recording.choices)
    recording_file = models.FileField("课堂实录文件", max_length=200, blank=True)
    recording_name = models.CharField("实录原文件名", max_length=200, blank=True)
    recording_size = models.PositiveBigIntegerField("实录大小（字节）", default=0)
    recording_type = models.CharField("实录类型", max_length=100, blank=True)
    recording_url = models.URLField("课堂实录链接", max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", default=timezone.now)
    rating = models.CharField("评优", max_length=10, choices=Rating.choices, default=Rating.UNRATED)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评定人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rated_at = models.DateTimeField("评定时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "典型案例"
        ordering = ["group__name", "created_at", "pk"]
        constraints = [
            # A double click on 上传 stores one case, not two of the same name.
            models.UniqueConstraint(
                fields=["group", "cycle", "title"], name="typical_case_title_unique_in_group"
            ),
            models.CheckConstraint(
                name="typical_case_recording_present",
                condition=(
                    Q(recording="offline")
                    | (Q(recording="file") & ~Q(recording_file=""))
                    | (Q(recording="link") & ~Q(recording_url=""))
                ),
            ),
        ]

    def __str__(self):
        return f"{self.group} · {self.title}"
