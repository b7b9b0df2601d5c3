from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.tasks import ping


class Command(BaseCommand):
    help = "Sends a task to the Celery workers and waits for its answer (deployment check)."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=30)

    def handle(self, *args, **opts):
        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise CommandError(
                "CELERY_BROKER_URL is not set: tasks run in-process, no worker to check"
            )
        try:
            answer = ping.delay().get(timeout=opts["timeout"])
        except Exception as exc:  # the broker or worker is not answering
            raise CommandError(f"no answer from a Celery worker: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"worker answered: {answer}"))
