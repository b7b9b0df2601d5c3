"""The extension form (延期): the new last day and why, with its bounds."""

from django import forms

from .forms import DATE, OnceForm
from .services.extensions import EXTENSION_DAYS_AFTER_CYCLE


class ExtensionForm(OnceForm):
    until = forms.DateField(
        label="延至（含当天）",
        widget=DATE,
        error_messages={"required": "请选择延期到哪一天。", "invalid": "请输入有效的日期。"},
    )
    reason = forms.CharField(
        label="延期原因",
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写延期原因。", "max_length": "延期原因最多 200 字。"},
    )

    def __init__(self, *args, earliest, latest, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["until"]
        field.widget.attrs.update({"min": f"{earliest:%Y-%m-%d}", "max": f"{latest:%Y-%m-%d}"})
        field.help_text = (
            f"可选 {earliest:%Y-%m-%d} 至 {latest:%Y-%m-%d}：须晚于当前截止日期，"
            f"最晚为研修周期结束后 {EXTENSION_DAYS_AFTER_CYCLE} 天。"
        )
