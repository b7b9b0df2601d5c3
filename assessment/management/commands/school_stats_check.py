"""Check the per-school figures the district's pages read (SchoolStats)
against their sources: `manage.py school_stats_check [--school CODE] [--fix]`.

Prints every school whose row for the current cycle (or --cycle ID) differs
from what its places, ledger, review and evaluation say now, field by field,
and exits non-zero if there is any. `--fix` rewrites those rows, and computes
the rows of schools that have none yet (after loading data in bulk, or before
a district first opens its dashboard), fifty schools at a time.
"""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Cycle, School
from accounts.selectors import cycle_current
from assessment.models import SchoolStats
from assessment.selectors.stats import school_stats_mismatches
from assessment.services.stats import school_stats_refresh

CHUNK = 50


class Command(BaseCommand):
    help = (
        "核对学校统计（区县首页与看板所读的每校数字）与来源数据是否一致；--fix 重算不一致和缺少的。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--school", help="学校代码（默认：全部学校）")
        parser.add_argument("--cycle", type=int, help="研修周期编号（默认：当前周期）")
        parser.add_argument("--fix", action="store_true", help="重算不一致的行，并补算缺少的行")

    def handle(self, *args, school=None, cycle=None, fix=False, **options):
        cycle_obj = Cycle.objects.filter(pk=cycle).first() if cycle else cycle_current()
        if cycle_obj is None:
            raise CommandError("没有研修周期。")
        schools = School.objects.all()
        if school:
            schools = schools.filter(code=school)
            if not schools.exists():
                raise CommandError(f"没有学校代码为 {school} 的学校。")
        ids = list(schools.order_by("pk").values_list("pk", flat=True))
        problems = list(school_stats_mismatches(cycle=cycle_obj, school_ids=ids, chunk=CHUNK))
        for p in problems:
            changes = "，".join(f"{f} 记为 {p.kept[f]}、应为 {p.actual[f]}" for f in p.fields)
            self.stdout.write(f"{p.school}（学校 {p.school_id}）：{changes}")
        scope = f"{cycle_obj.name}，{len(ids)} 所学校"
        if fix:
            kept = set(
                SchoolStats.objects.filter(cycle=cycle_obj).values_list("school_id", flat=True)
            )
            todo = sorted({p.school_id for p in problems} | (set(ids) - kept))
            for start in range(0, len(todo), CHUNK):
                school_stats_refresh(school_ids=todo[start : start + CHUNK], cycle_id=cycle_obj.pk)
            self.stdout.write(self.style.SUCCESS(f"{scope}：已重算 {len(todo)} 所学校的统计。"))
            return
        if problems:
            raise CommandError(f"{scope}：发现 {len(problems)} 所学校的统计与来源不一致。")
        self.stdout.write(self.style.SUCCESS(f"{scope}：学校统计与来源一致。"))
