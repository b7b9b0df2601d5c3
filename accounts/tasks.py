"""Celery tasks: take ids, re-fetch, call a service (STYLE.md §9)."""

import datetime

from celery import shared_task
from django.db import connection
from django.utils import timezone

# How many schools one reminder task handles: a province's 20,000 schools
# become 40 tasks the workers share, each a few thousand fixed-size queries.
REMINDER_CHUNK = 500


@shared_task
def ping() -> dict:
    """Proves a worker is up and reaches the database (used by `manage.py celery_check`)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"pong": True, "database": connection.vendor}


@shared_task
def reminders_daily(day: str | None = None) -> int:
    """The beat schedule's daily job (settings.CELERY_BEAT_SCHEDULE): every
    school's automatic reminders for `day` (ISO date; today in Asia/Shanghai
    by default), handed out to the workers in chunks of schools. Returns how
    many chunks were queued."""
    from .models import School

    day = day or timezone.localdate().isoformat()
    ids = list(School.objects.order_by("pk").values_list("pk", flat=True))
    chunks = [ids[i : i + REMINDER_CHUNK] for i in range(0, len(ids), REMINDER_CHUNK)]
    for chunk in chunks:
        reminders_for_schools.delay(chunk, day)
    return len(chunks)


@shared_task
def reminders_for_schools(school_ids: list[int], day: str) -> int:
    """The automatic reminders of some schools for one day; how many went out.
    Idempotent: a retried or duplicated task sends nothing twice."""
    from .reminders import reminders_run

    return reminders_run(today=datetime.date.fromisoformat(day), school_ids=school_ids)


@shared_task
def notices_email(ids: list[int]) -> int:
    """Mail the given notices to those of their people who have an address."""
    from .notices import notices_email_send

    return notices_email_send(ids=ids)
