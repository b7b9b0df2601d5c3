"""The form of a comment pinned to a moment of the lesson video."""

from django import forms

from .forms import OnceForm
from .models import VideoComment
from .moments import FORMAT_HINT, moment_label, moment_parse
from .services.moments import BODY_MAX


class VideoCommentForm(OnceForm):
    at = forms.CharField(
        label="视频时间点",
        max_length=12,
        widget=forms.TextInput(
            attrs={"placeholder": "分:秒，如 12:30", "autocomplete": "off", "class": "moment-at"}
        ),
        error_messages={"required": FORMAT_HINT},
    )
    body = forms.CharField(
        label="评论",
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "这一刻你看到了什么？"}),
        error_messages={
            "required": "请填写评论内容。",
            "max_length": f"评论最多 {BODY_MAX} 字，请精简后再发表。",
        },
    )

    def clean_at(self) -> int:
        second = moment_parse(self.cleaned_data["at"])
        if second is None:
            raise forms.ValidationError(FORMAT_HINT)
        if second > VideoComment.MAX_SECOND:
            raise forms.ValidationError(
                f"视频时间点须在 00:00 到 {moment_label(VideoComment.MAX_SECOND)} 之间。"
            )
        return second
