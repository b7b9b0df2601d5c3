"""The school admin's roster: list, add, edit, reset a password, import."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..access import get_school_for, get_staff_member, role_required
from ..exports import roster_xlsx, xlsx_response
from ..forms import RosterImportForm, TeacherForm
from ..roles import Role
from ..roster import RosterFileError, roster_import, roster_template
from ..selectors import roster
from ..services import initial_password, teacher_add, teacher_password_reset, teacher_update


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


@role_required(Role.SCHOOL_ADMIN)
def teacher_create(request):
    school = get_school_for(request.grant, request.grant.school_id)
    form = TeacherForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        membership = teacher_add(school=school, data=form.teacher_data())
        messages.success(
            request,
            f"已添加教师 {membership.user.real_name}，初始密码为身份证号后 6 位"
            f"（{initial_password(membership.user.id_number)[:2]}****），首次登录须修改。",
        )
        return redirect("accounts:roster")
    return render(request, "accounts/teacher_form.html", {"form": form, "school": school})


@role_required(Role.SCHOOL_ADMIN)
def teacher_edit(request, membership_id: int):
    membership = get_staff_member(request.grant, membership_id)
    form = TeacherForm(request.POST or None, school=membership.school, membership=membership)
    if request.method == "POST" and form.is_valid():
        if teacher_update(membership=membership, data=form.teacher_data()):
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
        },
    )


@role_required(Role.SCHOOL_ADMIN)
@require_POST
def teacher_password_reset_view(request, membership_id: int):
    membership = get_staff_member(request.grant, membership_id)
    hint = teacher_password_reset(membership=membership)
    messages.success(
        request,
        f"已将 {membership.user.real_name} 的密码重置为初始密码（{hint}），"
        "登录锁定已解除；其下次登录时须修改密码。",
    )
    return redirect("accounts:teacher_edit", membership_id=membership.pk)


@role_required(Role.SCHOOL_ADMIN)
def roster_import_view(request):
    school = get_school_for(request.grant, request.grant.school_id)
    form = RosterImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = roster_import(school=school, uploaded=form.cleaned_data["file"])
        except RosterFileError as exc:
            form.add_error("file", str(exc))
        else:
            if result.ok:
                messages.success(
                    request,
                    f"导入完成：新增 {result.created} 人，更新 {result.updated} 人，"
                    f"{result.unchanged} 人无变化。",
                )
                return redirect("accounts:roster")
    return render(
        request,
        "accounts/roster_import.html",
        {
            "form": form,
            "school": school,
            "result": result,
        },
    )


@role_required(Role.SCHOOL_ADMIN)
def roster_template_download(request):
    return xlsx_response(roster_template(), "教师名单模板.xlsx")
