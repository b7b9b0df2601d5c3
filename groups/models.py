from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Cycle, School


class Framework(models.Model):
    """A named ability-point catalogue, e.g. 广东 2.0 or 国家 2.0."""

    name = models.CharField("名称", max_length=50, unique=True)
    description = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "能力点框架"
        ordering = ["name"]

    def __str__(self):
        return self.name


class AbilityPoint(models.Model):
    class Dimension(models.TextChoices):
        LEARNER_ANALYSIS = "学情分析", "学情分析"
        DESIGN = "教学设计", "教学设计"
        GUIDANCE = "学法指导", "学法指导"
        EVALUATION = "学业评价", "学业评价"
        INNOVATION = "融合创新", "融合创新"

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="points")
    code = models.CharField("编号", max_length=10)
    name = models.CharField("名称", max_length=100)
    mode = models.CharField("模式/环境", max_length=30, blank=True)
    dimension = models.CharField("维度", max_length=10, choices=Dimension.choices, blank=True)
    description = models.TextField("能力描述", blank=True)
    # Evidence slots, e.g. [{"kind": "学习活动方案", "count": 1}, {"kind": "学生成果", "count": 2}]
    evidence = models.JSONField("证据要求", default=list, blank=True)
    retired = models.BooleanField("已停用", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "能力点"
        ordering = ["framework", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="ability_point_code_unique"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class SchoolSettings(models.Model):
    """Per-school choices for its training set-up."""

    school = models.OneToOneField(
        School, on_delete=models.CASCADE, related_name="training_settings"
    )
    framework = models.ForeignKey(
        Framework, verbose_name="能力点框架", null=True, blank=True, on_delete=models.PROTECT
    )
    # Seed 003 §8: a group must not hold two activities on one day; a school may opt out.
    one_activity_per_day = models.BooleanField("同一教研组一天只能有一个研修活动", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "学校研修设置"

    def __str__(self):
        return f"{self.school} 的研修设置"


class SchoolTheme(models.Model):
    """校本主题 of a school for a cycle, with its key ability points."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="themes")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="themes")
    title = models.CharField("校本主题", max_length=200)
    description = models.TextField("主题说明", blank=True)
    key_points = models.ManyToManyField(AbilityPoint, verbose_name="关键能力点", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "校本主题"
        constraints = [
            models.UniqueConstraint(fields=["school", "cycle"], name="school_theme_one_per_cycle"),
        ]

    def __str__(self):
        return self.title


class ResearchGroup(models.Model):
    """教研组: created by the school admin, led by a 教研组长."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="research_groups")
    name = models.CharField("教研组名称", max_length=60)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="教研组长",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_groups",
    )
    # 研修计划: written in the page, never uploaded (seed 000 §五.1).
    plan = models.TextField("教研组研修计划", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    archived_at = models.DateTimeField("归档时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "教研组"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                condition=Q(archived_at__isnull=True),
                name="group_name_unique_in_school",
            ),
        ]

    def __str__(self):
        return self.name


class GroupMember(models.Model):
    group = models.ForeignKey(ResearchGroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "教研组成员"
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="group_member_unique"),
        ]

    def __str__(self):
        return f"{self.user} ∈ {self.group}"
