"""The operator reads the 延期 trail; extensions are granted and refused only
through activities.services.extensions, so the admin changes nothing."""

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin

from .models import Extension


@admin.register(Extension)
class ExtensionAdmin(ReadOnlyAdmin):
    list_display = ("granted_at", "teacher", "school", "scope", "activity", "until", "granted_by")
    list_filter = ("scope", "cycle")
    list_select_related = ("teacher", "school", "activity", "granted_by")
    search_fields = ("teacher__real_name", "school__name", "reason")
    raw_id_fields = ("teacher", "school", "activity", "granted_by")
