"""The district's .xlsx exports (all its schools, or all its teachers: tens of
thousands of rows). The page starts one (district_export_start); a Celery task
builds it (district_export_build) through the one writer, accounts.exports,
in openpyxl's write-only mode from rows streamed in chunks, so memory stays
flat in the number of rows; the file goes to the default storage (local disk
or S3) under a generated name, and is downloaded through a view that checks
who asks. Exports are deleted with their files after EXPORT_KEEP."""

import logging
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.exports import Sheet, xlsx_write
from accounts.models import Cycle, User
from accounts.roles import Grant, Role

from ..models import DistrictExport
from ..selectors.district_exports import (
    CHUNK,
    SCHOOLS_HEADER,
    TEACHERS_HEADER,
    export_schools,
    school_rows,
    teacher_rows,
    teachers_of,
)
from .stats import school_stats_ensure

log = logging.getLogger("xiaoben")

Kind, Status = DistrictExport.Kind, DistrictExport.Status
# How long a finished export stays downloadable before it is deleted.
EXPORT_KEEP = timedelta(hours=24)
# An export still "under way" this long after it was asked for lost its worker
# (the task's own time limit has passed): it is marked failed, so the person
# may start another.
STALE_AFTER = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
RUNNING_MESSAGE = "已有一份同类导出正在生成，请等待完成后下载。"
FAILED_MESSAGE = "导出失败，请稍后重试；如反复失败请联系省工程办。"


def district_export_start(
    *, kind: str, grant: Grant, by: User, cycle: Cycle, region_id: int | None = None
) -> tuple[DistrictExport, bool]:
    """Ask for an export of the grant's schools, or of one district among them
    (`region_id`, which the caller has checked is in the grant's scope);
    (export, False) when one of the same kind is already under way for this
    person (a double click, or twenty: the database keeps one). The task is
    queued once the caller commits."""
    if kind not in Kind.values:
        raise ValueError(kind)
    district_exports_expire()
    if region_id is None and grant.role != Role.OPERATOR:
        region_id = grant.region_id
    try:
        with transaction.atomic():
            export = DistrictExport.objects.create(
                kind=kind, requested_by=by, region_id=region_id, cycle=cycle
            )
    except IntegrityError:
        running = DistrictExport.objects.filter(
            requested_by=by, kind=kind, status__in=[Status.PENDING, Status.RUNNING]
        ).first()
        if running is None:  # it finished between the two statements
            return district_export_start(
                kind=kind, grant=grant, by=by, cycle=cycle, region_id=region_id
            )
        return running, False
    from ..tasks import build_district_export

    transaction.on_commit(lambda: build_district_export.delay(export.pk))
    return export, True


def district_export_build(*, export_id: int) -> DistrictExport | None:
    """Build the export: claim it (one worker only), write every row to a
    temporary file through the one writer, saving progress after each chunk,
    then store the file. A failure is recorded on the export (the page says
    so) and raised again for the worker's log."""
    claimed = DistrictExport.objects.filter(pk=export_id, status=Status.PENDING).update(
        status=Status.RUNNING
    )
    if not claimed:  # done, failed or taken by another worker meanwhile
        return None
    export = DistrictExport.objects.select_related("cycle").get(pk=export_id)
    try:
        name = _build(export)
    except Exception:
        log.exception("district export %s failed", export.pk)
        DistrictExport.objects.filter(pk=export.pk).update(
            status=Status.FAILED, error=FAILED_MESSAGE, finished_at=timezone.now()
        )
        raise
    export.status, export.file, export.done = Status.DONE, name, export.total
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "file", "done", "finished_at"])
    return export


def _build(export: DistrictExport) -> str:
    schools = export_schools(export)
    if export.kind == Kind.SCHOOLS:
        school_stats_ensure(schools=schools, cycle=export.cycle)
        export.total = schools.count()
        rows = school_rows(schools, cycle=export.cycle)
        sheet = Sheet("学校统计", SCHOOLS_HEADER, _counting(export, rows), widths=[12, 28, 12])
    else:
        export.total = teachers_of(schools).count()
        rows = teacher_rows(schools, cycle=export.cycle)
        sheet = Sheet(
            "全体教师",
            TEACHERS_HEADER,
            _counting(export, rows),
            widths=[12, 28, 12, 10, 20],
            text_columns=[4],
        )
    DistrictExport.objects.filter(pk=export.pk).update(total=export.total)
    notes = Sheet(
        "说明",
        [f"{export.get_kind_display()} · {export.cycle.name}"],
        [
            [f"生成时间：{timezone.localtime():%Y-%m-%d %H:%M}"],
            ["身份证号只显示前六位（地区码），其余以 * 代替。"],
            ["计入学时 = 记录学时，最多 25 学时。"],
            ["能力点测评“合格”：所选能力点全部合格（只统计专任教师）。"],
        ],
        widths=[80],
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.xlsx"
        xlsx_write([sheet, notes], path)
        with path.open("rb") as handle:
            return default_storage.save(f"exports/district/{export.key.hex}.xlsx", File(handle))


def _counting(export: DistrictExport, rows):
    """Pass rows through, saving how many were written after every chunk (the
    page's progress bar polls it)."""
    for n, row in enumerate(rows, start=1):
        yield row
        if n % CHUNK == 0:
            DistrictExport.objects.filter(pk=export.pk).update(done=n)


def district_exports_expire(*, now=None) -> int:
    """Delete exports older than EXPORT_KEEP with their files, and mark failed
    those whose worker was lost (STALE_AFTER). Returns how many were deleted.
    Run on every new export and hourly by Celery beat."""
    now = now or timezone.now()
    DistrictExport.objects.filter(
        status__in=[Status.PENDING, Status.RUNNING], created_at__lt=now - STALE_AFTER
    ).update(status=Status.FAILED, error=FAILED_MESSAGE, finished_at=now)
    old = list(DistrictExport.objects.filter(created_at__lt=now - EXPORT_KEEP))
    for export in old:
        if export.file:
            default_storage.delete(export.file.name)
    DistrictExport.objects.filter(pk__in=[e.pk for e in old]).delete()
    return len(old)
