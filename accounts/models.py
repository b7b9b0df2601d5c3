import datetime

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .idnumbers import mask_id_number


class Region(models.Model):
    """省 → 市 → 区县, a tree three levels deep."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        CITY = "city", "市"
        DISTRICT = "district", "区县"

    name = models.CharField("名称", max_length=100)
    code = models.CharField("行政区划代码", max_length=12, unique=True)
    level = models.CharField("级别", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = verbose_name_plural = "行政区域"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="region_parent_matches_level",
                condition=(
                    Q(level="province", parent__isnull=True)
                    | (~Q(level="province") & Q(parent__isnull=False))
                ),
            ),
        ]

    def __str__(self):
        return self.name


class School(models.Model):
    name = models.CharField("学校名称", max_length=120)
    code = models.CharField("学校代码", max_length=20, unique=True)
    region = models.ForeignKey(
        Region,
        verbose_name="所属区县",
        on_delete=models.PROTECT,
        related_name="schools",
        limit_choices_to={"level": Region.Level.DISTRICT},
    )
    stages = models.CharField("所涉学段", max_length=50, blank=True, help_text="如：小学、初中")
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "学校"
        ordering = ["code"]

    def __str__(self):
        return self.name

    def clean(self):
        # District admins see schools by walking the region tree down from
        # their region; a school hung on a city or the province would be missed.
        if self.region_id and self.region.level != Region.Level.DISTRICT:
            raise ValidationError({"region": "学校必须属于一个区县。"})


# How long after a cycle's end a teacher may be given an extension (延期,
# activities.services.extensions), and so how long hours may still change.
# Why 30: the school's review (研修考核) and the whole-school acceptance follow
# the cycle's end; a month lets a teacher who was ill or away finish without
# holding those up for long, and keeps "the cycle has ended" meaningful.
EXTENSION_DAYS_AFTER_CYCLE = 30


class Cycle(models.Model):
    """研修周期: uploads and changes close when it ends."""

    name = models.CharField("名称", max_length=100)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")

    class Meta:
        verbose_name = verbose_name_plural = "研修周期"
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                name="cycle_ends_after_start", condition=Q(ends_on__gte=models.F("starts_on"))
            ),
        ]

    def __str__(self):
        return self.name

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.starts_on <= today <= self.ends_on

    @property
    def last_extension_day(self):
        """The last day anyone's hours in this cycle may still change."""
        return self.ends_on + datetime.timedelta(days=EXTENSION_DAYS_AFTER_CYCLE)


class User(AbstractUser):
    real_name = models.CharField("姓名", max_length=50)
    phone = models.CharField("手机号", max_length=11, unique=True, null=True, blank=True)
    # Stored in full (the platform reports it to the province); shown masked everywhere.
    id_number = models.CharField("身份证号", max_length=18, unique=True, null=True, blank=True)
    must_change_password = models.BooleanField("须修改初始密码", default=False)

    objects = UserManager()

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.real_name or self.username

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number or "")


class ActiveMembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(removed_at__isnull=True)

    def teachers(self):
        return self.active().filter(is_teacher=True)


# 学段: the stages a teacher's place can be in (roster import and form).
STAGES = ("幼儿园", "小学", "初中", "高中", "中职", "特殊教育")


class SchoolMembership(models.Model):
    """A person's place in a school, with the school-level roles they hold there."""

    user = models.ForeignKey(
        User, verbose_name="人员", on_delete=models.CASCADE, related_name="memberships"
    )
    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.PROTECT, related_name="memberships"
    )
    is_school_admin = models.BooleanField("学校管理员", default=False)
    is_info_team = models.BooleanField("信息化管理团队", default=False)
    is_teacher = models.BooleanField("教师", default=True)
    is_full_time = models.BooleanField("专任教师", default=True)
    subject = models.CharField("学科", max_length=30, blank=True)
    stage = models.CharField("学段", max_length=20, blank=True)
    joined_at = models.DateTimeField("加入时间", default=timezone.now)
    removed_at = models.DateTimeField("移除时间", null=True, blank=True)
    # Who placed the person in the school (添加教师, a roster import): the audit
    # of who attached whom. Empty for places made by the operator or the demo.
    added_by = models.ForeignKey(
        "User",
        verbose_name="添加人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="places_added",
    )

    objects = ActiveMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "学校人员"
        constraints = [
            # A person works in one school at a time; a removed (调岗) place stays as history.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(removed_at__isnull=True),
                name="membership_one_active_school_per_user",
            ),
        ]
        indexes = [models.Index(fields=["school", "removed_at"])]

    def __str__(self):
        return f"{self.user} @ {self.school}"


class RegionRole(models.Model):
    class Kind(models.TextChoices):
        DISTRICT_ADMIN = "district_admin", "教育局管理员"
        EXPERT = "expert", "考核专家"

    user = models.ForeignKey(
        User, verbose_name="人员", on_delete=models.CASCADE, related_name="region_roles"
    )
    region = models.ForeignKey(
        Region, verbose_name="行政区域", on_delete=models.PROTECT, related_name="role_holders"
    )
    kind = models.CharField("角色", max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = verbose_name_plural = "区域角色"
        constraints = [
            models.UniqueConstraint(fields=["user", "region", "kind"], name="region_role_unique"),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} · {self.region}"


class Notification(models.Model):
    """站内消息: what the platform tells a person (a published activity, hours
    credited or reversed, a password reset...). Written only by accounts.notices."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField("内容", max_length=300)
    # Where the notice leads (a path on this site), e.g. the activity's page.
    link = models.CharField("链接", max_length=200, blank=True)
    # What the notice is about, e.g. "activity_published", "hours_credit": lets a
    # sender ask what it already sent (one reminder a day, ...).
    kind = models.CharField("类别", max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.message


class PasswordReset(models.Model):
    """The audit trail of passwords a school admin reset: who reset whom, when,
    in which school. Written only by accounts.services.teacher_password_reset;
    never changed (the admin site shows it read-only)."""

    user = models.ForeignKey(
        User, verbose_name="被重置者", on_delete=models.CASCADE, related_name="password_resets"
    )
    by = models.ForeignKey(
        User, verbose_name="操作人", on_delete=models.PROTECT, related_name="password_resets_done"
    )
    school = models.ForeignKey(School, verbose_name="学校", on_delete=models.PROTECT)
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "密码重置记录"
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.by} 重置了 {self.user} 的密码"


class IdNumberRefusal(models.Model):
    """One row a school's roster form or import was refused because its ID
    number belongs to someone the school may not touch (a district admin, an
    expert, the operator, a teacher placed in another school), or because its
    phone number is someone's outside the school (phones are login names: the
    answer "已被其他人使用" tells that the number is on the platform). The audit
    of that refusal, and the count behind the school's daily budget of such
    answers (accounts.services.numbers_screen): the refusal itself tells that
    the number exists, so it must not be an unlimited oracle. Each number is
    kept masked only; a row holds one of them. Written only by numbers_screen;
    never changed."""

    class Via(models.TextChoices):
        FORM = "form", "添加教师"
        EDIT = "edit", "编辑教师"
        IMPORT = "import", "名单导入"

    school = models.ForeignKey(School, verbose_name="学校", on_delete=models.PROTECT)
    by = models.ForeignKey(
        User,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="id_number_refusals",
    )
    masked_id_number = models.CharField("身份证号", max_length=18, blank=True)
    masked_phone = models.CharField("手机号", max_length=11, blank=True)
    via = models.CharField("途径", max_length=10, choices=Via.choices)
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "号码拒绝记录"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["school", "at"])]

    def __str__(self):
        return f"{self.school} · {self.masked_id_number}"


class Reminder(models.Model):
    """提醒: one reminder to one person about one thing on one day, written only
    by accounts.reminders. `kind` names the thing ("cycle:3" what they still
    lack for a cycle, "activity:12" an activity they have not completed), so the
    constraint below is the once-a-day rule: twenty clicks at once, or the
    daily job run twice, store one row, and only the call that stored it sends
    the notice (its `batch`)."""

    user = models.ForeignKey(
        User, verbose_name="被提醒人", on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField("提醒事项", max_length=60)
    day = models.DateField("日期")  # Asia/Shanghai
    sent_at = models.DateTimeField("发送时间", default=timezone.now)
    # Who clicked 提醒; empty for the daily job's automatic reminders.
    by = models.ForeignKey(
        User,
        verbose_name="提醒人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reminders_sent",
    )
    message = models.CharField("内容", max_length=300)
    # The call that stored the row (a UUID per call): it sends notices for its
    # own rows only, so a call that lost a race sends nothing.
    batch = models.UUIDField(editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "提醒记录"
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "day"], name="reminder_once_per_person_kind_day"
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "day"]),
            models.Index(fields=["batch"]),
        ]

    def __str__(self):
        return f"{self.user} · {self.kind} · {self.day}"
