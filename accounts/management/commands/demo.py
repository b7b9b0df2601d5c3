import importlib

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import demo

# Apps that add demo data, in dependency order; each has demo.load(ctx).
DEMO_APPS = ["groups", "hours", "activities", "assessment"]


class Command(BaseCommand):
    help = "Migrates, loads the demo province (idempotent), prints the logins and serves the site."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="load data and exit")
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, **opts):
        call_command("migrate", interactive=False, verbosity=0)
        with transaction.atomic():
            ctx = demo.load()
            for app in DEMO_APPS:
                try:
                    module = importlib.import_module(f"{app}.demo")
                except ModuleNotFoundError:
                    continue
                module.load(ctx)
        self._print_logins(ctx, opts["addrport"])
        if not opts["no_serve"]:
            call_command("runserver", opts["addrport"], use_reloader=False)

    def _print_logins(self, ctx, addrport):
        out = self.stdout
        out.write(self.style.SUCCESS("\n校本研修平台 · 演示数据已就绪"))
        out.write(f"地址: http://{addrport}/    所有演示账号的密码: {demo.DEMO_PASSWORD}\n")
        for role, username, note in ctx.logins:
            out.write(f"  {role:<28} 用户名 {username:<10} {note}")
