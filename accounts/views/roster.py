"""The school admin's roster: list, add, edit, reset a password, import.

Generated passwords are shown once, in the response to the POST that made
them, and stored nowhere in clear: the page (or the .xlsx it carries) is the
only copy, sent with Cache-Control: no-store."""

import base64

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..access import get_school_for, get_staff_member, person_within_school, role_required
from ..exports import XLSX, passwords_xlsx, roster_xlsx, xlsx_response
from ..forms import RosterImportForm, TeacherForm
from ..holds import FULL_TIME, ID_NUMBER, held
from ..roles import Role
from ..roster import RosterFileError, roster_import, roster_template
from ..selectors import cycle_current, roster
from ..services import (
    IssuedPassword,
    PersonBeyondSchool,
    teacher_add,
    teacher_password_reset,
    teacher_update,
    teachers_passwords_reissue,
)


@role_required(Role.SCHOOL_ADMIN)
def roster_list(request):
    school = get_school_for(request.grant, request.grant.school_id)
    search = request.GET.get("q", "").strip()
    full_time = request.GET.get("full_time", "")
    teachers = roster(school_id=school.id, search=search, full_time=full_time)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(roster_xlsx(teachers), f"{school.name}-教师名单.xlsx")
    page = Paginator(teachers, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/roster_list.html",
        {
            "school": school,
            "page": page,
            "search": search,
            "full_time": full_time,
            "total": page.paginator.count,
        },
    )


@never_cache
@role_required(Role.SCHOOL_ADMIN)
def teacher_create(request):
    school = get_school_for(request.grant, request.grant.school_id)
    form = TeacherForm(request.POST or None, school=school, by=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.teacher_data()
        try:
            added = teacher_add(school=school, data=data, by=request.user)
        except PersonBeyondSchool as exc:  # became so since the form was checked
            form.add_error("id_number", str(exc))
        except ValidationError as exc:  # a 专任教师 who left, back as 非专任 while held
            form.add_error(None, exc)
        else:
            if added is None:
                messages.info(request, f"{data.real_name} 已在本校名单中（重复提交只添加一次）。")
                return redirect("accounts:roster")
            if added.passwords:
                return render(
                    request,
                    "accounts/password_once.html",
                    {"issued": added.passwords[0], "school": school, "reason": "added"},
                )
            person = added.existing[0]
            kept = ""
            if (person.real_name, person.phone) != (data.real_name, data.phone):
                kept = (
                    f"表中填写的姓名或手机号与平台登记不同，未采用：仍为“{person.real_name}”、"
                    f"{person.phone}，如需更正可在名单中编辑。"
                )
            messages.success(
                request,
                f"已将 {person.real_name} 加入本校。该教师已在平台上有账号，"
                "继续用原来的手机号和密码登录。" + kept,
            )
            return redirect("accounts:roster")
    return render(request, "accounts/teacher_form.html", {"form": form, "school": school})


@role_required(Role.SCHOOL_ADMIN)
def teacher_edit(request, membership_id: int):
    membership = get_staff_member(request.grant, membership_id)
    hold = {"school_id": membership.school_id, "cycle": cycle_current(), "for_page": True}
    form = TeacherForm(
        request.POST or None,
        school=membership.school,
        by=request.user,
        membership=membership,
        full_time_held=held(**hold, what=FULL_TIME),
        id_number_held=held(**hold, what=ID_NUMBER),
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = teacher_update(
                membership=membership, data=form.teacher_data(), by=request.user
            )
        except ValidationError as exc:  # held since the page was shown
            form.add_error(None, exc)
        else:
            if changed:
                messages.success(request, f"已保存 {membership.user.real_name} 的信息。")
            else:
                messages.info(request, "没有需要保存的修改。")
            return redirect("accounts:roster")
    return render(
        request,
        "accounts/teacher_form.html",
        {
            "form": form,
            "school": membership.school,
            "membership": membership,
            "can_reset": person_within_school(school_id=membership.school_id, user=membership.user),
        },
    )


@never_cache
@role_required(Role.SCHOOL_ADMIN)
@require_POST
def teacher_password_reset_view(request, membership_id: int):
    membership = get_staff_member(request.grant, membership_id)
    try:
        password = teacher_password_reset(membership=membership, by=request.user)
    except PersonBeyondSchool:
        messages.error(
            request,
            f"{membership.user.real_name} 还担任本校以外的职务，密码不能由本校重置；"
            "请其联系区县教育局管理员或省工程办。",
        )
        return redirect("accounts:teacher_edit", membership_id=membership.pk)
    user = membership.user
    return render(
        request,
        "accounts/password_once.html",
        {
            "issued": IssuedPassword(user.real_name, user.phone or user.username, password),
            "school": membership.school,
            "reason": "reset",
            "membership": membership,
        },
    )


@never_cache
@role_required(Role.SCHOOL_ADMIN)
def roster_import_view(request):
    school = get_school_for(request.grant, request.grant.school_id)
    form = RosterImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = roster_import(
                school=school, uploaded=form.cleaned_data["file"], by=request.user
            )
        except RosterFileError as exc:
            form.add_error("file", str(exc))
        else:
            if result.ok:
                return render(
                    request,
                    "accounts/roster_import_done.html",
                    {"school": school, "result": result, "slip": _slip_data_url(result.passwords)},
                )
    return render(
        request,
        "accounts/roster_import.html",
        {
            "form": form,
            "school": school,
            "result": result,
        },
    )


@never_cache
@role_required(Role.SCHOOL_ADMIN)
@require_POST
def roster_passwords_reissue(request):
    school = get_school_for(request.grant, request.grant.school_id)
    issued = teachers_passwords_reissue(school=school, by=request.user)
    if not issued:
        messages.info(request, "没有需要重新生成初始密码的教师（所有教师都已登录过）。")
        return redirect("accounts:roster")
    return render(
        request,
        "accounts/passwords_reissued.html",
        {"school": school, "count": len(issued), "slip": _slip_data_url(issued)},
    )


def _slip_data_url(issued) -> str:
    """The one-time .xlsx of new initial passwords, inside the page itself (a
    data: URL behind a download link): it exists only in this response, so
    nothing on the server holds the passwords in clear, and it is gone once the
    admin leaves the page."""
    if not issued:
        return ""
    content = base64.b64encode(passwords_xlsx(issued)).decode("ascii")
    return f"data:{XLSX};base64,{content}"


@role_required(Role.SCHOOL_ADMIN)
def roster_template_download(request):
    return xlsx_response(roster_template(), "教师名单模板.xlsx")
