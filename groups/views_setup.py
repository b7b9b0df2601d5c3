"""The school's set-up: training settings, 校本主题, and the 两案 with its .docx."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accounts.access import get_school_for, role_required
from accounts.exports import sandbox
from accounts.holds import held
from accounts.roles import Role
from accounts.selectors import cycle_current

from .forms import (
    PointFormSet,
    ScheduleFormSet,
    SchoolPlanForm,
    SchoolSettingsForm,
    TeamFormSet,
    ThemeForm,
    formset_rows,
)
from .holds import PLAN, THEME
from .plan_docx import plan_docx
from .selectors import (
    ability_points_for,
    school_plan_draft,
    school_plan_for,
    school_plan_points,
    school_settings_for,
    theme_for,
)
from .services import school_plan_save, school_settings_save, theme_save

SCHOOL_ROLES = (Role.SCHOOL_ADMIN, Role.INFO_TEAM, Role.LEADER, Role.TEACHER)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _no_cycle(request):
    messages.warning(request, "省工程办尚未设置研修周期，暂不能填写。")
    return redirect("home")


@role_required(Role.SCHOOL_ADMIN)
def settings_edit(request):
    school = get_school_for(request.grant, request.grant.school_id)
    current = school_settings_for(school=school)
    initial = {
        "framework": current.framework,
        "one_activity_per_day": current.one_activity_per_day,
        "teachers_choose_any_point": current.teachers_choose_any_point,
    }
    form = SchoolSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            school_settings_save(school=school, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "研修设置已保存。")
            return redirect("groups:theme")
    return render(request, "groups/settings_form.html", {"form": form, "school": school})


@role_required(*SCHOOL_ROLES)
def theme_detail(request):
    school = get_school_for(request.grant, request.grant.school_id)
    cycle = cycle_current()
    held_theme = held(school_id=school.pk, cycle=cycle, what=THEME, for_page=True)
    return render(
        request,
        "groups/theme_detail.html",
        {
            "school": school,
            "cycle": cycle,
            "theme": theme_for(school=school, cycle=cycle),
            "settings": school_settings_for(school=school),
            "is_admin": request.grant.role == Role.SCHOOL_ADMIN,
            "can_edit": request.grant.role == Role.SCHOOL_ADMIN and not held_theme,
            "held": held_theme,
        },
    )


@role_required(Role.SCHOOL_ADMIN)
def theme_edit(request):
    school = get_school_for(request.grant, request.grant.school_id)
    cycle = cycle_current()
    if cycle is None:
        return _no_cycle(request)
    theme = theme_for(school=school, cycle=cycle)
    chosen = [p.pk for p in theme.key_points.all()] if theme else []
    initial = (
        {"title": theme.title, "description": theme.description, "key_points": chosen}
        if theme
        else {}
    )
    form = ThemeForm(request.POST or None, initial=initial, school=school, chosen=chosen)
    if request.method == "POST" and form.is_valid():
        try:
            theme_save(school=school, cycle=cycle, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            count = len(form.cleaned_data["key_points"])
            messages.success(request, "校本主题已保存。")
            if count < 3:
                messages.warning(
                    request, f"只选了 {count} 个关键能力点；教师须至少选择 3 个能力点，建议补充。"
                )
            return redirect("groups:theme")
    context = {"form": form, "school": school, "cycle": cycle}
    context["held"] = held(school_id=school.pk, cycle=cycle, what=THEME, for_page=True)
    return render(request, "groups/theme_form.html", context)


@role_required(*SCHOOL_ROLES)
def plan_detail(request):
    school = get_school_for(request.grant, request.grant.school_id)
    cycle = cycle_current()
    plan = school_plan_for(school=school, cycle=cycle)
    return render(
        request,
        "groups/plan_detail.html",
        {
            "school": school,
            "cycle": cycle,
            "plan": plan,
            "point_rows": school_plan_points(plan=plan),
            "can_edit": request.grant.role in (Role.SCHOOL_ADMIN, Role.INFO_TEAM),
            "held": held(school_id=school.pk, cycle=cycle, what=PLAN, for_page=True),
        },
    )


@role_required(Role.SCHOOL_ADMIN, Role.INFO_TEAM)
def plan_edit(request):
    school = get_school_for(request.grant, request.grant.school_id)
    cycle = cycle_current()
    if cycle is None:
        return _no_cycle(request)
    plan, point_initial = school_plan_draft(school=school, cycle=cycle)
    choices = list(ability_points_for(school=school, include=[r["point"] for r in point_initial]))
    data = request.POST or None
    form = SchoolPlanForm(data, instance=plan)
    team = TeamFormSet(data, initial=plan.team, prefix="team")
    points = PointFormSet(
        data, initial=point_initial, prefix="points", form_kwargs={"points": choices}
    )
    schedule = ScheduleFormSet(data, initial=plan.schedule, prefix="schedule")
    sets = (team, points, schedule)
    if request.method == "POST" and form.is_valid() and all(s.is_valid() for s in sets):
        try:
            school_plan_save(
                school=school,
                cycle=cycle,
                fields=form.cleaned_data,
                team=formset_rows(team),
                points=formset_rows(points),
                schedule=formset_rows(schedule),
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "校本研修方案已保存。")
            return redirect("groups:plan")
    return render(
        request,
        "groups/plan_form.html",
        {
            "school": school,
            "cycle": cycle,
            "form": form,
            "team": team,
            "points": points,
            "schedule": schedule,
            "has_choices": bool(choices),
            "held": held(school_id=school.pk, cycle=cycle, what=PLAN, for_page=True),
        },
    )


@role_required(*SCHOOL_ROLES)
def plan_export(request):
    school = get_school_for(request.grant, request.grant.school_id)
    plan = school_plan_for(school=school, cycle=cycle_current())
    if plan is None:
        messages.warning(request, "本校尚未填写校本研修方案。")
        return redirect("groups:plan")
    plan.school = school
    response = HttpResponse(
        plan_docx(plan, points=school_plan_points(plan=plan)), content_type=DOCX
    )
    filename = f"{school.name}-校本研修方案.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return sandbox(response)
