"""Read-only admin: the ledger is append-only; corrections go through hours.services."""

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin

from .models import HoursClaim, HoursEntry, HoursRegistration, HoursSummary, RegistrationBatch


@admin.register(HoursEntry)
class HoursEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "teacher", "kind", "hours", "category", "title", "reason", "by"]
    list_filter = ["kind", "category", "cycle"]
    search_fields = ["teacher__real_name", "title"]
    list_select_related = ["teacher", "by"]
    raw_id_fields = ["teacher", "by", "reverses"]


@admin.register(HoursSummary)
class HoursSummaryAdmin(ReadOnlyAdmin):
    list_display = ["teacher", "cycle", "recorded", "updated_at"]
    list_select_related = ["teacher", "cycle"]
    search_fields = ["teacher__real_name"]


@admin.register(RegistrationBatch)
class RegistrationBatchAdmin(ReadOnlyAdmin):
    list_display = ["school", "cycle", "status", "done", "total", "registered", "by", "created_at"]
    list_select_related = ["school", "cycle", "by"]


@admin.register(HoursRegistration)
class HoursRegistrationAdmin(ReadOnlyAdmin):
    list_display = ["teacher", "school", "cycle", "hours", "recorded", "registered_at"]
    list_select_related = ["teacher", "school", "cycle"]
    search_fields = ["teacher__real_name"]


@admin.register(HoursClaim)
class HoursClaimAdmin(ReadOnlyAdmin):
    """Leaders' own hours waiting for (or decided by) a school admin; decided in the
    school's 组长学时确认 page, never here."""

    list_display = ["requested_at", "teacher", "school", "title", "hours", "status", "decided_by"]
    list_filter = ["status", "cycle"]
    search_fields = ["teacher__real_name", "title"]
    list_select_related = ["teacher", "school", "decided_by"]
    raw_id_fields = ["teacher", "decided_by", "credit"]
