"""Outside test 8: what a member typed survives a refusal. Homework text sent
with a file the platform refuses, and a view too short to count, came back
as an empty box: the member had to type it again (on a phone)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Participation, Post, Submission

from . import factories_activities as fa
from .conftest import login

pytestmark = pytest.mark.django_db

REFLECTION = "教学反思：用微课导入后学生参与度明显提高，小组讨论更充分。"


def joined(s, kind):
    a = fa.activity(s, kind)
    member = login(s.member)
    member.post(reverse("activities:join", args=[a.pk]))
    member.post(reverse("activities:enter", args=[a.pk]))  # the work shows once entered
    return a, member


def test_homework_text_survives_a_refused_file(cast):
    s = fa.group_setup(cast)
    a, member = joined(s, "homework")
    fake = SimpleUploadedFile("作业.docx", b"not a document at all", content_type="application/msword")
    response = member.post(
        reverse("activities:homework_submit", args=[a.pk]), {"text": REFLECTION, "files": [fake]}
    )
    assert response.status_code == 302
    assert not Submission.objects.filter(activity=a).exists()  # nothing stored

    page = member.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert REFLECTION in page  # back in the text box, with the refusal above it
    # Shown once: a later visit shows the box as it stands (no submission yet).
    assert REFLECTION not in member.get(reverse("activities:detail", args=[a.pk])).content.decode()

    # Sent again without the bad file, it completes the homework.
    member.post(reverse("activities:homework_submit", args=[a.pk]), {"text": REFLECTION})
    assert Participation.objects.get(activity=a, user=s.member).completed_at is not None


def test_a_view_too_short_comes_back_to_be_finished(cast):
    s = fa.group_setup(cast)
    a, member = joined(s, "discussion")
    response = member.post(
        reverse("activities:post_new", args=[a.pk]), {"body": "很好的课！", **fa.once()}
    )
    assert response.status_code == 302
    assert not Post.objects.filter(activity=a).exists()
    page = member.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert "至少写 10 个字" in page
    assert "很好的课！</textarea>" in page


def test_a_draft_is_the_members_own(cast):
    """Kept in the member's session: another member of the group never sees it."""
    s = fa.group_setup(cast)
    a, member = joined(s, "homework")
    fake = SimpleUploadedFile("作业.pdf", b"plain text, not a pdf", content_type="application/pdf")
    member.post(
        reverse("activities:homework_submit", args=[a.pk]), {"text": REFLECTION, "files": [fake]}
    )
    leader = login(s.leader)
    assert REFLECTION not in leader.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert REFLECTION in member.get(reverse("activities:detail", args=[a.pk])).content.decode()
