from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .idnumbers import is_valid_id_number, is_valid_phone, normalize_id_number
from .models import SchoolMembership, User
from .roster import MAX_BYTES
from .services import TeacherData


class LoginForm(AuthenticationForm):
    username = forms.CharField(label="手机号或用户名", max_length=150)
    error_messages = {
        # One calm message whether the account exists or not.
        "invalid_login": "手机号/用户名或密码不正确，请重新输入。",
        "inactive": "手机号/用户名或密码不正确，请重新输入。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "inputmode": "text", "autofocus": True}
        )
        self.fields["password"].label = "密码"


class TeacherForm(forms.Form):
    real_name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="手机号", max_length=11)
    id_number = forms.CharField(label="身份证号", max_length=18)
    subject = forms.CharField(label="学科", max_length=30, required=False)
    stage = forms.CharField(label="学段", max_length=20, required=False)
    is_full_time = forms.BooleanField(label="专任教师", required=False, initial=True)

    def __init__(self, *args, school, membership: SchoolMembership | None = None, **kwargs):
        self.school = school
        self.membership = membership
        if membership is not None and "initial" not in kwargs:
            user = membership.user
            kwargs["initial"] = {
                "real_name": user.real_name,
                "phone": user.phone,
                "subject": membership.subject,
                "stage": membership.stage,
                "is_full_time": membership.is_full_time,
            }
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs["inputmode"] = "numeric"
        if membership is not None:
            # Never put the full number back on a screen: show it masked and take
            # a new one only when the admin types it.
            field = self.fields["id_number"]
            field.required = False
            field.label = "更正身份证号"
            field.help_text = f"当前：{membership.user.masked_id_number}。留空则不修改。"

    def _other_people(self):
        qs = User.objects.all()
        if self.membership is not None:
            qs = qs.exclude(pk=self.membership.user_id)
        return qs

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not is_valid_phone(phone):
            raise forms.ValidationError("请输入 11 位手机号。")
        if self._other_people().filter(phone=phone).exists():
            raise forms.ValidationError("该手机号已被其他人使用。")
        return phone

    def clean_id_number(self):
        id_number = normalize_id_number(self.cleaned_data["id_number"])
        if not id_number and self.membership is not None:
            return self.membership.user.id_number
        if not is_valid_id_number(id_number):
            raise forms.ValidationError("请输入有效的 18 位身份证号。")
        other = self._other_people().filter(id_number=id_number).first()
        if other is not None:
            place = SchoolMembership.objects.active().filter(user=other).first()
            if self.membership is not None or place is not None:
                raise forms.ValidationError("该身份证号已属于平台上的另一位教师。")
        return id_number

    def teacher_data(self) -> TeacherData:
        return TeacherData(**self.cleaned_data)


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label="教师名单（.xlsx）",
        help_text="请使用名单模板；不超过 5 MB。任何一行有误时整份名单都不会导入。",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "data-max-bytes": MAX_BYTES}),
    )
