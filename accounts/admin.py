from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, Permission
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


@admin.register(SchoolMembership)
class SchoolMembershipAdmin(admin.ModelAdmin):
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
        return ("removed_at", "user", "school") if obj is not None else self.readonly_fields

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
            _held_line(request, obj, f"运营人员删除任职 {person_line(obj.user)}")
            super().delete_model(request, obj)
            school_figures_changed(school_ids=[obj.school_id])

    def delete_queryset(self, request, queryset):
        """删除所选 (the bulk action): the schools of every place deleted."""
        with transaction.atomic():
            places = list(queryset.select_related("user"))
            for place in places:
                _held_line(request, place, f"运营人员删除任职 {person_line(place.user)}")
            super().delete_queryset(request, queryset)
            school_figures_changed(school_ids=[p.school_id for p in places])


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
