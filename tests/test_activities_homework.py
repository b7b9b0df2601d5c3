"""研修作业: submit text and/or files (checked by content and size), replace while
open; the leader sees every submission and downloads them as a .zip."""

import io
import zipfile

import pytest
from django.urls import reverse

from activities import files
from activities.models import Participation, Submission, SubmissionFile
from hours.models import HoursEntry

from . import factories_activities as fa

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


@pytest.fixture
def homework(s):
    return fa.activity(s, "homework", task_kind="reflection")


def _joined(client, a):
    client.post(reverse("activities:join", args=[a.pk]))
    client.post(reverse("activities:enter", args=[a.pk]))
    return client


def test_member_submits_text_and_file_and_is_credited(s, homework, as_user):
    client = _joined(as_user(s.member), homework)
    page = client.get(reverse("activities:detail", args=[homework.pk])).content.decode()
    assert "单个文件不超过 20 MB" in page  # the limits are shown
    response = client.post(
        reverse("activities:homework_submit", args=[homework.pk]),
        {"text": "本学期的教学反思。", "files": [fa.upload("反思.pdf", fa.PDF)]},
    )
    assert response.status_code == 302
    submission = Submission.objects.get(activity=homework, user=s.member)
    stored = submission.files.get()
    assert stored.original_name == "反思.pdf" and "反思" not in stored.file.name
    assert Participation.objects.get(activity=homework, user=s.member).completed_at
    assert HoursEntry.objects.get(teacher=s.member, object_id=homework.pk).hours == 5

    # The author downloads their own file through the view.
    download = client.get(reverse("activities:homework_file", args=[stored.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == fa.PDF


def test_replacing_while_open_keeps_one_submission_and_one_credit(s, homework, as_user):
    client = _joined(as_user(s.member), homework)
    url = reverse("activities:homework_submit", args=[homework.pk])
    client.post(url, {"text": "初稿", "files": [fa.upload("a.pdf", fa.PDF)]})
    client.post(url, {"text": "修改稿", "files": [fa.upload("b.png", fa.PNG)]})
    submission = Submission.objects.get()
    assert submission.text == "修改稿"
    assert list(submission.files.values_list("original_name", flat=True)) == ["b.png"]
    assert HoursEntry.objects.filter(teacher=s.member, object_id=homework.pk).count() == 1


def test_double_submit_completes_once(s, homework, as_user):
    client = _joined(as_user(s.member), homework)
    url = reverse("activities:homework_submit", args=[homework.pk])
    for _ in range(2):
        client.post(url, {"text": "同一份作业"})
    assert Submission.objects.count() == 1
    assert HoursEntry.objects.filter(teacher=s.member).count() == 1


def test_an_exe_renamed_pdf_is_refused(s, homework, as_user):
    client = _joined(as_user(s.member), homework)
    response = client.post(
        reverse("activities:homework_submit", args=[homework.pk]),
        {"files": [fa.upload("教学设计.pdf", fa.EXE)]},
        follow=True,
    )
    assert "实际内容与扩展名 .pdf 不符" in response.content.decode()
    assert not Submission.objects.exists() and not SubmissionFile.objects.exists()
    assert not Participation.objects.filter(completed_at__isnull=False).exists()


def test_a_disallowed_extension_is_refused(s, homework, as_user):
    client = _joined(as_user(s.member), homework)
    response = client.post(
        reverse("activities:homework_submit", args=[homework.pk]),
        {"files": [fa.upload("setup.exe", fa.EXE)]},
        follow=True,
    )
    assert "格式不被接受" in response.content.decode()
    assert not Submission.objects.exists()


def test_an_over_size_file_is_refused(s, homework, as_user, monkeypatch):
    small = files.UploadPolicy("研修作业", files.HOMEWORK.extensions, 1024)
    monkeypatch.setattr("activities.services.homework.HOMEWORK", small)
    client = _joined(as_user(s.member), homework)
    response = client.post(
        reverse("activities:homework_submit", args=[homework.pk]),
        {"files": [fa.upload("big.pdf", fa.PDF + b"0" * 2048)]},
        follow=True,
    )
    assert "超过了" in response.content.decode()
    assert not Submission.objects.exists()


def test_nothing_to_submit_is_refused(s, homework, as_user):
    client = _joined(as_user(s.member), homework)
    response = client.post(
        reverse("activities:homework_submit", args=[homework.pk]), {"text": "  "}, follow=True
    )
    assert "请填写作业内容或上传作业文件" in response.content.decode()


def test_leader_sees_all_and_downloads_a_zip(s, homework, as_user):
    for user, name in ((s.member, "a.pdf"), (s.member2, "b.png")):
        client = _joined(as_user(user), homework)
        content = fa.PDF if name.endswith("pdf") else fa.PNG
        client.post(
            reverse("activities:homework_submit", args=[homework.pk]),
            {"text": f"{user.real_name}的作业", "files": [fa.upload(name, content)]},
        )
    leader = as_user(s.leader)
    page = leader.get(reverse("activities:detail", args=[homework.pk])).content.decode()
    assert "组员提交" in page and "a.pdf" in page and "b.png" in page
    response = leader.get(reverse("activities:homework_zip", args=[homework.pk]))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert any(n.endswith("1_a.pdf") for n in names) and any(n.endswith("1_b.png") for n in names)
    assert sum(n.endswith("作业内容.txt") for n in names) == 2


def test_other_members_cannot_download_someone_elses_homework(s, homework, as_user):
    client = _joined(as_user(s.member), homework)
    client.post(
        reverse("activities:homework_submit", args=[homework.pk]),
        {"files": [fa.upload("a.pdf", fa.PDF)]},
    )
    stored = SubmissionFile.objects.get()
    url = reverse("activities:homework_file", args=[stored.pk])
    assert as_user(s.member2).get(url).status_code == 404
    assert as_user(s.other_leader).get(url).status_code == 404
    assert as_user(s.leader).get(url).status_code == 200
    # And the zip is the leader's alone.
    zip_url = reverse("activities:homework_zip", args=[homework.pk])
    assert as_user(s.member2).get(zip_url).status_code == 403
