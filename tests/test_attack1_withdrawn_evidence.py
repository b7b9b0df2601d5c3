"""Outside attack report 1 §8: withdrawn offline evidence is no longer
downloadable by the group's members (404, as if missing); the group's leader
and the school admin may still open it, since it stays part of the record."""

import pytest
from django.urls import reverse

from activities import services

from . import factories_activities as fa

pytestmark = pytest.mark.django_db


def test_withdrawn_evidence_is_gone_for_members_and_kept_for_leader_and_school_admin(cast, as_user):
    s = fa.group_setup(cast)
    a = fa.activity(s, "offline", hours=2)
    kept = services.evidence_add(
        activity=a, by=s.leader, kind="photo", upload=fa.upload("现场.png", fa.PNG)
    )
    gone = services.evidence_add(
        activity=a, by=s.leader, kind="sign_in", upload=fa.upload("签到表.pdf", fa.PDF)
    )
    url = reverse("activities:evidence_file", args=[gone.pk])
    assert as_user(s.member).get(url).status_code == 200  # before: everyone who sees it

    response = as_user(s.leader).post(reverse("activities:evidence_withdraw", args=[gone.pk]))
    assert response.status_code == 302
    gone.refresh_from_db()
    assert gone.withdrawn_at is not None

    for member in (s.member, s.member2):
        assert as_user(member).get(url).status_code == 404
    assert as_user(cast.outsider).get(url).status_code == 404
    for keeper in (s.leader, cast.school_admin):
        response = as_user(keeper).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == fa.PDF
    # The evidence still standing is unchanged for members.
    kept_url = reverse("activities:evidence_file", args=[kept.pk])
    assert as_user(s.member).get(kept_url).status_code == 200
    # The page links the withdrawn file for the leader only.
    detail = reverse("activities:detail", args=[a.pk])
    assert url in as_user(s.leader).get(detail).content.decode()
    assert url not in as_user(s.member).get(detail).content.decode()
