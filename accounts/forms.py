from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Q

from .access import BEYOND_SCHOOL_MESSAGE, person_within_school
from .idnumbers import is_valid_id_number, is_valid_phone, normalize_id_number, normalize_phone
from .models import STAGES, IdNumberRefusal, SchoolMembership, User
from .params import whole_numbers
from .roster import MAX_BYTES
from .services import ID_CHECKS_SPENT, TeacherData, numbers_screen


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
    """Add a teacher to the school, or edit one of its teachers.

    Adding someone already on the platform (same ID number) is a transfer: it
    works only for a person with no place and no role anywhere else, and the
    person's own name, phone and password stay as they are (see `existing`).

    A number typed here is screened first (accounts.services.numbers_screen,
    with `by`, the admin): a refusal because it belongs to someone the school
    may not touch, or a phone held by someone outside it, is counted and
    audited, and once the school's daily budget is used up the form checks no
    number at all that day."""

    real_name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="手机号", max_length=11)
    id_number = forms.CharField(label="身份证号", max_length=18)
    subject = forms.CharField(label="学科", max_length=30, required=False)
    stage = forms.ChoiceField(
        label="学段", choices=[("", "—")] + [(s, s) for s in STAGES], required=False
    )
    is_full_time = forms.BooleanField(label="专任教师", required=False, initial=True)

    def __init__(
        self,
        *args,
        school,
        by=None,
        membership: SchoolMembership | None = None,
        full_time_held: str | None = None,
        id_number_held: str | None = None,
        **kwargs,
    ):
        self.school = school
        self.by = by
        self.membership = membership
        self.existing: User | None = None  # set by clean() for a transfer
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
            if id_number_held:  # the school's acceptance holds who its teachers are
                field.disabled = True
                field.help_text = f"当前：{membership.user.masked_id_number}。{id_number_held}"
            if full_time_held:
                # The school's acceptance holds the flag (accounts.holds): the
                # box shows it and a forged post keeps the saved value.
                self.fields["is_full_time"].disabled = True
                self.fields["is_full_time"].help_text = full_time_held

    def clean_phone(self):
        phone = normalize_phone(self.cleaned_data["phone"])
        if not is_valid_phone(phone):
            raise forms.ValidationError("请输入 11 位手机号。")
        return phone

    def clean_id_number(self):
        id_number = normalize_id_number(self.cleaned_data["id_number"])
        if not id_number and self.membership is not None:
            return self.membership.user.id_number
        if not is_valid_id_number(id_number):
            raise forms.ValidationError("请输入有效的 18 位身份证号。")
        return id_number

    def clean(self):
        cleaned = super().clean()
        phone, id_number = cleaned.get("phone"), cleaned.get("id_number")
        if not phone or not id_number:
            return cleaned
        me = self.membership.user if self.membership is not None else None
        new_id = me is None or id_number != me.id_number
        new_phone = me is None or phone != me.phone
        if new_id or new_phone:
            screen = numbers_screen(
                school=self.school,
                by=self.by,
                id_numbers=[id_number] if new_id else [],
                phones=[(phone, id_number)] if new_phone else [],
                via=IdNumberRefusal.Via.FORM if me is None else IdNumberRefusal.Via.EDIT,
            )
            if screen.spent:
                raise forms.ValidationError(ID_CHECKS_SPENT)
            if id_number in screen.beyond:
                self.add_error("id_number", BEYOND_SCHOOL_MESSAGE)
                return cleaned
        person = User.objects.filter(id_number=id_number).first()
        # Whoever has the number as phone or as login name holds it.
        holder = User.objects.filter(Q(phone=phone) | Q(username=phone)).first()
        if me is not None:
            self._clean_edit(me, person, holder, cleaned)
        elif person is not None:
            self._clean_transfer(person, holder)
        elif holder is not None:
            self.add_error("phone", "该手机号已被其他人使用。")
        return cleaned

    def _clean_edit(self, me, person, holder, cleaned):
        if person is not None and person.pk != me.pk:
            self.add_error("id_number", "该身份证号已属于平台上的另一个人。")
        if holder is not None and holder.pk != me.pk:
            self.add_error("phone", "该手机号已被其他人使用。")
        changed = (me.real_name, me.phone, me.id_number) != (
            cleaned.get("real_name"),
            cleaned.get("phone"),
            cleaned.get("id_number"),
        )
        if changed and not person_within_school(school_id=self.school.pk, user=me):
            raise forms.ValidationError(
                "该教师还担任本校以外的职务，姓名、手机号和身份证号不能由本校修改；"
                "如需更正，请联系区县教育局管理员。学科、学段和专任可以修改。"
            )

    def _clean_transfer(self, person, holder):
        if SchoolMembership.objects.active().filter(user=person, school=self.school).exists():
            self.add_error("id_number", "该教师已在本校名单中。")
        elif not person_within_school(school_id=self.school.pk, user=person):
            self.add_error("id_number", BEYOND_SCHOOL_MESSAGE)
        elif holder is not None and holder.pk != person.pk:
            self.add_error("phone", "该手机号已被其他人使用。")
        else:
            self.existing = person

    def teacher_data(self) -> TeacherData:
        return TeacherData(**self.cleaned_data)


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label="教师名单（.xlsx）",
        help_text="请使用名单模板；不超过 5 MB。任何一行有误时整份名单都不会导入。",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "data-max-bytes": MAX_BYTES}),
    )


class EmailForm(forms.Form):
    """通知邮箱: where the person's notices also go by e-mail (when the platform
    sends e-mail at all). Empty: none."""

    email = forms.EmailField(
        label="通知邮箱",
        required=False,
        max_length=254,
        help_text="填写后，站内消息（提醒、学时变动等）也会发送到此邮箱；留空则只在站内查看。",
        error_messages={"invalid": "请输入有效的邮箱地址，如 name@example.com。"},
    )


class ReminderForm(forms.Form):
    """提醒 on a list: a message (prefilled from what the people lack, which the
    sender may edit; {姓名} and the other fields in braces are filled in for
    each person) to the people ticked, or to everyone the list counts."""

    message = forms.CharField(
        label="提醒内容",
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "请填写提醒内容。",
            "max_length": "提醒内容最多 200 字。",
        },
    )
    everyone = forms.BooleanField(label="提醒名单中的所有人", required=False)

    def __init__(self, *args, fields_help: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if fields_help:
            self.fields["message"].help_text = fields_help

    def chosen(self, data) -> list[int] | None:
        """The ids ticked (`who`), or None for everyone on the list. Ids that
        are not numbers are dropped; the service keeps only people in scope."""
        if self.cleaned_data.get("everyone"):
            return None
        return whole_numbers(data.getlist("who"))
