"""Loads the default ability-point catalogue (groups/data/ability_points.csv) so a
fresh install has it. Idempotent: existing points are left as the operator edited them."""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "ability_points.csv"


def load(apps, schema_editor):
    Framework = apps.get_model("groups", "Framework")
    AbilityPoint = apps.get_model("groups", "AbilityPoint")
    with CSV.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            framework, _ = Framework.objects.get_or_create(name=row["framework"].strip())
            AbilityPoint.objects.get_or_create(
                framework=framework,
                code=row["code"].strip(),
                defaults={
                    "name": row["name"].strip(),
                    "mode": (row.get("mode") or "").strip(),
                    "dimension": (row.get("dimension") or "").strip(),
                },
            )


class Migration(migrations.Migration):
    dependencies = [("groups", "0002_schoolplan_teacherremoval_and_more")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
