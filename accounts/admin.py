from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction

from .figures import school_figures_changed
from .models import Cycle, PasswordReset, Region, RegionRole, School, SchoolMembership, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "real_name", "phone", "masked_id_number", "is_staff")
    search_fields = ("username", "real_name", "phone")
    fieldsets = BaseUserAdmin.fieldsets + (
        ("个人信息", {"fields": ("real_name", "phone", "id_number", "must_change_password")}),
    )

    @admin.display(description="身份证号")
    def masked_id_number(self, obj):
        return obj.masked_id_number


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
        "removed_at",
    )
    list_filter = ("is_school_admin", "is_info_team", "is_full_time")
    search_fields = ("user__real_name", "user__phone", "school__name")
    list_select_related = ("user", "school")
    raw_id_fields = ("user", "school")

    # The operator's edits change the school's figures like the school's own
    # forms do (accounts.figures); the old school too when a place moves.
    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            moved_from = form.initial.get("school") if "school" in form.changed_data else None
            school_figures_changed(school_ids=[obj.school_id, moved_from])

    def delete_model(self, request, obj):
        with transaction.atomic():
            super().delete_model(request, obj)
            school_figures_changed(school_ids=[obj.school_id])


@admin.register(RegionRole)
class RegionRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "region")
    list_filter = ("kind",)
    raw_id_fields = ("user", "region")


@admin.register(PasswordReset)
class PasswordResetAdmin(admin.ModelAdmin):
    """The audit trail of resets: read-only."""

    list_display = ("user", "by", "school", "at")
    list_select_related = ("user", "by", "school")
    search_fields = ("user__real_name", "by__real_name", "school__name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
