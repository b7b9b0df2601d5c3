import re

from django.db import migrations, models


def ability_point_sort_key(code: str) -> str:
    # A copy of groups.models.ability_point_sort_key as it was when this ran.
    return re.sub(r"\d+", lambda m: m.group().zfill(4), code.strip().upper())


def fill_sort_keys(apps, schema_editor):
    """Historical models have no custom save(): fill the key of every existing point."""
    AbilityPoint = apps.get_model("groups", "AbilityPoint")
    points = list(AbilityPoint.objects.all())
    for point in points:
        point.sort_key = ability_point_sort_key(point.code)
    AbilityPoint.objects.bulk_update(points, ["sort_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("groups", "0004_school_plan_point_rows")]

    operations = [
        migrations.AlterModelOptions(
            name="abilitypoint",
            options={
                "ordering": ["framework", "sort_key", "code"],
                "verbose_name": "能力点",
                "verbose_name_plural": "能力点",
            },
        ),
        migrations.AddField(
            model_name="abilitypoint",
            name="sort_key",
            field=models.CharField(
                default="", editable=False, max_length=30, verbose_name="排序键"
            ),
        ),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
    ]
