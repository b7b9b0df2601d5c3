"""Check the hours summaries against the ledger:
`manage.py hours_check [--school CODE]`.

For operators: prints every teacher and cycle whose summary differs from the
sum of their ledger rows (or that has ledger rows but no summary, or two
standing credits for one source) and exits non-zero if there is any.
It only reads; a mismatch is a bug to investigate, not something to patch here.
"""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import School
from hours.selectors import hours_mismatches


class Command(BaseCommand):
    help = "核对学时汇总与学时账本是否一致；发现不一致时逐条列出并以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument("--school", help="学校代码（默认：全部学校）")

    def handle(self, *args, school=None, **options):
        school_obj = None
        if school:
            school_obj = School.objects.filter(code=school).first()
            if school_obj is None:
                raise CommandError(f"没有学校代码为 {school} 的学校。")
        scope = school_obj.name if school_obj else "全部学校"
        problems = hours_mismatches(school_id=school_obj.pk if school_obj else None)
        for p in problems:
            cycle = f"，周期 {p['cycle_id']}" if p["cycle_id"] else ""
            self.stdout.write(f"{p['teacher']}（用户 {p['teacher_id']}{cycle}）：{p['problem']}")
        if problems:
            raise CommandError(f"{scope}：发现 {len(problems)} 处学时汇总与账本不一致。")
        self.stdout.write(self.style.SUCCESS(f"{scope}：学时汇总与账本一致。"))
