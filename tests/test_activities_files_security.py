"""Issue 8 points 10 and 12 (files): homework .zip entry names from sanitised
names; .docx/.xlsx/.pptx must be their own packages, .doc a real Word file,
.txt no HTML; every response carrying a file is sandboxed."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from docx import Document
from openpyxl import Workbook

from accounts.models import User
from activities.files import MISSING_IN_ZIP, archive_name
from activities.models import Submission, SubmissionFile

from . import factories_activities as fa

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


@pytest.fixture
def homework(s):
    return fa.activity(s, "homework", task_kind="reflection")


def submit(client, activity, name, content):
    client.post(reverse("activities:join", args=[activity.pk]))
    return client.post(
        reverse("activities:homework_submit", args=[activity.pk]),
        {"files": [fa.upload(name, content)]},
        follow=True,
    )


# ---- zip entry names (point 10) --------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["../../x", "..", "/etc/passwd", "C:\\Windows\\evil", "a/../../b", "\x00\x1b[31m红", " . "],
)
def test_an_archive_name_is_one_safe_path_component(name):
    safe = archive_name(name)
    assert safe and "/" not in safe and "\\" not in safe
    assert ".." not in safe and not safe.startswith((".", " "))
    assert all(ord(c) >= 32 for c in safe)


def test_the_homework_zip_never_writes_outside_its_folder(s, homework, as_user):
    User.objects.filter(pk=s.member.pk).update(real_name="../../x")
    response = submit(as_user(s.member), homework, "a.pdf", fa.PDF)
    assert response.status_code == 200
    # A stored name that got past the upload (an old row, another client).
    SubmissionFile.objects.update(original_name="../../../etc/cron.d/evil\x07.pdf")
    Submission.objects.filter(user=s.member2).delete()
    other = Submission.objects.create(activity=homework, user=s.member2, text="作业")
    SubmissionFile.objects.create(
        submission=other,
        file=ContentFile(fa.PDF, name="x.pdf"),
        original_name="C:\\Users\\..\\evil.pdf",
        size=len(fa.PDF),
        content_type="application/pdf",
    )
    User.objects.filter(pk=s.member2.pk).update(real_name="/abs")
    zipped = as_user(s.leader).get(reverse("activities:homework_zip", args=[homework.pk]))
    names = zipfile.ZipFile(io.BytesIO(b"".join(zipped.streaming_content))).namelist()
    assert names
    for entry in names:
        parts = entry.split("/")
        assert len(parts) == 2, entry  # folder/file, nothing deeper
        assert not entry.startswith("/") and "\\" not in entry
        assert ".." not in parts and all(p and not p.startswith(".") for p in parts)
        assert all(ord(c) >= 32 for c in entry)
    assert "sandbox" in zipped["Content-Security-Policy"]


# ---- file content checks (point 12) -----------------------------------------------


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    Document().save(buf)
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    buf = io.BytesIO()
    Workbook().save(buf)
    return buf.getvalue()


def zip_with(*names) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n in names:
            z.writestr(n, "<x/>")
    return buf.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def ole(*streams: str, word_fib: bool = True) -> bytes:
    """An OLE2 file: header, then (at 512) a Word FIB, then a directory naming `streams`."""
    body = OLE + b"\x00" * 504 + (b"\xec\xa5\xc1\x00" if word_fib else b"\x00" * 4)
    body += b"\x00" * 1020
    for name in streams:
        body += name.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64
    return body + b"\x00" * 512


GOOD = {
    "作业.docx": docx_bytes(),
    "表.xlsx": xlsx_bytes(),
    "课件.pptx": zip_with("[Content_Types].xml", "ppt/presentation.xml"),
    "旧作业.doc": ole("Root Entry", "WordDocument", "1Table"),
    "说明.txt": "我的作业：a < b，见附件。\n".encode(),
}
BAD = {
    "any zip as docx": ("作业.docx", zip_with("readme.txt")),
    "an xlsx as docx": ("作业.docx", xlsx_bytes()),
    "a docx as xlsx": ("表.xlsx", docx_bytes()),
    "a zip as pptx": ("课件.pptx", zip_with("[Content_Types].xml", "x.xml")),
    "an OLE file that is no Word file": ("旧作业.doc", ole("Root Entry", "Workbook")),
    "OLE magic only": ("旧作业.doc", OLE + b"\x00" * 2000),
    "a page as txt": ("说明.txt", b"<!DOCTYPE html><html><body>hi</body></html>"),
    "a script as txt": ("说明.txt", b"\n  <script>alert(document.cookie)</script>"),
    "an svg as txt": ("说明.txt", b"<svg onload=alert(1)>"),
}


@pytest.mark.parametrize("name", GOOD)
def test_real_documents_are_accepted(s, homework, as_user, name):
    response = submit(as_user(s.member), homework, name, GOOD[name])
    assert SubmissionFile.objects.filter(original_name=name).exists(), response.content.decode()


@pytest.mark.parametrize("kind", BAD)
def test_files_that_are_not_what_their_name_says_are_refused(s, homework, as_user, kind):
    name, content = BAD[kind]
    response = submit(as_user(s.member), homework, name, content)
    body = response.content.decode()
    assert "不符" in body or "网页" in body
    assert not SubmissionFile.objects.exists()


# ---- sandbox on served files (point 12) ---------------------------------------------


def test_a_served_upload_is_sandboxed(s, homework, as_user):
    submit(as_user(s.member), homework, "a.txt", b"plain text")
    stored = SubmissionFile.objects.get()
    response = as_user(s.member).get(reverse("activities:homework_file", args=[stored.pk]))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert policy.startswith("sandbox") and "default-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_served_pdf_loads_nothing_but_keeps_the_browsers_viewer(s, homework, as_user):
    submit(as_user(s.member), homework, "a.pdf", fa.PDF)
    stored = SubmissionFile.objects.get()
    response = as_user(s.member).get(reverse("activities:homework_file", args=[stored.pk]))
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_exports_are_sandboxed_too(cast, as_user):
    response = as_user(cast.school_admin).get(reverse("accounts:roster"), {"export": "xlsx"})
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_a_file_lost_from_storage_is_missing_not_an_error(s, homework, as_user):
    """Storage lost a file (a restore, a cleanup): its download answers 404,
    and the leader's .zip still holds everything else, with a note for it."""
    submit(as_user(s.member), homework, "a.pdf", fa.PDF)
    submit(as_user(s.member2), homework, "b.pdf", fa.PDF)
    lost = SubmissionFile.objects.get(submission__user=s.member)
    lost.file.storage.delete(lost.file.name)
    url = reverse("activities:homework_file", args=[lost.pk])
    assert as_user(s.member).get(url).status_code == 404
    kept = SubmissionFile.objects.get(submission__user=s.member2)
    assert (
        as_user(s.member2).get(reverse("activities:homework_file", args=[kept.pk])).status_code
        == 200
    )
    zipped = as_user(s.leader).get(reverse("activities:homework_zip", args=[homework.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(zipped.streaming_content)))
    names = archive.namelist()
    assert any(n.endswith("b.pdf") for n in names)
    (note,) = [n for n in names if n.endswith("a.pdf（缺失）.txt")]
    assert archive.read(note).decode() == MISSING_IN_ZIP
    assert archive.read(next(n for n in names if n.endswith("b.pdf"))) == fa.PDF
