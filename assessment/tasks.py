"""Celery tasks: take ids, re-fetch, call a service (STYLE.md §9)."""

from celery import shared_task

from .services.district_exports import district_export_build, district_exports_expire
from .services.stats import FILL_CHUNK, school_stats_refresh


@shared_task
def build_district_export(export_id: int) -> str:
    """Build one district export; returns its status."""
    export = district_export_build(export_id=export_id)
    return export.status if export else "skipped"


@shared_task
def expire_district_exports() -> int:
    """Delete exports past their keep time (Celery beat, hourly)."""
    return district_exports_expire()


@shared_task
def fill_school_stats(school_ids: list[int], cycle_id: int) -> int:
    """Compute the per-school figures of many schools (a page queued those it
    did not compute itself), fifty at a time."""
    for start in range(0, len(school_ids), FILL_CHUNK):
        school_stats_refresh(school_ids=school_ids[start : start + FILL_CHUNK], cycle_id=cycle_id)
    return len(school_ids)
