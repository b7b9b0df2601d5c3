import uuid

from django import forms

from accounts.texts import DOCUMENT_CHARS, NOTE_CHARS, capped

from .files import EVIDENCE, HOMEWORK, LESSON_VIDEO
from .models import Activity, Evidence, ObservationQuestion
from .services.discussion import MAX_POST_CHARS, MIN_POST_CHARS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# What a create form without its token answers (attack report 1 §9).
STALE_PAGE = "页面已过期，请刷新后再提交。"


class OnceForm(forms.Form):
    """A form whose submission creates a row once: an unbound form renders a fresh
    UUID in a hidden field; a double tap or a retry of the same POST sends the
    same one, and the service returns the row the first request made
    (services.common.create_once, a unique constraint per creator).

    The token is required: without one, twenty identical requests would store
    twenty rows. The pages always render it, so people never see the refusal
    (STALE_PAGE) unless they send a form that did not come from a page of ours.
    `once=False` for the same form editing a row (nothing is created)."""

    request_token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, once: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not once:
            del self.fields["request_token"]
        elif not self.is_bound:
            self.initial.setdefault("request_token", uuid.uuid4())

    def clean(self):
        cleaned = super().clean()
        if "request_token" in self.fields and not cleaned.get("request_token"):
            self._errors.pop("request_token", None)  # a garbled token: the same answer
            raise forms.ValidationError(STALE_PAGE)
        return cleaned


class TopicForm(OnceForm):
    title = forms.CharField(label="专题名称", max_length=120)
    description = capped(
        forms.CharField(label="专题说明", widget=forms.Textarea(attrs={"rows": 3}), required=False),
        NOTE_CHARS,
    )
    key_points = forms.ModelMultipleChoiceField(
        label="针对的关键能力点",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个关键能力点。"},
    )

    def __init__(self, *args, points, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_points"].queryset = points


# The fields only some activity types have. The form shows each type only its
# own (static/js/activity-form.js, reading data-kinds); without JavaScript all
# show, and a bound form drops those of other types before validating, so
# whatever they hold is ignored.
KIND_FIELDS = {
    "hours_value": (Activity.Kind.OFFLINE,),
    "task_kind": (Activity.Kind.HOMEWORK,),
}
HOURS_LOCKED = "已有教师完成此活动，学时不能再修改。"


class ActivityForm(OnceForm):
    kind = forms.ChoiceField(label="活动类型", choices=Activity.Kind.choices)
    title = forms.CharField(label="小主题", max_length=120)
    description = capped(
        forms.CharField(label="活动说明", widget=forms.Textarea(attrs={"rows": 4}), required=False),
        NOTE_CHARS,
    )
    held_on = forms.DateField(label="活动日期", widget=DATE)
    opens_on = forms.DateField(label="开放开始", widget=DATE)
    closes_on = forms.DateField(label="开放结束", widget=DATE)
    hours_value = forms.IntegerField(
        label="学时（线下活动，1–10）",
        required=False,
        widget=forms.NumberInput(attrs={"min": 1, "max": Activity.OFFLINE_MAX_HOURS}),
        # The range (1 to 10) is the service's rule (services.topics._hours_for),
        # checked whatever the form; the form only turns non-numbers away.
        error_messages={"invalid": "线下活动学时须为 1 到 10 之间的整数。"},
        help_text=(
            "教学研讨 2 学时、研修作业 5 学时、听课评课 5 学时为固定值；"
            "线下活动由组长设定，最多 10 学时。"
        ),
    )
    task_kind = forms.ChoiceField(
        label="作业类型（研修作业）",
        choices=[("", "—")] + Activity.TaskKind.choices,
        required=False,
    )

    def __init__(
        self,
        *args,
        kind: str | None = None,
        hours_locked: bool = False,
        date_locked: str = "",
        **kwargs,
    ):
        """`kind`: the type of the activity being edited (it can no longer
        change); `hours_locked`: someone has completed it, so its hours stay;
        `date_locked`: why its date stays (evidence or credits stand), shown
        beside the read-only date (the service refuses a changed one)."""
        super().__init__(*args, **kwargs)
        if date_locked:
            self.fields["held_on"].widget.attrs["readonly"] = True
            self.fields["held_on"].help_text = date_locked
        if kind is not None:
            del self.fields["kind"]
        elif self.is_bound:
            kind = self.data.get("kind")
        for name, kinds in KIND_FIELDS.items():
            if kind in Activity.Kind.values and kind not in kinds:
                del self.fields[name]
            else:
                self.fields[name].widget.attrs["data-kinds"] = " ".join(kinds)
        if hours_locked and "hours_value" in self.fields:
            # Disabled: the browser cannot change it and Django keeps the
            # stored value whatever is posted.
            self.fields["hours_value"].disabled = True
            self.fields["hours_value"].help_text = HOURS_LOCKED


class PostForm(OnceForm):
    body = forms.CharField(
        label="发表观点",
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "placeholder": "写下你的观点（至少 10 个字）",
                # The browser stops at the limits the service enforces (it
                # counts letters and digits only: "。。。" still reaches it).
                "minlength": MIN_POST_CHARS,
                "maxlength": MAX_POST_CHARS,
            }
        ),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class HomeworkForm(forms.Form):
    text = capped(
        forms.CharField(label="作业内容", widget=forms.Textarea(attrs={"rows": 6}), required=False),
        DOCUMENT_CHARS,
    )
    files = MultipleFileField(label="作业文件", required=False, help_text=HOMEWORK.help_text)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs.update(HOMEWORK.widget_attrs())


class VideoForm(forms.Form):
    video = forms.FileField(label="上传课堂视频", required=False, help_text=LESSON_VIDEO.help_text)
    video_url = forms.URLField(label="或填写视频链接", required=False, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["video"].widget.attrs.update(LESSON_VIDEO.widget_attrs())


class ObservationHeaderForm(forms.Form):
    lesson_title = forms.CharField(label="课题", max_length=120, required=False)
    teacher_name = forms.CharField(label="执教教师", max_length=50, required=False)
    subject_grade = forms.CharField(label="学科/年级", max_length=50, required=False)
    taught_on = forms.DateField(label="授课时间", widget=DATE, required=False)


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label="题型", choices=ObservationQuestion.Kind.choices)
    prompt = forms.CharField(label="题目", max_length=200)
    max_score = forms.IntegerField(
        label="满分（评分题）", min_value=1, max_value=100, initial=10, required=False
    )
    choices = forms.CharField(
        label="选项（单选题，每行一个）", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class DesignateForm(forms.Form):
    users = forms.ModelMultipleChoiceField(
        label="指定参与的组员",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一名组员。"},
    )
    # Once evidence stands, designating credits at once: the confirmation page
    # (activities/designate_confirm.html) sends the number the leader ticked.
    confirm_credit = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = members
        self.fields["users"].label_from_instance = lambda u: u.display_name


class EvidenceForm(OnceForm):
    kind = forms.ChoiceField(label="材料类型", choices=Evidence.Kind.choices)
    file = forms.FileField(label="文件", help_text=EVIDENCE.help_text)
    # The first evidence credits every designated member: the leader ticks a box
    # that says how many, and the box carries that number (the service checks it
    # is still the number it would credit).
    confirm_credit = forms.IntegerField(required=False, min_value=0)

    def __init__(self, *args, would_credit: int = 0, hours: int = 0, leader_included=False, **kw):
        super().__init__(*args, **kw)
        self.fields["file"].widget.attrs.update(EVIDENCE.widget_attrs())
        if would_credit and not self.is_bound:
            label = f"确认：上传后将为 {would_credit} 名组员计入 {hours} 学时"
            if leader_included:
                label += "（其中你本人的学时须经学校管理员确认后计入）"
            self.fields["confirm_credit"].widget = forms.CheckboxInput(
                attrs={"value": would_credit, "required": True}
            )
            self.fields["confirm_credit"].label = label
        elif not self.is_bound:
            self.fields["confirm_credit"].widget = forms.HiddenInput()
