"""Outside test 7: the operator's deletions in the admin keep the schools'
figures (the school home's counts read them): a bulk 删除所选 of places and
deleting a person, whose places go with them."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import SchoolMembership, User
from assessment.models import SchoolStats
from assessment.services.stats import school_stats_read

from . import factories as f
from .conftest import login

pytestmark = pytest.mark.django_db


def kept_teachers(cast) -> int:
    return school_stats_read(school_id=cast.school.pk, cycle=cast.cycle).teachers


def test_deleting_places_in_bulk_keeps_the_figures(cast):
    leaving = [f.teacher(cast.school, f"删除{i}") for i in range(2)]
    before = kept_teachers(cast)
    ids = SchoolMembership.objects.filter(user__in=leaving).values_list("pk", flat=True)
    response = login(cast.operator).post(
        reverse("admin:accounts_schoolmembership_changelist"),
        {"action": "delete_selected", "_selected_action": list(ids), "post": "yes"},
    )
    assert response.status_code == 302
    assert not SchoolMembership.objects.filter(user__in=leaving).exists()
    assert kept_teachers(cast) == before - 2
    call_command("school_stats_check")


def test_deleting_a_person_keeps_their_schools_figures(cast):
    leaving = f.teacher(cast.school, "删除的人")
    before = kept_teachers(cast)
    url = reverse("admin:accounts_user_delete", args=[leaving.pk])
    assert login(cast.operator).post(url, {"post": "yes"}).status_code == 302
    assert not User.objects.filter(pk=leaving.pk).exists()
    assert SchoolStats.objects.get(school=cast.school, cycle=cast.cycle).teachers == before - 1
    call_command("school_stats_check")


# Typed texts have a length (accounts.texts) --------------------------------------


def test_a_group_plan_beyond_its_length_is_refused_and_nothing_saved(cast):
    from accounts.texts import DOCUMENT_CHARS

    from . import factories_activities as fa

    s = fa.group_setup(cast)
    client = login(s.leader)
    url = reverse("groups:group_plan", args=[s.group.pk])
    page = client.get(url).content.decode()
    assert f'maxlength="{DOCUMENT_CHARS}"' in page  # the browser stops the typing
    response = client.post(url, {"plan": "研" * (DOCUMENT_CHARS + 1), "points": []})
    assert response.status_code == 200
    assert "最多 20000 个字" in response.content.decode()
    s.group.refresh_from_db()
    assert s.group.plan == ""
    client.post(url, {"plan": "研" * DOCUMENT_CHARS, "points": [p.pk for p in s.points]})
    s.group.refresh_from_db()
    assert len(s.group.plan) == DOCUMENT_CHARS


def test_a_homework_text_beyond_its_length_is_refused(cast):
    from accounts.texts import DOCUMENT_CHARS
    from activities.models import Submission

    from . import factories_activities as fa

    s = fa.group_setup(cast)
    a = fa.activity(s, "homework")
    member = login(s.member)
    member.post(reverse("activities:join", args=[a.pk]))
    url = reverse("activities:homework_submit", args=[a.pk])
    response = member.post(url, {"text": "答" * (DOCUMENT_CHARS + 1)}, follow=True)
    assert "最多 20000 个字" in response.content.decode()
    assert not Submission.objects.filter(activity=a).exists()


def test_a_section_of_the_schools_plan_beyond_its_length_is_refused():
    from accounts.texts import NOTE_CHARS
    from groups.forms import SchoolPlanForm

    form = SchoolPlanForm(data={"mechanisms": "机" * (NOTE_CHARS + 1)})
    assert not form.is_valid() and "最多 5000 个字" in str(form.errors["mechanisms"])
    assert form.fields["assessment"].widget.attrs["maxlength"] == str(NOTE_CHARS)


def test_the_operator_cannot_remove_a_place_around_the_removal(cast):
    """调岗移除 clears groups, leaderships and credits; the admin's form would
    have set the date alone. The field is shown, not editable."""
    place = SchoolMembership.objects.get(user=cast.teacher, removed_at__isnull=True)
    change = reverse("admin:accounts_schoolmembership_change", args=[place.pk])
    operator = login(cast.operator)
    assert "removed_at" not in operator.get(change).context["adminform"].form.fields
    joined = place.joined_at.astimezone()
    response = operator.post(
        change,
        {
            "user": cast.teacher.pk,
            "school": cast.school.pk,
            "is_teacher": "on",
            "joined_at_0": joined.strftime("%Y-%m-%d"),
            "joined_at_1": joined.strftime("%H:%M:%S"),
            "removed_at_0": "2026-01-01",
            "removed_at_1": "08:00:00",
        },
    )
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.removed_at is None


def test_the_operator_cannot_move_a_place_to_another_school(cast):
    """A move would leave the teacher's groups, leaderships and credits standing
    in the old school (no 调岗移除): an existing place keeps its school and person."""
    place = SchoolMembership.objects.get(user=cast.teacher, removed_at__isnull=True)
    change = reverse("admin:accounts_schoolmembership_change", args=[place.pk])
    operator = login(cast.operator)
    fields = operator.get(change).context["adminform"].form.fields
    assert "school" not in fields and "user" not in fields
    joined = place.joined_at.astimezone()
    response = operator.post(
        change,
        {
            "user": cast.teacher2.pk,
            "school": cast.other_school.pk,
            "is_teacher": "on",
            "joined_at_0": joined.strftime("%Y-%m-%d"),
            "joined_at_1": joined.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302
    place.refresh_from_db()
    assert (place.school_id, place.user_id) == (cast.school.pk, cast.teacher.pk)
    # A new place is still made here, with its school and person.
    assert (
        "school"
        in operator.get(reverse("admin:accounts_schoolmembership_add"))
        .context["adminform"]
        .form.fields
    )
