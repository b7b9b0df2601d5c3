"""Every activities URL walks the permission ladder (STYLE.md §12): anonymous →
login page; a teacher of another school → 404; a leader of another group → 404;
a member on a leader's page → 403; and every file is served only by a view
that runs the access helper (no media URL, no guessing)."""

import pytest
from django.urls import reverse

from activities.models import Evidence, SubmissionFile

from . import factories_activities as fa

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(s_setup, as_user):
    s = s_setup
    homework = fa.activity(s, "homework")
    member = as_user(s.member)
    member.post(reverse("activities:join", args=[homework.pk]))
    member.post(
        reverse("activities:homework_submit", args=[homework.pk]),
        {"text": "反思", "files": [fa.upload("设计.pdf", fa.PDF, "application/pdf")]},
    )
    offline = fa.activity(s, "offline", hours=3)
    leader = as_user(s.leader)
    leader.post(reverse("activities:designate", args=[offline.pk]), {"users": [s.member.pk]})
    leader.post(
        reverse("activities:evidence_add", args=[offline.pk]),
        fa.evidence_data(offline, "photo", fa.upload("现场.png", fa.PNG, "image/png")),
    )
    observation = fa.activity(s, "observation", publish=False)
    leader.post(
        reverse("activities:video_set", args=[observation.pk]),
        {"video": fa.upload("课.mp4", fa.MP4, "video/mp4")},
    )
    leader.post(reverse("activities:activity_publish", args=[observation.pk]))
    discussion = fa.activity(s, "discussion")
    return {
        "s": s,
        "homework": homework,
        "offline": offline,
        "observation": observation,
        "discussion": discussion,
        "file": SubmissionFile.objects.get(),
        "evidence": Evidence.objects.get(),
        "question": observation.observation_form.questions.first(),
    }


@pytest.fixture
def s_setup(cast):
    return fa.group_setup(cast)


def leader_urls(w):
    s, o = w["s"], w["offline"]
    return [
        ("get", reverse("activities:group", args=[s.group.pk])),
        ("get", reverse("activities:coverage", args=[s.group.pk])),
        ("get", reverse("activities:topic_new", args=[s.group.pk])),
        ("get", reverse("activities:topic_edit", args=[w["homework"].topic_id])),
        ("post", reverse("activities:topic_publish", args=[w["homework"].topic_id])),
        ("post", reverse("activities:topic_delete", args=[w["homework"].topic_id])),
        ("get", reverse("activities:activity_new", args=[w["homework"].topic_id])),
        ("get", reverse("activities:activity_edit", args=[w["discussion"].pk])),
        ("post", reverse("activities:activity_publish", args=[w["discussion"].pk])),
        ("post", reverse("activities:activity_close", args=[w["discussion"].pk])),
        ("post", reverse("activities:activity_delete", args=[w["discussion"].pk])),
        ("post", reverse("activities:video_set", args=[w["observation"].pk])),
        ("post", reverse("activities:form_header", args=[w["observation"].pk])),
        ("post", reverse("activities:question_add", args=[w["observation"].pk])),
        (
            "post",
            reverse("activities:question_delete", args=[w["observation"].pk, w["question"].pk]),
        ),
        ("get", reverse("activities:observation_results", args=[w["observation"].pk])),
        ("post", reverse("activities:designate", args=[o.pk])),
        ("post", reverse("activities:undesignate", args=[o.pk, s.member.pk])),
        ("post", reverse("activities:evidence_add", args=[o.pk])),
        ("post", reverse("activities:evidence_withdraw", args=[w["evidence"].pk])),
        ("get", reverse("activities:homework_zip", args=[w["homework"].pk])),
    ]


def file_urls(w):
    return [
        reverse("activities:video_stream", args=[w["observation"].pk]),
        reverse("activities:homework_file", args=[w["file"].pk]),
        reverse("activities:evidence_file", args=[w["evidence"].pk]),
    ]


def member_urls(w):
    d = w["discussion"]
    return [
        ("get", reverse("activities:detail", args=[d.pk])),
        ("post", reverse("activities:join", args=[d.pk])),
        ("post", reverse("activities:enter", args=[d.pk])),
        ("post", reverse("activities:post_new", args=[d.pk])),
        ("post", reverse("activities:homework_submit", args=[w["homework"].pk])),
        ("post", reverse("activities:observation_submit", args=[w["observation"].pk])),
    ]


def test_anonymous_goes_to_the_login_page_everywhere(client, world):
    urls = leader_urls(world) + member_urls(world) + [("get", u) for u in file_urls(world)]
    urls += [("get", reverse("activities:mine")), ("get", reverse("accounts:inbox"))]
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"], url


def test_outsider_and_leader_of_another_group_get_404_everywhere(cast, world, as_user):
    s = world["s"]
    for user in (cast.outsider, s.other_leader):
        client = as_user(user)
        for method, url in leader_urls(world) + member_urls(world):
            assert getattr(client, method)(url).status_code == 404, (user, url)
        for url in file_urls(world):
            assert client.get(url).status_code == 404, (user, url)


def test_a_member_gets_403_on_every_leader_action(world, as_user):
    client = as_user(world["s"].member2)
    for method, url in leader_urls(world):
        assert getattr(client, method)(url).status_code == 403, url


def test_a_member_may_not_download_someone_elses_homework_but_may_see_evidence(world, as_user):
    member2 = as_user(world["s"].member2)
    assert member2.get(file_urls(world)[1]).status_code == 404
    assert member2.get(file_urls(world)[2]).status_code == 200
    assert member2.get(file_urls(world)[0]).status_code == 200


def test_the_leader_reaches_every_page(world, as_user):
    client = as_user(world["s"].leader)
    for method, url in leader_urls(world):
        if method == "get":
            assert client.get(url).status_code == 200, url
    for url in file_urls(world):
        assert client.get(url).status_code == 200, url


def test_stored_files_are_not_reachable_by_their_storage_name(world, as_user, settings):
    """Stored names are random (uuid4) and MEDIA_URL is not routed."""
    client = as_user(world["s"].leader)
    for name in (world["file"].file.name, world["evidence"].file.name):
        assert "设计" not in name and "现场" not in name
        assert client.get(f"{settings.MEDIA_URL}{name}").status_code == 404
        assert client.get(f"/media/{name}").status_code == 404
