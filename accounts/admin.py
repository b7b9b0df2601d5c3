from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction

from .figures import school_figures_changed
from .holds import OPERATOR, held_record, person_line
from .models import (
    Cycle,
    IdNumberRefusal,
    PasswordReset,
    Region,
    RegionRole,
    Reminder,
    School,
    SchoolMembership,
    User,
)
from .places import place_records
from .selectors import cycle_current

# Django stores a model's four permissions with English names made at migrate
# time ("Can change 研修周期"); the operator reads them in Chinese.
PERMISSION_VERBS = {"add": "可添加", "change": "可修改", "delete": "可删除", "view": "可查看"}


def permission_label(permission: Permission) -> str:
    """ "人员与学校 | 研修周期 | 可修改研修周期" for Django's default permissions;
    a custom permission keeps the name it was given."""
    model = permission.content_type.model_class()
    verb = permission.codename.split("_", 1)[0]
    if model is None or permission.codename != f"{verb}_{model._meta.model_name}":
        return str(permission)
    if verb not in PERMISSION_VERBS:
        return str(permission)
    return f"{permission.content_type} | {PERMISSION_VERBS[verb]}{model._meta.verbose_name}"


class ChinesePermissionsMixin:
    """Permission choices (users' and groups') labelled in Chinese."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.remote_field.model is Permission:
            field.label_from_instance = permission_label
        return field


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ChinesePermissionsMixin, BaseGroupAdmin):
    pass


@admin.register(User)
class UserAdmin(ChinesePermissionsMixin, BaseUserAdmin):
    list_display = ("username", "real_name", "phone", "masked_id_number", "is_staff")
    search_fields = ("username", "real_name", "phone")
    fieldsets = BaseUserAdmin.fieldsets + (
        ("个人信息", {"fields": ("real_name", "phone", "id_number", "must_change_password")}),
    )

    @admin.display(description="身份证号")
    def masked_id_number(self, obj):
        return obj.masked_id_number

    def get_deleted_objects(self, objs, request):
        """Their places go with them: one that carries records only 调岗移除
        may clear protects the person, as it protects itself (below)."""
        deleted, counts, perms, protected = super().get_deleted_objects(objs, request)
        places = SchoolMembership.objects.filter(user__in=[u.pk for u in objs]).select_related(
            "user", "school"
        )
        return deleted, counts, perms, [*protected, *_in_use(places)]

    # Deleting a person deletes their places (CASCADE): their schools' figures
    # follow, as when the operator deletes a place (outside test 7).
    def delete_model(self, request, obj):
        self.delete_queryset(request, User.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            places = list(SchoolMembership.objects.filter(user__in=queryset).select_related("user"))
            _lock_unused([p.pk for p in places])
            for place in places:  # as the place's own delete keeps it (below)
                if place.removed_at is None:
                    _held_line(request, place, f"运营人员删除任职 {person_line(place.user)}")
            super().delete_queryset(request, queryset)
            school_figures_changed(school_ids=[p.school_id for p in places])


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "level", "parent")
    list_filter = ("level",)
    search_fields = ("name", "code")


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "region")
    search_fields = ("name", "code")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ("name", "starts_on", "ends_on")


class SchoolMembershipForm(forms.ModelForm):
    """The operator's place form: one active place a person (said, not a 500
    from the database's constraint), and no 教师 unticked on a place that
    carries records only 调岗移除 may clear (a leader kept the role and the
    group with no teaching place; outside test 14 F2, F7)."""

    class Meta:
        model = SchoolMembership
        fields = (
            "user",
            "school",
            "is_school_admin",
            "is_info_team",
            "is_teacher",
            "is_full_time",
            "subject",
            "stage",
            "joined_at",
            "added_by",
        )

    def clean(self):
        data = super().clean()
        place = self.instance
        if place.pk is None and (user := data.get("user")):
            other = SchoolMembership.objects.active().filter(user=user).select_related("school")
            if other := other.first():
                raise forms.ValidationError(
                    f"{user.display_name}已在{other.school.name}任职：一人同时只在一所学校任职。"
                )
        unticked = place.pk and place.is_teacher and data.get("is_teacher") is False
        if unticked and (records := place_records(place)):
            raise forms.ValidationError(
                f"该任职还有研修记录（{'；'.join(records)}），不能取消“教师”。"
                "不再任教请由学校在教师名单中“调岗移除”。"
            )
        return data


@admin.register(SchoolMembership)
class SchoolMembershipAdmin(admin.ModelAdmin):
    form = SchoolMembershipForm
    list_display = (
        "user",
        "school",
        "is_school_admin",
        "is_info_team",
        "is_teacher",
        "is_full_time",
        "joined_at",
        "added_by",
        "removed_at",
    )
    list_filter = ("is_school_admin", "is_info_team", "is_full_time")
    search_fields = ("user__real_name", "user__phone", "school__name")
    list_select_related = ("user", "school", "added_by")
    raw_id_fields = ("user", "school", "added_by")
    # A place is removed by 调岗移除 (the school's roster), which clears the
    # teacher's groups, leaderships and credits there; set here, it left them
    # all standing (outside test 7). Moving a place to another school (or to
    # another person) would do the same without a removal: a move is a removal
    # and a new place, so an existing place keeps its school and person.
    readonly_fields = ("removed_at",)

    def get_readonly_fields(self, request, obj=None):
        # The day a place began decides whom an offline activity may credit
        # (activities.window.place_began_refusal): it is not moved afterwards.
        if obj is not None:
            return ("removed_at", "user", "school", "joined_at")
        return self.readonly_fields

    # The operator's edits change the school's figures like the school's own
    # forms do (accounts.figures); those that move the 95% gate's count while
    # the school's acceptance holds its records are kept in its history, as
    # the school's own removals and additions are (accounts.holds).
    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            school_figures_changed(school_ids=[obj.school_id])
            if not change or {"is_teacher", "is_full_time"} & set(form.changed_data):
                yes = {True: "是", False: "否"}
                _held_line(
                    request,
                    obj,
                    f"运营人员{'修改' if change else '添加'}任职 {person_line(obj.user)}："
                    f"教师 {yes[obj.is_teacher]}，专任教师 {yes[obj.is_full_time]}",
                )

    def get_deleted_objects(self, objs, request):
        """A place that carries records only 调岗移除 may clear is protected:
        the delete page (one or 删除所选) names them and deletes nothing."""
        deleted, counts, perms, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, perms, [*protected, *_in_use(objs)]

    def delete_model(self, request, obj):
        with transaction.atomic():
            _lock_unused([obj.pk])
            _held_line(request, obj, f"运营人员删除任职 {person_line(obj.user)}")
            super().delete_model(request, obj)
            school_figures_changed(school_ids=[obj.school_id])

    def delete_queryset(self, request, queryset):
        """删除所选 (the bulk action): the schools of every place deleted."""
        with transaction.atomic():
            places = list(queryset.select_related("user"))
            _lock_unused([p.pk for p in places])
            for place in places:
                _held_line(request, place, f"运营人员删除任职 {person_line(place.user)}")
            super().delete_queryset(request, queryset)
            school_figures_changed(school_ids=[p.school_id for p in places])


def _lock_unused(place_ids: list[int]) -> None:
    """Lock the places (the row a school's 换组长 or 添加组员 locks) and ask
    again what they carry: the delete page asked before, and a leader named
    in between would be left without a place (outside test 14 F1). Refused
    (403, naming it) if anything now. Call inside atomic()."""
    locked = (
        SchoolMembership.objects.select_for_update(of=("self",))
        .filter(pk__in=place_ids)
        .select_related("user", "school")
        .order_by("pk")
    )
    if stopped := _in_use(list(locked)):
        raise PermissionDenied("；".join(stopped))


def _in_use(places) -> list[str]:
    """Each active place that carries records (accounts.places), as the delete
    page lists what stops it."""
    out = []
    for place in places:
        if records := place_records(place):
            out.append(
                f"{place.user.display_name}在{place.school.name}的任职：{'；'.join(records)}。"
                "请由学校在教师名单中“调岗移除”（清除这些记录并留下移除记录），不能在此删除"
            )
    return out


def _held_line(request, place: SchoolMembership, line: str) -> None:
    held_record(
        school_id=place.school_id,
        cycle=cycle_current(),
        kind=OPERATOR,
        lines=[line],
        by=request.user,
    )


@admin.register(RegionRole)
class RegionRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "region")
    list_filter = ("kind",)
    raw_id_fields = ("user", "region")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written only by the platform's services (audit trails, the
    ledger, reminders): the operator reads them; nobody adds, edits or deletes
    them here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PasswordReset)
class PasswordResetAdmin(ReadOnlyAdmin):
    """The audit trail of resets: read-only."""

    list_display = ("user", "by", "school", "at")
    list_select_related = ("user", "by", "school")
    search_fields = ("user__real_name", "by__real_name", "school__name")


@admin.register(IdNumberRefusal)
class IdNumberRefusalAdmin(ReadOnlyAdmin):
    """The audit of numbers schools were refused (attack report 1 §1, outside
    test 8): read-only."""

    list_display = ("at", "school", "by", "masked_id_number", "masked_phone", "via")
    list_filter = ("via",)
    list_select_related = ("school", "by")
    search_fields = ("school__name", "by__real_name")


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    """提醒记录: who was reminded of what, on which day, by whom (empty: the daily job)."""

    list_display = ("sent_at", "user", "kind", "by", "message")
    list_filter = ("day",)
    list_select_related = ("user", "by")
    search_fields = ("user__real_name", "kind")
