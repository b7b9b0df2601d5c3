from django import forms

from accounts.texts import capped

from .files import CASE_DESIGN, CASE_RECORDING, EVALUATION_EVIDENCE, PLAN, SUMMARY
from .models import AbilityEvaluation, TypicalCase


def _file_field(label: str, policy, required: bool = True) -> forms.FileField:
    field = forms.FileField(
        label=label,
        required=required,
        help_text=policy.help_text,
        error_messages={"required": "请选择要上传的文件。"},
    )
    field.widget.attrs.update(policy.widget_attrs())
    return field


class PlanUploadForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field("提升计划文件", PLAN)


class SummaryUploadForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field("提升总结文件", SUMMARY)


class PointLabelField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class PointChoiceForm(forms.Form):
    points = PointLabelField(
        label="我的能力点",
        queryset=None,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input mt-1"}),
        error_messages={
            "required": "请至少选择 3 个能力点。",
            "invalid_choice": "所选能力点不在本校可选范围内。",
            "invalid_pk_value": "所选能力点不在本校可选范围内。",
        },
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, points, **kwargs):
        super().__init__(*args, **kwargs)
        from groups.models import AbilityPoint

        self.fields["points"].queryset = AbilityPoint.objects.filter(
            pk__in=[p.pk for p in points]
        ).order_by("sort_key", "code")


class EvidenceForm(forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput, max_length=60)
    position = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    link = forms.URLField(
        label="或填写链接",
        required=False,
        assume_scheme="https",
        max_length=500,
        error_messages={"invalid": "请填写有效的链接（以 http:// 或 https:// 开头）。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field("上传文件", EVALUATION_EVIDENCE, required=False)
        self.order_fields(["kind", "position", "file", "link"])


class ReasonForm(forms.Form):
    reason = capped(
        forms.CharField(
            label="原因（教师会看到）",
            widget=forms.Textarea(attrs={"rows": 2}),
            error_messages={"required": "请填写原因（教师会看到）。"},
        ),
        300,
    )

    def __init__(self, *args, label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = f"{label}（教师会看到）"


class AssessForm(forms.Form):
    result = forms.ChoiceField(
        label="测评结果",
        choices=[
            (AbilityEvaluation.Status.PASSED, "合格"),
            (AbilityEvaluation.Status.FAILED, "不合格"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "请选择测评结果：合格或不合格。",
            "invalid_choice": "请选择测评结果：合格或不合格。",
        },
    )
    remarks = capped(forms.CharField(label="备注", required=False), 300)


class CaseForm(forms.Form):
    group = forms.ModelChoiceField(
        label="教研组",
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": "只能为自己担任组长的教研组上传。"},
    )
    title = forms.CharField(label="案例名称", max_length=120)
    recording = forms.ChoiceField(
        label="课堂实录",
        choices=TypicalCase.Recording.choices,
        initial=TypicalCase.Recording.OFFLINE,
        widget=forms.RadioSelect,
    )
    recording_url = forms.URLField(
        label="视频链接",
        required=False,
        assume_scheme="https",
        max_length=500,
        error_messages={"invalid": "请填写有效的链接（以 http:// 或 https:// 开头）。"},
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["design"] = _file_field("教学设计（含教学反思，一个文档）", CASE_DESIGN)
        self.fields["recording_file"] = _file_field("课堂实录视频", CASE_RECORDING, required=False)
        self.order_fields(["group", "title", "design", "recording", "recording_file"])


class RateForm(forms.Form):
    rating = forms.ChoiceField(
        label="评定",
        choices=TypicalCase.Rating.choices,
        error_messages={"invalid_choice": "请从列表中选择评定结果。"},
    )
