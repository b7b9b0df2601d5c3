"""Celery tasks: take ids, re-fetch, call a service (STYLE.md §9)."""

from celery import shared_task

from accounts.models import Cycle, School, User

from .services import hours_register_school


@shared_task
def register_school_hours(school_id: int, cycle_id: int, by_id: int | None = None) -> int:
    """学时登记 for one school; returns how many teachers the batch has registered."""
    batch = hours_register_school(
        school=School.objects.get(pk=school_id),
        cycle=Cycle.objects.get(pk=cycle_id),
        by=User.objects.filter(pk=by_id).first() if by_id else None,
    )
    return batch.registered


@shared_task
def registrations_refresh_daily() -> int:
    """The beat schedule's nightly refresh of 学时登记 (settings.CELERY_BEAT_SCHEDULE):
    registered schools whose hours can still change; how many schools."""
    from .services import registrations_refresh

    return registrations_refresh()
