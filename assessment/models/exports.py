"""District exports (.xlsx of the district's schools, or of all its teachers):
built by a Celery task, kept in storage for a while, downloaded through a view
that checks who asks (assessment.access.get_export_for)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Cycle, Region

__all__ = ["DistrictExport"]


class DistrictExport(models.Model):
    class Kind(models.TextChoices):
        SCHOOLS = "schools", "学校统计"
        TEACHERS = "teachers", "全体教师"

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    # In URLs instead of the id: nothing to count or guess.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField("内容", max_length=10, choices=Kind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The scope: the region of the district admin who asked (its schools and
    # the schools below it); empty for the operator's whole province.
    region = models.ForeignKey(
        Region, verbose_name="范围", null=True, blank=True, on_delete=models.CASCADE
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name="研修周期", on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField("总行数", default=0)
    done = models.PositiveIntegerField("已写入", default=0)
    # A generated name under exports/ (never the requester's input), in the
    # default storage (local disk or S3), served only by the download view.
    file = models.FileField("文件", max_length=200, blank=True)
    error = models.CharField("失败原因", max_length=300, blank=True)
    created_at = models.DateTimeField("申请时间", default=timezone.now)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "区县导出"
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A double click, or twenty, starts one export of a kind per person
            # while one is under way.
            models.UniqueConstraint(
                fields=["requested_by", "kind"],
                condition=Q(status__in=["pending", "running"]),
                name="district_export_one_running",
            ),
        ]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(self.done * 100 // self.total, 99) if self.total else 0

    @property
    def under_way(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)
