"""The operator can read the reminder log and the 延期 trail in /admin/, as
the services wrote them, and cannot add, change or delete a row there (both are
written only by the platform: accounts.reminders, activities.services)."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Reminder
from accounts.tasks import reminders_daily
from activities import services
from activities.models import Extension

from . import factories_activities as fa

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(cast):
    s = fa.group_setup(cast)
    today = fa.today()
    activity = fa.activity(
        s, "discussion", held_on=today, closes_on=today + datetime.timedelta(days=3)
    )
    services.extension_grant_activity(
        activity=activity,
        teacher=s.member,
        until=today + datetime.timedelta(days=8),
        reason="病假",
        by=s.leader,
    )
    reminders_daily()  # the colleague without an extension is reminded today
    return s


@pytest.mark.parametrize(
    "model, shown",
    [(Reminder, lambda s: s.member2.real_name), (Extension, lambda s: "病假")],
)
def test_the_operator_reads_each_record_and_can_change_none(cast, as_user, records, model, shown):
    row = model.objects.first()
    assert row is not None
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    client = as_user(cast.operator)
    listing = client.get(reverse(f"{name}_changelist"))
    assert listing.status_code == 200
    detail = client.get(reverse(f"{name}_change", args=[row.pk]))
    assert detail.status_code == 200
    assert shown(records) in listing.content.decode() + detail.content.decode()
    assert client.get(reverse(f"{name}_add")).status_code == 403
    assert client.get(reverse(f"{name}_delete", args=[row.pk])).status_code == 403
    # A change posted anyway is refused and the row stays as written.
    response = client.post(reverse(f"{name}_change", args=[row.pk]), {})
    assert response.status_code == 403
    assert model.objects.filter(pk=row.pk).exists()


def test_a_school_admin_cannot_open_the_records(cast, as_user, records):
    client = as_user(cast.school_admin)
    response = client.get(reverse("admin:accounts_reminder_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
