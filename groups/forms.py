from django import forms

from accounts.texts import DOCUMENT_CHARS, NOTE_CHARS, capped

from .models import Framework, SchoolPlan
from .selectors import ability_points_for, group_member_candidates, school_teachers
from .services import PLAN_FIELDS


class TeacherChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class TeacherMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        subject = getattr(obj, "subject", "")
        return f"{obj.display_name}（{subject}）" if subject else obj.display_name


class GroupForm(forms.Form):
    name = forms.CharField(label="教研组名称", max_length=60)
    leader = TeacherChoiceField(
        label="教研组长",
        queryset=None,
        required=False,
        empty_label="（暂不指定）",
        error_messages={"invalid_choice": "教研组长须是本校在职教师。"},
    )

    def __init__(self, *args, school_id: int, name_held: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = school_teachers(school_id=school_id)
        if name_held:
            # The acceptance holds the name (groups.holds.GROUPS): the field
            # shows it fixed, with why, and a forged post keeps the saved one.
            self.fields["name"].disabled = True
            self.fields["name"].help_text = name_held


class MemberAddForm(forms.Form):
    users = TeacherMultipleChoiceField(
        label="选择组员",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "请至少选择一位教师。",
            "invalid_choice": "只能添加本校尚未加入本组的在职教师。",
            "invalid_pk_value": "只能添加本校尚未加入本组的在职教师。",
        },
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        # Checked against every candidate, whatever page or search they were ticked on;
        # the page lists its own choices (never the whole school through the widget).
        self.fields["users"].queryset = group_member_candidates(group=group)


class GroupPlanForm(forms.Form):
    plan = capped(
        forms.CharField(
            label="教研组研修计划",
            widget=forms.Textarea(attrs={"rows": 12}),
            help_text="写明研修专题、研修活动安排（时间、类型、学时）及对应的关键能力点。",
            error_messages={"required": "研修计划不能为空。"},
        ),
        DOCUMENT_CHARS,
    )
    points = forms.ModelMultipleChoiceField(
        label="本组针对的能力点",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="勾选本组研修专题要针对的能力点，平台据此检查计划与实施是否一致。",
        error_messages={"invalid_choice": "所选能力点不在本校的能力点框架中。"},
    )

    def __init__(self, *args, school, chosen: list[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["points"].queryset = ability_points_for(school=school, include=chosen)
        self.fields["points"].label_from_instance = lambda p: f"{p.code} {p.name}"


class PointMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        extra = " · ".join(x for x in (obj.mode, obj.dimension) if x)
        label = f"{obj.code} {obj.name}"
        return f"{label}（{extra}）" if extra else label


class ThemeForm(forms.Form):
    title = forms.CharField(label="校本主题", max_length=200)
    description = capped(
        forms.CharField(label="主题说明", required=False, widget=forms.Textarea(attrs={"rows": 4})),
        NOTE_CHARS,
    )
    key_points = PointMultipleChoiceField(
        label="关键能力点",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="通常选择 3 个或以上；教师一般在关键能力点中选择自己的能力点。",
        error_messages={
            "required": "请至少选择一个关键能力点。",
            "invalid_choice": "所选能力点不在本校的能力点框架中。",
        },
    )

    def __init__(self, *args, school, chosen: list[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_points"].queryset = ability_points_for(school=school, include=chosen)


class SchoolSettingsForm(forms.Form):
    framework = forms.ModelChoiceField(
        label="能力点框架",
        queryset=Framework.objects.all(),
        empty_label=None,
        error_messages={"invalid_choice": "请选择有效的能力点框架。"},
    )
    one_activity_per_day = forms.BooleanField(
        label="同一教研组一天只能有一个研修活动",
        required=False,
        help_text="省工程办提示：绝对不能出现一个教研组一天有两个研修活动（建议保持开启）。",
    )
    teachers_choose_any_point = forms.BooleanField(
        label="教师可选校本关键能力点以外的能力点",
        required=False,
        help_text="不勾选时，教师只能在本校校本主题的关键能力点中选择自己的能力点（至少 3 个）。",
    )


class SchoolPlanForm(forms.ModelForm):
    class Meta:
        model = SchoolPlan
        fields = PLAN_FIELDS
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("goal_basic", "goal_teachers", "goal_students", "goal_school")
        } | {
            "assessment": forms.Textarea(attrs={"rows": 5}),
            "mechanisms": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "stages": "如：小学、初中",
            "goal_basic": "例：每位教师完成 25 学时的校本实践，并通过三个能力点来证明这些实践。",
            "theme": "从学校信息化教学模式的角度确定本校研修主题，作为能力点选择的依据。",
            "format": "如：异步在线课程+线下课堂实践",
            "assessment": (
                "本年度教师应达到的考核要求：研修活动参与、研修成果、微能力数量、测评通过率等。"
            ),
            "mechanisms": "为使整校推进顺利开展，学校采用的机制。",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's text columns have no length: each section is capped here.
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                capped(field, NOTE_CHARS)


class RowForm(forms.Form):
    """One row of a plan table, rendered inline in the page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "DELETE":
                field.widget.attrs.update(
                    {"class": "form-control form-control-sm", "aria-label": field.label}
                )


class TeamRowForm(RowForm):
    name = forms.CharField(label="姓名", max_length=50, required=False)
    age = forms.CharField(label="年龄", max_length=10, required=False)
    education = forms.CharField(label="学历", max_length=30, required=False)
    major = forms.CharField(label="专业", max_length=50, required=False)
    title = forms.CharField(label="职务", max_length=50, required=False)

    def clean_age(self):
        age = self.cleaned_data["age"].strip()
        if age and (not age.isdigit() or not 18 <= int(age) <= 80):
            raise forms.ValidationError("年龄应为 18–80 之间的整数。")
        return age


class PointRowForm(RowForm):
    """One ability point of the school's framework and the reason for choosing it.

    The choices come from one list handed to every row (form_kwargs `points`), so
    a plan with many rows still costs one query for its choices."""

    point = forms.TypedChoiceField(
        label="微能力名称",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "所选能力点不在本校的能力点框架中。"},
    )
    reason = forms.CharField(
        label="选择理由", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, points=(), **kwargs):
        self.by_pk = {p.pk: p for p in points}
        super().__init__(*args, **kwargs)
        choices = [("", "（请选择能力点）")]
        choices += [(p.pk, f"{p}{'（已停用）' if p.retired else ''}") for p in points]
        self.fields["point"].choices = choices
        self.fields["point"].widget.attrs["class"] = "form-select form-select-sm"

    def clean(self):
        data = super().clean()
        if data.get("reason") and not data.get("point") and "point" not in self.errors:
            self.add_error("point", "请选择这条理由对应的能力点。")
        data["point"] = self.by_pk.get(data.get("point"))
        return data


class BasePointFormSet(forms.BaseFormSet):
    def clean(self):
        seen = set()
        for form in self.forms:
            point = (form.cleaned_data or {}).get("point")
            if point is None or form.cleaned_data.get("DELETE"):
                continue
            if point.pk in seen:
                raise forms.ValidationError(f"能力点“{point}”重复出现，每个能力点只需填写一次。")
            seen.add(point.pk)


class ScheduleRowForm(RowForm):
    when = forms.CharField(label="时间", max_length=60, required=False)
    content = capped(
        forms.CharField(label="内容", required=False, widget=forms.Textarea(attrs={"rows": 3})),
        NOTE_CHARS,
    )
    owner = forms.CharField(label="负责人", max_length=60, required=False)


class GroupScheduleRowForm(RowForm):
    """One month of a group plan's schedule (stored as "2026-09")."""

    month = forms.CharField(
        label="月份",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "如 2026-09"}),
    )
    content = forms.CharField(label="安排内容", max_length=500, required=False)

    def clean(self):
        from accounts.selectors import cycle_current

        from .months import month_key, plan_months

        data = super().clean()
        when, content = data.get("month", "").strip(), data.get("content", "").strip()
        if not when and not content:
            return data
        cycle = cycle_current()
        if cycle is None:
            raise forms.ValidationError("平台尚未设置研修周期，暂不能填写按月安排。")
        months = plan_months(when, starts_on=cycle.starts_on, ends_on=cycle.ends_on)
        if not months or len(months) != 1:
            self.add_error("month", "请填写一个月份，如 2026-09。")
        else:
            data["month"] = month_key(months[0])
        return data


TeamFormSet = forms.formset_factory(TeamRowForm, extra=0, can_delete=True)
PointFormSet = forms.formset_factory(
    PointRowForm, formset=BasePointFormSet, extra=0, can_delete=True
)
ScheduleFormSet = forms.formset_factory(ScheduleRowForm, extra=0, can_delete=True)
GroupScheduleFormSet = forms.formset_factory(GroupScheduleRowForm, extra=0, can_delete=True)


def formset_rows(formset) -> list[dict]:
    return [
        {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


class RemovalForm(forms.Form):
    reason = forms.CharField(
        label="移除原因",
        max_length=200,
        initial="调岗",
        help_text="如：调往某某学校、退休、离职。",
        error_messages={"required": "请填写移除原因。"},
    )
    confirm = forms.BooleanField(
        label="我已了解上述记录将被清除，且无法恢复",
        error_messages={"required": "请勾选确认后再移除。"},
    )


class AbilityPointImportForm(forms.Form):
    file = forms.FileField(
        label="能力点清单文件",
        help_text=(
            "Excel .xlsx 或 .csv；列：framework, code, name, mode, dimension, description, evidence"
        ),
    )
    retire_missing = forms.BooleanField(
        label="文件中未列出的同框架能力点设为停用",
        required=False,
        initial=True,
    )
