"""Forms of whole-school acceptance: the district's scheme, the school's files
and self-score, the expert's scores, the district's decisions."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from activities.forms import MultipleFileField, OnceForm

from .files import PROOF
from .models import ProofItem, RubricItem
from .services.acceptance import parse_points

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Scores, maxima and the pass mark take one decimal (parse_points, the fields'
# decimal_places): the browser's step says the same, so 4.3 is not refused there.
POINTS_ATTRS = {"inputmode": "decimal", "step": "0.1", "min": "0"}
# A maximum or a pass mark: at least 0.5 (the fields' min_value).
AT_LEAST_HALF = {**POINTS_ATTRS, "min": "0.5"}


class SchemeSettingsForm(forms.Form):
    pass_mark = forms.DecimalField(
        label="合格分",
        max_digits=5,
        decimal_places=1,
        min_value=Decimal("0.5"),
        required=False,
        help_text="专家平均分达到合格分，教育局才能确认通过。",
        widget=forms.NumberInput(attrs=AT_LEAST_HALF),
        error_messages={
            "invalid": "合格分须是数字。",
            "min_value": "合格分不能低于 0.5 分。",
            "max_digits": "合格分不能超过 9999.9 分。",
            "max_whole_digits": "合格分不能超过 9999.9 分。",
            "max_decimal_places": "合格分最多保留一位小数。",
        },
    )
    deadline = forms.DateField(
        label="验收截止日期",
        required=False,
        widget=DATE,
        help_text="学校在验收页面看到此日期；不能早于今天。",
        error_messages={"invalid": "请填写有效的日期。"},
    )
    note = forms.CharField(
        label="验收说明",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="给学校的说明，例如材料要求、现场汇报安排。",
    )


class RubricItemForm(forms.Form):
    """一级指标 (dimension: a name and an order) or 二级指标 (item: under a
    dimension, with its maximum and guidance)."""

    parent = forms.ModelChoiceField(
        label="所属一级指标",
        queryset=RubricItem.objects.none(),
        empty_label=None,
        error_messages={
            "required": "请选择所属的一级指标。",
            "invalid_choice": "请选择本方案的一级指标。",
        },
    )
    title = forms.CharField(label="指标名称", max_length=200)
    max_points = forms.DecimalField(
        label="满分",
        max_digits=5,
        decimal_places=1,
        min_value=Decimal("0.5"),
        help_text="不低于 0.5 分，最多保留一位小数。",
        widget=forms.NumberInput(attrs=AT_LEAST_HALF),
        error_messages={
            "required": "请填写满分。",
            "invalid": "满分须是数字。",
            "min_value": "满分不能低于 0.5 分。",
            "max_digits": "满分不能超过 9999.9 分。",
            "max_whole_digits": "满分不能超过 9999.9 分。",
            "max_decimal_places": "满分最多保留一位小数。",
        },
    )
    guidance = forms.CharField(
        label="评分说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="考核方式与给分要点，例如“查阅材料：……”，学校自评和专家评分时都能看到。",
    )
    order = forms.IntegerField(
        label="排序",
        min_value=0,
        max_value=999,
        initial=1,
        error_messages={"invalid": "排序须是整数。"},
    )

    def __init__(self, *args, scheme, dimension: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.dimension = dimension
        if dimension:
            del self.fields["parent"], self.fields["max_points"], self.fields["guidance"]
        else:
            self.fields["parent"].queryset = RubricItem.objects.filter(
                scheme=scheme, parent__isnull=True
            ).order_by("order", "pk")


class ProofItemForm(forms.Form):
    number = forms.IntegerField(label="序号", min_value=1, max_value=99)
    content = forms.CharField(label="证明内容", max_length=200)
    form = forms.CharField(
        label="证明形式", max_length=100, help_text="如：表单、规划文本、分析报告"
    )
    platform = forms.ChoiceField(
        label="平台已有材料",
        choices=[("", "无"), *ProofItem.Platform.choices],
        required=False,
        help_text="学校在平台上已有的记录（两案、研修考核表等）自动作为本项材料，专家可直接查看。",
    )


class ProofUploadForm(OnceForm):
    files = MultipleFileField(label="上传材料", help_text=PROOF.help_text)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs.update(PROOF.widget_attrs())
        self.fields["files"].error_messages["required"] = "请选择要上传的文件。"


TEXT_MAX = 500  # a self-score's note or an expert's comment (the services keep 500)


class ScoresForm(forms.Form):
    """One score (0 … the item's maximum) and one text per rubric item:
    `points_<id>`, `text_<id>`. The typed values come back with their errors."""

    text_label = "说明"

    def __init__(self, *args, items: list[RubricItem], initial_scores: dict | None = None, **kw):
        super().__init__(*args, **kw)
        self.items = items
        initial_scores = initial_scores or {}
        for item in items:
            given = initial_scores.get(item.pk)
            self.fields[f"points_{item.pk}"] = forms.CharField(
                label=f"{item.title}（满分 {item.max_points}）",
                required=False,
                initial=_plain(given.points) if given else "",
                widget=forms.NumberInput(attrs={**POINTS_ATTRS, "max": item.max_points}),
            )
            self.fields[f"text_{item.pk}"] = forms.CharField(
                label=self.text_label,
                required=False,
                max_length=TEXT_MAX,
                # The page has one box per item: the error names which one.
                error_messages={
                    "max_length": f"“{item.title}”的{self.text_label}最多 {TEXT_MAX} 字"
                    "（现在 %(show_value)d 字）。"
                },
                initial=_text_of(given) if given else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self):
        data = super().clean()
        for item in self.items:
            try:
                data[f"points_{item.pk}"] = parse_points(data.get(f"points_{item.pk}"), item)
            except ValidationError as e:
                self.add_error(f"points_{item.pk}", e)
        return data

    def scores(self) -> dict[int, tuple]:
        return {
            i.pk: (
                self.cleaned_data.get(f"points_{i.pk}"),
                self.cleaned_data.get(f"text_{i.pk}", ""),
            )
            for i in self.items
        }

    def grouped(self, rubric, *extras: dict):
        """[(dimension, [(item, points field, text field, *each extra's value
        for the item)])], in the rubric's order, for the template."""
        return [
            (
                d,
                [
                    (
                        i,
                        self[f"points_{i.pk}"],
                        self[f"text_{i.pk}"],
                        *(e.get(i.pk) for e in extras),
                    )
                    for i in d.items
                ],
            )
            for d in rubric.dimensions
        ]


class SelfScoresForm(ScoresForm):
    text_label = "自评说明"


class ExpertScoresForm(ScoresForm):
    text_label = "评语"


def _plain(points) -> str:
    """2.0 -> "2", 2.5 -> "2.5"."""
    return f"{points.normalize():f}" if points is not None else ""


def _text_of(score) -> str:
    return getattr(score, "note", None) or getattr(score, "comment", "") or ""


class AssignForm(forms.Form):
    experts = forms.ModelMultipleChoiceField(
        label="考核专家",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "请至少选择一位考核专家。",
            "invalid_choice": "所选专家不是本区县的考核专家。",
            "invalid_pk_value": "所选专家不是本区县的考核专家。",
        },
    )

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = experts
        self.fields["experts"].label_from_instance = lambda u: u.display_name


class AssignManyForm(AssignForm):
    schools = forms.ModelMultipleChoiceField(
        label="学校",
        queryset=None,
        error_messages={
            "required": "请至少勾选一所学校。",
            "invalid_choice": "所选学校不在本区县。",
            "invalid_pk_value": "所选学校不在本区县。",
        },
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = schools


class DistrictReasonForm(forms.Form):
    reason = forms.CharField(
        label="原因（学校会看到）",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写原因（学校会看到）。"},
    )
