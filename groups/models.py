import re

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
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


def ability_point_sort_key(code: str) -> str:
    """The order people read codes in: letters, then the number as a number
    ("A3" before "A13"): "A3" -> "A0003", "B12" -> "B0012"."""
    return re.sub(r"\d+", lambda m: m.group().zfill(4), code.strip().upper())


class AbilityPoint(models.Model):
    class Dimension(models.TextChoices):
        LEARNER_ANALYSIS = "学情分析", "学情分析"
        DESIGN = "教学设计", "教学设计"
        GUIDANCE = "学法指导", "学法指导"
        EVALUATION = "学业评价", "学业评价"
        INNOVATION = "融合创新", "融合创新"

    framework = models.ForeignKey(
        Framework, verbose_name="能力点框架", on_delete=models.PROTECT, related_name="points"
    )
    code = models.CharField("编号", max_length=10)
    # Derived from code (ability_point_sort_key); every list of points orders by it.
    sort_key = models.CharField("排序键", max_length=30, editable=False, default="")
    name = models.CharField("名称", max_length=100)
    mode = models.CharField("模式/环境", max_length=30, blank=True)
    dimension = models.CharField("维度", max_length=10, choices=Dimension.choices, blank=True)
    description = models.TextField("能力描述", blank=True)
    # Evidence slots, e.g. [{"kind": "学习活动方案", "count": 1}, {"kind": "学生成果", "count": 2}]
    evidence = models.JSONField("证据要求", default=list, blank=True)
    retired = models.BooleanField("已停用", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "能力点"
        ordering = ["framework", "sort_key", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="ability_point_code_unique"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        # Not a business rule: a representation of `code` kept beside it so the
        # database can sort by it. Here, because every way a point is stored
        # (the catalogue import, the admin, get_or_create in the catalogue's
        # data migration) passes through save().
        self.sort_key = ability_point_sort_key(self.code)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "code" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_key"}
        super().save(*args, **kwargs)


class SchoolSettings(models.Model):
    """Per-school choices for its training set-up."""

    school = models.OneToOneField(
        School, verbose_name="学校", on_delete=models.CASCADE, related_name="training_settings"
    )
    framework = models.ForeignKey(
        Framework, verbose_name="能力点框架", null=True, blank=True, on_delete=models.PROTECT
    )
    # Seed 003 §8: a group must not hold two activities on one day; a school may opt out.
    one_activity_per_day = models.BooleanField("同一教研组一天只能有一个研修活动", default=True)
    # Seed 001 / DESIGN §2: teachers choose their 3+ points "normally among the
    # school's key points"; a school may let them choose others of its framework.
    teachers_choose_any_point = models.BooleanField(
        "教师可选校本关键能力点以外的能力点", default=False
    )

    class Meta:
        verbose_name = verbose_name_plural = "学校研修设置"

    def __str__(self):
        return f"{self.school} 的研修设置"


class SchoolTheme(models.Model):
    """校本主题 of a school for a cycle, with its key ability points."""

    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.CASCADE, related_name="themes"
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name="研修周期", on_delete=models.PROTECT, related_name="themes"
    )
    title = models.CharField("校本主题", max_length=200)
    description = models.TextField("主题说明", blank=True)
    key_points = models.ManyToManyField(AbilityPoint, verbose_name="关键能力点", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "校本主题"
        constraints = [
            models.UniqueConstraint(fields=["school", "cycle"], name="school_theme_one_per_cycle"),
        ]

    def __str__(self):
        return self.title


class ResearchGroup(models.Model):
    """教研组: created by the school admin, led by a 教研组长."""

    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.CASCADE, related_name="research_groups"
    )
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
    plan_updated_at = models.DateTimeField("研修计划更新时间", null=True, blank=True)
    # The plan's light structure beside its text, so it can be checked against
    # what the group publishes (activities.consistency): the points it targets
    # and its schedule by month, [{"month": "2026-09", "content": "..."}].
    plan_points = models.ManyToManyField(
        "AbilityPoint", verbose_name="计划针对的能力点", blank=True, related_name="+"
    )
    plan_schedule = models.JSONField("按月安排", default=list, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
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
    group = models.ForeignKey(
        ResearchGroup, verbose_name="教研组", on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="组员",
        on_delete=models.CASCADE,
        related_name="group_memberships",
    )
    added_at = models.DateTimeField("加入时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "教研组成员"
        indexes = [models.Index(fields=["user", "group"])]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="group_member_unique"),
        ]

    def __str__(self):
        return f"{self.user} ∈ {self.group}"


class SchoolPlan(models.Model):
    """两案 / 校本研修方案 of a school for a cycle, in the order of seed 002's template.

    Two of its tables (team, schedule) are free-text rows kept as JSON: they are only
    ever read and written whole, with the plan. The third, ability points with a
    reason each, points at the catalogue (SchoolPlanPoint), so a point used in a
    plan can be retired but never deleted.
    """

    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.CASCADE, related_name="plans"
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name="研修周期", on_delete=models.PROTECT, related_name="school_plans"
    )
    # 一、基本信息
    stages = models.CharField("所涉学段", max_length=50, blank=True)
    principal = models.CharField("学校负责人", max_length=50, blank=True)
    contact_person = models.CharField("项目联络人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    # 学校信息化管理团队: [{"name", "age", "education", "major", "title"}]
    team = models.JSONField("学校信息化管理团队", default=list, blank=True)
    # 二、校本研修绩效目标
    goal_basic = models.TextField("基本的绩效目标", blank=True)
    goal_teachers = models.TextField("可选绩效目标：面向教师", blank=True)
    goal_students = models.TextField("可选绩效目标：面向学生", blank=True)
    goal_school = models.TextField("可选绩效目标：面向学校", blank=True)
    # 校本研修内容
    theme = models.CharField("研修主题", max_length=200, blank=True)
    # 能力点及选择理由: SchoolPlanPoint rows (each one of the framework's points)
    format = models.CharField("研修形式", max_length=200, blank=True)
    # 校本研修安排: [{"when", "content", "owner"}]
    schedule = models.JSONField("校本研修安排", default=list, blank=True)
    # 校本研修考核和机制
    assessment = models.TextField("考核要求", blank=True)
    mechanisms = models.TextField("机制设计", blank=True)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "校本研修方案（两案）"
        constraints = [
            models.UniqueConstraint(fields=["school", "cycle"], name="school_plan_one_per_cycle"),
        ]

    def __str__(self):
        return f"{self.school} · {self.cycle} 校本研修方案"


class SchoolPlanPoint(models.Model):
    """A row of the plan's 研修内容 table: one of the school's ability points and why."""

    plan = models.ForeignKey(SchoolPlan, on_delete=models.CASCADE, related_name="point_rows")
    point = models.ForeignKey(
        AbilityPoint, verbose_name="微能力名称", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("选择理由", blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "两案能力点及选择理由"
        ordering = ["plan", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "point"], name="school_plan_point_unique"),
        ]

    def __str__(self):
        return f"{self.plan} · {self.point}"


class TeacherRemoval(models.Model):
    """Audit row of a 调岗 removal: who removed whom, when, why and what was cleared.

    Append-only: written once by groups.services.teacher_remove, never edited.
    """

    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.PROTECT, related_name="removals"
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="被移除教师",
        on_delete=models.PROTECT,
        related_name="removals",
    )
    membership = models.OneToOneField(
        "accounts.SchoolMembership",
        verbose_name="学校人员记录",
        on_delete=models.PROTECT,
        related_name="removal",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.PROTECT,
        related_name="removals_made",
    )
    at = models.DateTimeField("移除时间", default=timezone.now)
    reason = models.CharField("移除原因", max_length=200)
    # What was cleared, for the record: {"groups": [...], "led_groups": [...], ...}.
    # Later apps (hours, materials) add their own keys.
    cleared = models.JSONField("清除内容", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "调岗移除记录"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["school", "-at"])]

    def __str__(self):
        return f"{self.teacher} 于 {self.at:%Y-%m-%d} 移出 {self.school}"


class ClearedRecord(models.Model):
    """One row a 调岗移除 took out of use (a participation, a post, a homework
    submission...), archived in the removal's audit trail: its fields as JSON,
    and the names of its stored files, which stay in storage and are reachable
    only by the operator through the admin. Written once by teacher_remove."""

    removal = models.ForeignKey(
        TeacherRemoval, on_delete=models.PROTECT, related_name="records", verbose_name="移除记录"
    )
    model = models.CharField("类型", max_length=100)  # e.g. "activities.post"
    object_id = models.PositiveBigIntegerField("原编号")
    data = models.JSONField("内容", encoder=DjangoJSONEncoder)
    files = models.JSONField("文件", default=list, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "调岗移除归档"
        ordering = ["removal", "model", "object_id"]
        indexes = [models.Index(fields=["removal", "model"])]

    def __str__(self):
        return f"{self.kind_label} #{self.object_id}"

    @property
    def kind_label(self) -> str:
        """What the archived row was, as the operator reads it ("参与记录" for
        "activities.participation"); the stored label when the model is gone."""
        return model_label(self.model)


def model_label(label: str) -> str:
    """The verbose name of the model an "app.model" label names (looked up in the
    app registry, so groups imports no app to its right)."""
    from django.apps import apps

    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label
