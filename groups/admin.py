import posixpath

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html_join

from accounts.admin import ReadOnlyAdmin

from .catalogue import CatalogueFileError, ability_point_in_use, ability_points_import
from .forms import AbilityPointImportForm
from .models import (
    AbilityPoint,
    ClearedRecord,
    Framework,
    GroupMember,
    ResearchGroup,
    SchoolPlan,
    SchoolSettings,
    SchoolTheme,
    TeacherRemoval,
    model_label,
)


class PointInline(admin.TabularInline):
    model = AbilityPoint
    fields = ("code", "name", "mode", "dimension", "retired")
    extra = 0
    show_change_link = True

    def has_delete_permission(self, request, obj=None):
        return False  # retire points instead (they may be in use)


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ("name", "description")
    inlines = [PointInline]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.points.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(AbilityPoint)
class AbilityPointAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "framework", "mode", "dimension", "retired")
    list_filter = ("framework", "dimension", "mode", "retired")
    search_fields = ("code", "name")
    actions = ["retire", "restore"]
    change_list_template = "admin/groups/abilitypoint/change_list.html"

    def get_urls(self):
        extra = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="groups_abilitypoint_import",
            )
        ]
        return extra + super().get_urls()

    def import_view(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = AbilityPointImportForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = ability_points_import(
                    name=upload.name,
                    file=upload,
                    retire_missing=form.cleaned_data["retire_missing"],
                )
            except CatalogueFileError as exc:
                form.add_error("file", str(exc))
            else:
                if result.ok:
                    self.message_user(
                        request,
                        f"导入完成（{'、'.join(result.frameworks)}）：新增 {result.created} 个，"
                        f"更新 {result.updated} 个，停用 {result.retired} 个。",
                        messages.SUCCESS,
                    )
                    return redirect("admin:groups_abilitypoint_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": "导入能力点清单",
            "form": form,
            "result": result,
            "opts": self.model._meta,
        }
        return render(request, "admin/groups/abilitypoint/import.html", context)

    def has_delete_permission(self, request, obj=None):
        # A point in use is retired, never deleted.
        if obj is not None and ability_point_in_use(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # The bulk delete action would bypass the per-point check above.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="停用所选能力点")
    def retire(self, request, queryset):
        n = queryset.update(retired=True)
        self.message_user(request, f"已停用 {n} 个能力点。")

    @admin.action(description="恢复所选能力点")
    def restore(self, request, queryset):
        n = queryset.update(retired=False)
        self.message_user(request, f"已恢复 {n} 个能力点。")


@admin.register(SchoolSettings)
class SchoolSettingsAdmin(admin.ModelAdmin):
    list_display = ("school", "framework", "one_activity_per_day", "teachers_choose_any_point")
    list_select_related = ("school", "framework")
    search_fields = ("school__name",)
    autocomplete_fields = ("school",)


@admin.register(SchoolTheme)
class SchoolThemeAdmin(admin.ModelAdmin):
    list_display = ("title", "school", "cycle", "updated_at")
    list_select_related = ("school", "cycle")
    search_fields = ("title", "school__name")
    filter_horizontal = ("key_points",)


class MemberInline(admin.TabularInline):
    model = GroupMember
    extra = 0
    raw_id_fields = ("user",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ResearchGroup)
class ResearchGroupAdmin(ReadOnlyAdmin):
    """The school's groups, read here. They are the school's to set, on its
    pages, which check that a leader and the members hold an active teacher
    place in the group's school (locking it, as 调岗移除 does), keep the
    acceptance's hold and history: set here, another school's teacher led a
    group and reached its activities and files (outside test 13 F1)."""

    list_display = ("name", "school", "leader", "archived_at")
    list_select_related = ("school", "leader")
    search_fields = ("name", "school__name")
    raw_id_fields = ("leader",)
    inlines = [MemberInline]


@admin.register(SchoolPlan)
class SchoolPlanAdmin(admin.ModelAdmin):
    list_display = ("school", "cycle", "updated_at")
    list_select_related = ("school", "cycle")
    search_fields = ("school__name",)


@admin.register(TeacherRemoval)
class TeacherRemovalAdmin(admin.ModelAdmin):
    """The audit trail: read-only."""

    list_display = ("teacher", "school", "by", "at", "reason")
    list_select_related = ("teacher", "school", "by")
    search_fields = ("teacher__real_name", "school__name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ClearedKindFilter(admin.SimpleListFilter):
    """类型, by the archived model's verbose name (not "activities.participation")."""

    title = "类型"
    parameter_name = "model"

    def lookups(self, request, model_admin):
        labels = ClearedRecord.objects.values_list("model", flat=True).distinct().order_by()
        return sorted(((m, model_label(m)) for m in labels), key=lambda x: x[1])

    def queryset(self, request, queryset):
        return queryset.filter(model=self.value()) if self.value() else queryset


class ClearedRecordInline(admin.TabularInline):
    model = ClearedRecord
    fields = ("kind", "object_id", "data", "stored_files")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="类型")
    def kind(self, obj):
        return obj.kind_label

    @admin.display(description="文件")
    def stored_files(self, obj):
        return ClearedRecordAdmin.stored_files(None, obj)


TeacherRemovalAdmin.inlines = [ClearedRecordInline]


@admin.register(ClearedRecord)
class ClearedRecordAdmin(admin.ModelAdmin):
    """What 调岗移除 took out of use, read-only. Files a row pointed at stay in
    storage; the operator (and only the operator) downloads them here."""

    list_display = ("removal", "kind", "object_id")
    list_select_related = ("removal__teacher", "removal__school")
    list_filter = (ClearedKindFilter,)
    search_fields = ("removal__teacher__real_name",)
    fields = ("removal", "kind", "object_id", "data", "stored_files")
    readonly_fields = fields

    @admin.display(description="类型", ordering="model")
    def kind(self, obj):
        return obj.kind_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="文件")
    def stored_files(self, obj):
        links = [
            (reverse("admin:groups_clearedrecord_file", args=[obj.pk, i]), posixpath.basename(n))
            for i, n in enumerate(obj.files or [])
        ]
        return format_html_join("、", '<a href="{}">{}</a>', links) or "—"

    def get_urls(self):
        extra = [
            path(
                "<int:pk>/file/<int:n>/",
                self.admin_site.admin_view(self.file_view),
                name="groups_clearedrecord_file",
            )
        ]
        return extra + super().get_urls()

    def file_view(self, request, pk: int, n: int):
        if not request.user.is_superuser:  # the operator only: these are teachers' files
            raise PermissionDenied
        record = get_object_or_404(ClearedRecord, pk=pk)
        if not 0 <= n < len(record.files or []):
            raise Http404
        name = record.files[n]
        if not default_storage.exists(name):
            raise Http404
        return FileResponse(
            default_storage.open(name, "rb"), as_attachment=True, filename=posixpath.basename(name)
        )
