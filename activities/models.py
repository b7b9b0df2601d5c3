"""Topics (研修专题), the four activity types and what members do in them.

Completion lives on Participation (one row per activity and teacher, a DB unique
constraint); the hours it earns are the ledger's business (hours app), which
the completion services in activities.services call explicitly.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Cycle
from groups.models import AbilityPoint, ResearchGroup


def _generated_name(folder: str, filename: str) -> str:
    """Stored files get random names: nothing guessable, nothing from the uploader."""
    ext = PurePosixPath(filename).suffix.lower()[:10]
    return f"activities/{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


def homework_upload_to(instance, filename):
    return _generated_name("homework", filename)


def evidence_upload_to(instance, filename):
    return _generated_name("evidence", filename)


def video_upload_to(instance, filename):
    return _generated_name("video", filename)


def REQUEST_TOKEN():  # noqa: N802 - a field factory, read like a field class
    """The idempotency token of the form that created a row: a UUID rendered into
    the form as a hidden field; a double tap or a retry of the same POST carries
    the same one. Unique per creator (each model's constraint), so the database
    stores the row once (services.common.create_once). Null for rows made
    without a form (the demo, commands), which the constraint ignores."""
    return models.UUIDField("表单标识", null=True, blank=True, editable=False)


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    CLOSED = "closed", "已结束"


class Topic(models.Model):
    """研修专题: a leader's theme for a run of activities, aimed at key ability points."""

    group = models.ForeignKey(ResearchGroup, on_delete=models.CASCADE, related_name="topics")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="topics")
    title = models.CharField("专题名称", max_length=120)
    description = models.TextField("专题说明", blank=True)
    key_points = models.ManyToManyField(
        AbilityPoint, verbose_name="针对的关键能力点", related_name="topics"
    )
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices[:2], default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    request_token = REQUEST_TOKEN()

    class Meta:
        verbose_name = verbose_name_plural = "研修专题"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "request_token"], name="topic_created_once_per_form"
            ),
            models.CheckConstraint(
                name="topic_status_valid", condition=Q(status__in=["draft", "published"])
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class Activity(models.Model):
    """研修活动 (小主题) under a topic. `hours_value` is what completing it is worth."""

    class Kind(models.TextChoices):
        DISCUSSION = "discussion", "教学研讨"
        HOMEWORK = "homework", "研修作业"
        OBSERVATION = "observation", "听课评课"
        OFFLINE = "offline", "线下活动"

    class TaskKind(models.TextChoices):
        REFLECTION = "reflection", "教学反思"
        SUMMARY = "summary", "经验总结"
        DESIGN = "design", "教学设计"
        CASE = "case", "教学案例"
        OTHER = "other", "其他"

    FIXED_HOURS = {Kind.DISCUSSION: 2, Kind.HOMEWORK: 5, Kind.OBSERVATION: 5}
    OFFLINE_MAX_HOURS = 10

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="activities")
    # Denormalised from topic for scoping and the one-activity-per-day rule.
    group = models.ForeignKey(ResearchGroup, on_delete=models.CASCADE, related_name="activities")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField("活动类型", max_length=12, choices=Kind.choices)
    title = models.CharField("小主题", max_length=120)
    description = models.TextField("活动说明", blank=True)
    held_on = models.DateField("活动日期")
    opens_on = models.DateField("开放开始")
    closes_on = models.DateField("开放结束")
    hours_value = models.PositiveSmallIntegerField("学时")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    # 研修作业: what the task is.
    task_kind = models.CharField("作业类型", max_length=12, choices=TaskKind.choices, blank=True)
    # 听课评课: the lesson video, uploaded or linked.
    video = models.FileField("课堂视频", upload_to=video_upload_to, blank=True)
    video_name = models.CharField("视频原文件名", max_length=200, blank=True)
    video_size = models.BigIntegerField("视频大小", default=0)
    video_url = models.URLField("视频链接", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    # When the leader ended it (结束活动), which may be before closes_on.
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    request_token = REQUEST_TOKEN()

    class Meta:
        verbose_name = verbose_name_plural = "研修活动"
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["group", "held_on"]),
            models.Index(fields=["status", "closes_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "request_token"], name="activity_created_once_per_form"
            ),
            # DESIGN §2: 2, 5, 5 or the leader's figure, at most 10.
            models.CheckConstraint(
                name="activity_hours_match_kind",
                condition=(
                    Q(kind="discussion", hours_value=2)
                    | Q(kind="homework", hours_value=5)
                    | Q(kind="observation", hours_value=5)
                    | Q(kind="offline", hours_value__gte=1, hours_value__lte=10)
                ),
            ),
            models.CheckConstraint(
                name="activity_open_period_ordered", condition=Q(closes_on__gte=F("opens_on"))
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("activities:detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT


class Participation(models.Model):
    """A teacher in an activity: joined (参与活动), entered (进入研修), completed."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    entered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # 线下活动: the leader designates participants (指定组员参与).
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "活动参与"
        constraints = [
            models.UniqueConstraint(fields=["activity", "user"], name="participation_unique"),
        ]
        indexes = [models.Index(fields=["user", "completed_at"])]

    def __str__(self):
        return f"{self.user} · {self.activity}"


class Post(models.Model):
    """发表观点 in a 教学研讨."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    body = models.TextField("观点")
    like_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    request_token = REQUEST_TOKEN()

    class Meta:
        verbose_name = verbose_name_plural = "研讨观点"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["activity", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "request_token"], name="post_created_once_per_form"
            ),
        ]

    def __str__(self):
        return self.body[:30]


class Like(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "点赞"
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="like_unique")]

    def __str__(self):
        return f"{self.user_id} ♥ {self.post_id}"


class Submission(models.Model):
    """研修作业 work: text and/or files, one per member, replaceable while open."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="submissions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions"
    )
    text = models.TextField("作业内容", blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "研修作业提交"
        constraints = [
            models.UniqueConstraint(fields=["activity", "user"], name="submission_unique"),
        ]

    def __str__(self):
        return f"{self.user} · {self.activity}"


class SubmissionFile(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=homework_upload_to)
    original_name = models.CharField(max_length=200)
    size = models.BigIntegerField()
    content_type = models.CharField(max_length=100)

    class Meta:
        verbose_name = verbose_name_plural = "作业文件"

    def __str__(self):
        return self.original_name


class ObservationForm(models.Model):
    """听课评课表: header about the lesson; the items are ObservationQuestion rows."""

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, related_name="observation_form"
    )
    lesson_title = models.CharField("课题", max_length=120, blank=True)
    teacher_name = models.CharField("执教教师", max_length=50, blank=True)
    subject_grade = models.CharField("学科/年级", max_length=50, blank=True)
    taught_on = models.DateField("授课时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "听课评课表"

    def __str__(self):
        return f"听课评课表 · {self.activity}"


class ObservationQuestion(models.Model):
    class Kind(models.TextChoices):
        SCORE = "score", "评分"
        CHOICE = "choice", "单选"
        TEXT = "text", "文字"

    form = models.ForeignKey(ObservationForm, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField("题型", max_length=8, choices=Kind.choices)
    prompt = models.CharField("题目", max_length=200)
    max_score = models.PositiveSmallIntegerField("满分", default=10)
    choices = models.JSONField("选项", default=list, blank=True)
    required = models.BooleanField("必答", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "评课表题目"
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                name="observation_question_max_score_range",
                condition=Q(max_score__gte=1, max_score__lte=100),
            ),
        ]

    def __str__(self):
        return self.prompt


class ObservationResponse(models.Model):
    """A member's filled-in 听课评课表. answers: {question_id: value}."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="observation_responses"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=dict)
    total_score = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "听课评课记录"
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "user"], name="observation_response_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.activity}"


class Evidence(models.Model):
    """佐证材料 of a 线下活动. Withdrawn rows stay, as history."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", "签到表"
        PHOTO = "photo", "照片"
        VIDEO = "video", "视频"
        RECORD = "record", "记录"
        REPORT = "report", "报告"
        DESIGN = "design", "教学设计"
        PREP = "prep", "备课表"
        NOTICE = "notice", "活动通知"
        OTHER = "other", "其他"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField("材料类型", max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to=evidence_upload_to)
    original_name = models.CharField(max_length=200)
    size = models.BigIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    request_token = REQUEST_TOKEN()

    class Meta:
        verbose_name = verbose_name_plural = "佐证材料"
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["activity", "withdrawn_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["uploaded_by", "request_token"], name="evidence_uploaded_once_per_form"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.original_name}"


class CheckInSheet(models.Model):
    """扫码签到 of a 线下活动 on its day: the leader opens it (the screen shows a
    QR code that changes every 30 seconds) and closes it, which makes the 签到表
    final. Reopened the same day if closed too early."""

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, related_name="checkin_sheet"
    )
    opened_at = models.DateTimeField("开始签到时间", default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField("结束签到时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "扫码签到"

    def __str__(self):
        return f"签到 · {self.activity}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CheckIn(models.Model):
    """One person's 签到 at a 线下活动: by scanning the leader's code, or by the
    leader's hand with a reason (a phone that broke), which the row keeps."""

    class Method(models.TextChoices):
        SCAN = "scan", "扫码"
        MANUAL = "manual", "组长代签"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="check_ins")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins"
    )
    checked_in_at = models.DateTimeField("签到时间", default=timezone.now)
    method = models.CharField("签到方式", max_length=8, choices=Method.choices)
    # 组长代签: who did it and why.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField("代签原因", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "签到记录"
        ordering = ["checked_in_at", "pk"]
        constraints = [
            # Once per person and activity, whatever is scanned twice or at once.
            models.UniqueConstraint(fields=["activity", "user"], name="check_in_once"),
            models.CheckConstraint(
                name="check_in_manual_has_reason",
                condition=Q(method="scan") | (Q(method="manual") & ~Q(reason="")),
            ),
        ]

    def __str__(self):
        return f"{self.user} 签到 {self.activity}"


class VideoComment(models.Model):
    """A comment pinned to a moment (in seconds) of a 听课评课 lesson video."""

    MAX_SECOND = 4 * 3600  # a lesson video is under an hour; four is generous

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="video_comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="video_comments"
    )
    second = models.PositiveIntegerField("视频时间点（秒）")
    body = models.TextField("评论")
    created_at = models.DateTimeField(default=timezone.now)
    request_token = REQUEST_TOKEN()

    class Meta:
        verbose_name = verbose_name_plural = "视频时间点评论"
        ordering = ["second", "created_at", "pk"]
        indexes = [models.Index(fields=["activity", "second"])]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "request_token"], name="video_comment_created_once_per_form"
            ),
            models.CheckConstraint(
                name="video_comment_second_range",
                condition=Q(second__gte=0, second__lte=4 * 3600),
            ),
        ]

    def __str__(self):
        return f"{self.moment} · {self.body[:20]}"

    @property
    def moment(self) -> str:
        """The moment as people read it: 12:30."""
        from .moments import moment_label

        return moment_label(self.second)


class Extension(models.Model):
    """延期: one teacher may hand in later than everyone else, on one activity
    (its open period and, for it, the cycle's end) or on the cycle's materials
    (提升计划, 能力点, 提升总结, 测评证据: assessment reads these). Granted with a
    reason by the school admin, or by the group's leader for their activity
    (activities.services.extensions). Append-only, the audit trail itself:
    who granted it to whom, for what, until when, why and when. A teacher's
    last day is the latest `until` of their grants, never earlier than
    everyone's (activities.window, assessment.selectors.rules)."""

    class Scope(models.TextChoices):
        ACTIVITY = "activity", "研修活动"
        MATERIALS = "materials", "研修周期材料"

    scope = models.CharField("延期事项", max_length=10, choices=Scope.choices)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="教师",
        on_delete=models.CASCADE,
        related_name="extensions",
    )
    school = models.ForeignKey(
        "accounts.School", verbose_name="学校", on_delete=models.PROTECT, related_name="+"
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name="研修周期", on_delete=models.PROTECT, related_name="+"
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name="研修活动",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="extensions",
    )
    until = models.DateField("延至")
    reason = models.CharField("延期原因", max_length=200)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="批准人", on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField("批准时间", default=timezone.now)
    request_token = REQUEST_TOKEN()

    class Meta:
        verbose_name = verbose_name_plural = "延期记录"
        ordering = ["-granted_at", "-pk"]
        indexes = [
            models.Index(fields=["teacher", "cycle", "scope"]),
            models.Index(fields=["school", "cycle"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["granted_by", "request_token"], name="extension_granted_once_per_form"
            ),
            models.CheckConstraint(
                name="extension_scope_matches_activity",
                condition=(
                    Q(scope="activity", activity__isnull=False)
                    | Q(scope="materials", activity__isnull=True)
                ),
            ),
            models.CheckConstraint(name="extension_has_reason", condition=~Q(reason="")),
        ]

    def __str__(self):
        what = self.activity or self.get_scope_display()
        return f"{self.teacher} · {what} · 延至 {self.until:%Y-%m-%d}"
