import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import School
from accounts.reminders import REMINDER_SOURCES, reminder_day, reminders_due, reminders_run


class Command(BaseCommand):
    help = (
        "Sends the daily automatic reminders (活动即将截止, 研修周期即将结束, …) for a day, "
        "as the beat job does; idempotent: what already went out that day is not sent again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="the day, YYYY-MM-DD (today in Asia/Shanghai by default)"
        )
        parser.add_argument("--school", help="only this school (its 学校代码)")
        parser.add_argument("--dry-run", action="store_true", help="print who is due, send nothing")

    def handle(self, *args, **opts):
        try:
            today = (
                datetime.date.fromisoformat(opts["date"]) if opts["date"] else timezone.localdate()
            )
        except ValueError:
            raise CommandError("--date 须为 YYYY-MM-DD 格式的日期") from None
        schools = School.objects.order_by("pk")
        if opts["school"]:
            schools = schools.filter(code=opts["school"])
            if not schools.exists():
                raise CommandError(f"没有学校代码为 {opts['school']} 的学校")
        ids = list(schools.values_list("pk", flat=True))
        if opts["dry_run"]:
            day = reminder_day(today)
            due = [d for pk in ids for d in reminders_due(school_id=pk, day=day)]
            names = ", ".join(s.name for s in REMINDER_SOURCES)
            self.stdout.write(f"{today}: {len(due)} 条提醒到期（{names}），未发送。")
            return
        sent = reminders_run(today=today, school_ids=ids)
        self.stdout.write(
            self.style.SUCCESS(f"{today}: 已发送 {sent} 条提醒（{len(ids)} 所学校）。")
        )
