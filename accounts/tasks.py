from celery import shared_task
from django.db import connection


@shared_task
def ping() -> dict:
    """Proves a worker is up and reaches the database (used by `manage.py celery_check`)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"pong": True, "database": connection.vendor}
