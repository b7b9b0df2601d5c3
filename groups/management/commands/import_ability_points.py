from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from groups.catalogue import CatalogueFileError, ability_points_import

DEFAULT = Path(__file__).resolve().parents[2] / "data" / "ability_points.csv"


class Command(BaseCommand):
    help = "Imports an ability-point catalogue (.xlsx or .csv); all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DEFAULT))
        parser.add_argument(
            "--retire-missing",
            action="store_true",
            help="retire points of the imported frameworks that the file does not list",
        )

    def handle(self, *args, file, retire_missing, **opts):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"找不到文件：{path}")
        try:
            with path.open("rb") as file:
                result = ability_points_import(
                    name=path.name, file=file, retire_missing=retire_missing
                )
        except CatalogueFileError as exc:
            raise CommandError(str(exc)) from exc
        if not result.ok:
            for e in result.errors:
                self.stderr.write(f"第 {e.row} 行：{e.reason}")
            raise CommandError(f"{len(result.errors)} 行有误，未导入任何数据。")
        self.stdout.write(
            self.style.SUCCESS(
                f"导入完成（{'、'.join(result.frameworks)}）：新增 {result.created}，"
                f"更新 {result.updated}，停用 {result.retired}。"
            )
        )
