"""The district's exports: start one (POST), watch it (htmx polls the panel),
download it (through the access helper: the person who asked, or their
region's other admins; anyone else 404)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.access import role_required, schools_visible_to
from accounts.exports import XLSX
from accounts.roles import Role
from accounts.selectors import districts_of
from activities.files import serve_file

from ..models import DistrictExport
from ..selectors.district_exports import export_done_file, exports_recent, get_export_for
from ..services.district_exports import RUNNING_MESSAGE, district_export_start
from .common import current_cycle, safe_next

DISTRICT = (Role.DISTRICT_ADMIN, Role.OPERATOR)


@require_POST
@role_required(*DISTRICT)
def district_export_start_post(request):
    """导出: one export of the kind asked for; a second click while it runs
    starts nothing and says so."""
    kind = request.POST.get("kind", "")
    cycle = current_cycle(request)
    said = None
    if kind not in DistrictExport.Kind.values:
        said = (messages.ERROR, "请选择要导出的内容：学校统计或全体教师。")
    elif cycle is not None:
        export, started = district_export_start(
            kind=kind,
            grant=request.grant,
            by=request.user,
            cycle=cycle,
            region_id=_district_of(request),
        )
        said = (
            (messages.SUCCESS, f"已开始生成{export.get_kind_display()}，完成后可在此下载。")
            if started
            else (messages.INFO, RUNNING_MESSAGE)
        )
    if request.htmx:
        # The panel is all htmx swaps in: it says what happened itself (a
        # message would wait for the next whole page, one per click).
        return _panel(request, said=said and said[1])
    if said:
        messages.add_message(request, *said)
    return redirect(safe_next(request) or "assessment:district_dashboard")


def _district_of(request) -> int | None:
    """The district chosen in the page's filter (?district= sent along), if it
    is one the person may see; else None: every school of their scope."""
    wanted = request.POST.get("district") or request.GET.get("district", "")
    visible = districts_of(schools_visible_to(request.grant))
    return next((d.pk for d in visible if str(d.pk) == wanted), None)


@role_required(*DISTRICT)
def district_exports_panel(request):
    """The exports panel alone: htmx polls it while an export is under way."""
    return _panel(request)


def _panel(request, said: str | None = None):
    context = exports_context(request, region_id=_district_of(request))
    return render(request, "assessment/_district_exports.html", {**context, "said": said})


def exports_context(request, *, region_id: int | None = None) -> dict:
    """What the exports panel shows: the latest exports, whether to poll, and
    the district its buttons export (the page's filter)."""
    exports = exports_recent(grant=request.grant, user=request.user)
    return {
        "exports": exports,
        "exports_running": any(e.under_way for e in exports),
        "region_id": region_id,
    }


@role_required(*DISTRICT)
def district_export_file(request, key):
    export = get_export_for(request.grant, request.user, key)
    name = f"{export.get_kind_display()}-{export.cycle.name}-{export.created_at:%Y%m%d%H%M}.xlsx"
    return serve_file(request, export_done_file(export), filename=name, content_type=XLSX)
