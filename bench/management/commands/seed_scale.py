"""`manage.py seed_scale --schools 300 --teachers 80000 [--first-school 300]`:
fill an empty benchmark database at scale (bench.seed). Run by hand, never in CI."""

import time

from django.core.management.base import BaseCommand, CommandError

from bench.seed import BENCH_PASSWORD, SeedRefused, Shape, seed_scale


class Command(BaseCommand):
    help = "为基准测试生成大规模数据（只用于空数据库）：学校、教师、教研组、活动、学时账本。"

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=300)
        parser.add_argument("--teachers", type=int, default=80_000)
        parser.add_argument(
            "--first-school", type=int, default=300, help="第一所学校的教师数（单校基准）"
        )
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, schools, teachers, first_school, seed, **options):
        if schools < 1 or teachers < schools * 2:
            raise CommandError("至少一所学校，每校至少两名教师。")
        shape = Shape(schools=schools, teachers=teachers, first_school=first_school, seed=seed)
        start = time.perf_counter()
        try:
            written = seed_scale(shape=shape, stdout=self.stdout)
        except SeedRefused as refusal:
            raise CommandError(str(refusal)) from None
        secs = time.perf_counter() - start
        for label, n in sorted(written.items()):
            self.stdout.write(f"{label:<40} {n:>10,}")
        total = sum(written.values())
        self.stdout.write(self.style.SUCCESS(f"共写入 {total:,} 行，用时 {secs:.0f} 秒。"))
        logins = "s000admin、s000info、s000t0050、s000t0003（组长）、bench_district"
        self.stdout.write(f"登录：{logins}；密码 {BENCH_PASSWORD}")
