"""学时登记 for one school:
`manage.py register_hours --school CODE [--cycle ID] [--queue [--wait SECONDS]]`.

The acceptance work calls hours.services directly when a school passes; this
command is for operators (re-running a registration that stopped). Like every
way in, it refuses a school whose acceptance has not passed.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Cycle, School
from accounts.selectors import cycle_current
from hours.services import (
    RegistrationRefused,
    hours_register_school,
    hours_register_school_later,
)


class Command(BaseCommand):
    help = "登记一所学校全体教师的计入学时（幂等：重复执行只登记一次）。"

    def add_arguments(self, parser):
        parser.add_argument("--school", required=True, help="学校代码")
        parser.add_argument("--cycle", type=int, help="研修周期 id（默认：当前周期）")
        parser.add_argument("--queue", action="store_true", help="交给 Celery 任务执行")
        parser.add_argument(
            "--wait",
            type=float,
            default=0,
            metavar="SECONDS",
            help="与 --queue 同用：等待任务完成（最多 SECONDS 秒），未完成则以非零状态退出",
        )

    def handle(self, *args, school, cycle=None, queue=False, wait=0, **options):
        school_obj = School.objects.filter(code=school).first()
        if school_obj is None:
            raise CommandError(f"没有学校代码为 {school} 的学校。")
        cycle_obj = Cycle.objects.filter(pk=cycle).first() if cycle else cycle_current()
        if cycle_obj is None:
            raise CommandError("没有研修周期。")
        try:
            if queue:
                with transaction.atomic():
                    batch = hours_register_school_later(school=school_obj, cycle=cycle_obj)
            else:
                batch = hours_register_school(school=school_obj, cycle=cycle_obj)
        except RegistrationRefused as refusal:
            raise CommandError(refusal.message) from None
        if queue:
            self.stdout.write(f"已排队：{school_obj.name} · {cycle_obj.name}（批次 {batch.pk}）")
            if wait:
                self._wait(batch, wait)
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{school_obj.name} · {cycle_obj.name}：共 {batch.total} 名教师，"
                f"已登记 {batch.registered} 人。"
            )
        )

    def _wait(self, batch, seconds: float) -> None:
        """Polls the batch row the worker updates as it goes."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            batch.refresh_from_db()
            if batch.finished_at:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"任务完成：共 {batch.total} 名教师，已登记 {batch.registered} 人。"
                    )
                )
                return
            time.sleep(0.5)
        raise CommandError(f"{seconds:g} 秒内任务未完成（已处理 {batch.done}/{batch.total}）。")
