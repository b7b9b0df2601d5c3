"""Notices moved to accounts (every app, the ledger included, tells people
things); the rows are copied across, with the activity as a link."""

from django.db import migrations


def copy_notifications(apps, schema_editor):
    Old = apps.get_model("activities", "Notification")
    New = apps.get_model("accounts", "Notification")
    rows = [
        New(
            user_id=n.user_id,
            message=n.message,
            link=f"/activities/{n.activity_id}/" if n.activity_id else "",
            kind="activity_published" if n.activity_id else "",
            created_at=n.created_at,
            read_at=n.read_at,
        )
        for n in Old.objects.all().iterator()
    ]
    New.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0001_initial"),
        ("accounts", "0002_notification"),
    ]

    operations = [
        migrations.RunPython(copy_notifications, migrations.RunPython.noop),
        migrations.DeleteModel(name="Notification"),
    ]
