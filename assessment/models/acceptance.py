"""整校推进验收: whole-school acceptance (DESIGN §2 "Whole-school acceptance";
seed 001 校本推进安排 rows 4–7, 整校推进证明清单, 绩效考核).

- AcceptanceScheme (验收方案): a district's scheme for one cycle: pass mark,
  deadline, published or not; it owns
  - RubricItem (评分细则): a tree, dimension (一级) → item (二级); only items
    are scored, each with its maximum and guidance;
  - ProofItem (证明清单): the checklist as data, seed 001's 15 items the draft
    a district starts from (assessment.checklist).
- Acceptance (整校推进验收): one per school and cycle; its status moves only
  through services.acceptance (one transition table), each move leaving an
  AcceptanceEvent. It holds the school's ProofFiles, its SelfScores (自评),
  the ExpertAssignments with their ExpertScores, and the district's decision.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts import holds
from accounts.models import Cycle, Region, School
from activities.models import REQUEST_TOKEN

from .materials import StoredFile

__all__ = [
    "Acceptance",
    "AcceptanceEvent",
    "AcceptanceScheme",
    "ExpertAssignment",
    "ExpertScore",
    "ProofFile",
    "ProofItem",
    "RubricItem",
    "SelfScore",
]

# Points are kept to one decimal (an expert may give 2.5 of 3).
POINTS = {"max_digits": 5, "decimal_places": 1}


class AcceptanceScheme(models.Model):
    """验收方案 of a district (区县) for a cycle. Schools see it once published."""

    region = models.ForeignKey(
        Region,
        verbose_name="区县",
        on_delete=models.PROTECT,
        related_name="acceptance_schemes",
        limit_choices_to={"level": Region.Level.DISTRICT},
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name="研修周期", on_delete=models.PROTECT, related_name="+"
    )
    pass_mark = models.DecimalField("合格分", null=True, blank=True, **POINTS)
    deadline = models.DateField("验收截止日期", null=True, blank=True)
    note = models.TextField("验收说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="制定人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "验收方案"
        constraints = [
            models.UniqueConstraint(fields=["region", "cycle"], name="acceptance_scheme_once"),
            models.CheckConstraint(
                name="acceptance_scheme_published_has_pass_mark",
                condition=Q(published_at__isnull=True) | Q(pass_mark__isnull=False),
            ),
            models.CheckConstraint(
                name="acceptance_scheme_pass_mark_positive",
                condition=Q(pass_mark__isnull=True) | Q(pass_mark__gt=0),
            ),
        ]

    def __str__(self):
        return f"{self.region} · {self.cycle} 验收方案"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class RubricItem(models.Model):
    """评分细则: a dimension (一级指标, no parent) or an item under one (二级指标,
    scored from 0 to `max_points`). A dimension's maximum is the sum of its items'."""

    scheme = models.ForeignKey(
        AcceptanceScheme, on_delete=models.CASCADE, related_name="rubric_items"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="所属一级指标",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    title = models.CharField("指标", max_length=200)
    max_points = models.DecimalField("满分", default=0, **POINTS)
    guidance = models.TextField("评分说明", blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "评分细则"
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                name="rubric_item_scored_has_max",
                condition=Q(parent__isnull=True) | Q(max_points__gt=0),
            ),
            # A double click on 添加 stores one item, not two of the same name.
            models.UniqueConstraint(
                fields=["scheme", "title"],
                condition=Q(parent__isnull=True),
                name="rubric_dimension_title_unique",
            ),
            models.UniqueConstraint(
                fields=["parent", "title"],
                condition=Q(parent__isnull=False),
                name="rubric_item_title_unique",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_dimension(self) -> bool:
        return self.parent_id is None


class ProofItem(models.Model):
    """One line of the 整校推进证明清单: what the school proves, in which form,
    and which of the platform's own records (if any) proves it too."""

    class Platform(models.TextChoices):
        PLAN = "plan", "校本研修方案（两案）"
        REVIEW = "review", "研修考核表"
        REGISTER = "register", "应用能力点测评结果登记表"
        CASES = "cases", "典型案例"
        CONSISTENCY = "consistency", "方案与实施一致性"

    scheme = models.ForeignKey(
        AcceptanceScheme, on_delete=models.CASCADE, related_name="proof_items"
    )
    number = models.PositiveSmallIntegerField("序号")
    content = models.CharField("证明内容", max_length=200)
    form = models.CharField("证明形式", max_length=100)
    platform = models.CharField("平台已有材料", max_length=20, choices=Platform.choices, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "证明清单"
        ordering = ["number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="proof_item_number_unique"),
        ]

    def __str__(self):
        return f"{self.number}. {self.content}"


class Acceptance(models.Model):
    """整校推进验收 of one school for a cycle. The status moves only through
    services.acceptance (TRANSITIONS); each move leaves an AcceptanceEvent."""

    class Status(models.TextChoices):
        DRAFT = "draft", "准备中"
        SUBMITTED = "submitted", "已提交验收"
        RETURNED = "returned", "已退回"
        SCORED = "scored", "已评分"
        PASSED = "passed", "已通过"
        FAILED = "failed", "未通过"

    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.PROTECT, related_name="acceptances"
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name="研修周期", on_delete=models.PROTECT, related_name="+"
    )
    scheme = models.ForeignKey(
        AcceptanceScheme,
        verbose_name="验收方案",
        on_delete=models.PROTECT,
        related_name="acceptances",
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Shown to the school while 已退回; every return stays in the events.
    return_reason = models.CharField("退回原因", max_length=500, blank=True)
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="退回人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Why 未通过 (required then); empty for a pass.
    decision_reason = models.CharField("未通过原因", max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "整校推进验收"
        constraints = [
            models.UniqueConstraint(fields=["school", "cycle"], name="acceptance_once_per_cycle"),
            models.CheckConstraint(
                name="acceptance_return_has_reason",
                condition=~Q(status="returned") | ~Q(return_reason=""),
            ),
            models.CheckConstraint(
                name="acceptance_failure_has_reason",
                condition=~Q(status="failed") | ~Q(decision_reason=""),
            ),
        ]
        indexes = [models.Index(fields=["cycle", "status"], name="acceptance_cycle_status")]

    def __str__(self):
        return f"{self.school} · {self.cycle} · {self.get_status_display()}"


class AcceptanceEvent(models.Model):
    """One move of an Acceptance: append-only, never edited. `by` is empty for
    the move the platform makes itself (已评分 when the last expert submits).
    A line of any other `kind` than MOVE (its status does not move) records a
    change the hold let through: a teacher leaving or joining, a new 组长, a
    corrected name, the operator's edit (services.common.held_record)."""

    class Kind(models.TextChoices):
        MOVE = "move", "状态变化"
        REMOVED = holds.REMOVED, "调岗移除"
        JOINED = holds.JOINED, "加入本校"
        LEADER = holds.LEADER, "更换组长"
        CORRECTED = holds.CORRECTED, "更正姓名或手机号"
        OPERATOR = holds.OPERATOR, "运营人员修改"

    acceptance = models.ForeignKey(Acceptance, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.MOVE)
    from_status = models.CharField(max_length=10, choices=Acceptance.Status.choices)
    to_status = models.CharField(max_length=10, choices=Acceptance.Status.choices)
    reason = models.CharField("说明", max_length=500, blank=True)
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
        verbose_name = verbose_name_plural = "验收记录"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class ProofFile(StoredFile):
    """A file the school uploaded for one item of the checklist (several allowed)."""

    acceptance = models.ForeignKey(Acceptance, on_delete=models.PROTECT, related_name="files")
    item = models.ForeignKey(ProofItem, on_delete=models.PROTECT, related_name="files")
    file = models.FileField("文件", max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)
    request_token = REQUEST_TOKEN()

    class Meta:
        verbose_name = verbose_name_plural = "验收材料"
        ordering = ["item__number", "uploaded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["uploaded_by", "request_token"], name="proof_file_uploaded_once_per_form"
            ),
        ]

    def __str__(self):
        return self.original_name

    @property
    def shown_as(self) -> str:
        """How a reader's page shows it: "pdf" and "image" in the page, "video"
        in a player, anything else (office files) as a download."""
        if self.content_type == "application/pdf":
            return "pdf"
        if self.content_type.startswith("image/"):
            return "image"
        if self.content_type.startswith("video/"):
            return "video"
        return "download"


class SelfScore(models.Model):
    """自评: the school's score for one rubric item, with a note."""

    acceptance = models.ForeignKey(Acceptance, on_delete=models.PROTECT, related_name="self_scores")
    item = models.ForeignKey(RubricItem, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField("自评得分", **POINTS)
    note = models.CharField("自评说明", max_length=500, blank=True)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "自评"
        constraints = [
            models.UniqueConstraint(fields=["acceptance", "item"], name="self_score_once"),
            models.CheckConstraint(name="self_score_not_negative", condition=Q(points__gte=0)),
        ]

    def __str__(self):
        return f"{self.item}: {self.points}"


class ExpertAssignment(models.Model):
    """An expert (考核专家 of the district) assigned to score a school's
    acceptance. `submitted_at` set: their scores are final (a return reopens them)."""

    acceptance = models.ForeignKey(Acceptance, on_delete=models.PROTECT, related_name="assignments")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="考核专家",
        on_delete=models.PROTECT,
        related_name="acceptance_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="分配人", on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField("分配时间", default=timezone.now)
    submitted_at = models.DateTimeField("提交评分时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "专家分配"
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["acceptance", "expert"], name="expert_assignment_once"),
        ]
        indexes = [models.Index(fields=["expert", "submitted_at"], name="assignment_expert")]

    def __str__(self):
        return f"{self.expert} → {self.acceptance.school_id}"


class ExpertScore(models.Model):
    """An expert's score for one rubric item (0 … its maximum), with a comment."""

    assignment = models.ForeignKey(
        ExpertAssignment, on_delete=models.PROTECT, related_name="scores"
    )
    item = models.ForeignKey(RubricItem, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField("得分", **POINTS)
    comment = models.CharField("评语", max_length=500, blank=True)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "专家评分"
        constraints = [
            models.UniqueConstraint(fields=["assignment", "item"], name="expert_score_once"),
            models.CheckConstraint(name="expert_score_not_negative", condition=Q(points__gte=0)),
        ]

    def __str__(self):
        return f"{self.item}: {self.points}"
