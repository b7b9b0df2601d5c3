"""Forms of 扫码签到: the leader's manual check-in, and the 签到表 as evidence."""

from django import forms

from .forms import OnceForm


class ManualCheckInForm(forms.Form):
    user = forms.ModelChoiceField(
        label="组员",
        queryset=None,
        empty_label="（选择未签到的组员）",
        error_messages={
            "required": "请选择要代签的组员。",
            "invalid_choice": "只能为本组尚未签到的组员代签。",
        },
    )
    reason = forms.CharField(
        label="代签原因",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "如：手机没电"}),
        error_messages={"required": "请填写代签原因（如：手机没电）。"},
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = members
        self.fields["user"].label_from_instance = lambda u: u.display_name


class CheckInEvidenceForm(OnceForm):
    """The closed 签到表 as evidence. As with any first evidence, the leader ticks
    a box that says how many designated members it credits; the box carries the
    number (the evidence service checks it is still the number)."""

    confirm_credit = forms.IntegerField(required=False, min_value=0)

    def __init__(self, *args, would_credit: int = 0, hours: int = 0, leader_included=False, **kw):
        super().__init__(*args, **kw)
        if would_credit and not self.is_bound:
            label = (
                f"确认：将签到表作为佐证材料上传后，将为 {would_credit} 名指定组员计入 {hours} 学时"
            )
            if leader_included:
                label += "（其中你本人的学时须经学校管理员确认后计入）"
            self.fields["confirm_credit"].widget = forms.CheckboxInput(
                attrs={"value": would_credit, "required": True}
            )
            self.fields["confirm_credit"].label = label
        elif not self.is_bound:
            self.fields["confirm_credit"].widget = forms.HiddenInput()
