"""Outside attack report 1, the uploads: §5 ordinary UTF-8 Chinese .txt files
without a final newline are accepted by the one checker (homework, offline
evidence, evaluation evidence), while invalid bytes inside a text still are
not; §13 a too-large file's size is rounded up, so it never reads as exactly
the limit it is over."""

import pytest
from django.urls import reverse

from accounts.roster import MAX_BYTES as ROSTER_MAX
from activities.models import Evidence, Submission
from assessment.models import AbilitySummary, EvaluationEvidence
from assessment.selectors import evidence_requirement

from . import factories_activities as fa
from . import factories_assessment as fm

pytest_plugins = ["tests.fixtures_assessment"]
pytestmark = pytest.mark.django_db

# The tester's files, byte for byte: none ends with a newline.
REFLECTION = "教学反思\r\n本节课我采用了微课导入，学生兴趣浓厚。".encode()  # 71 bytes
HOMEWORK_TEXT = "这是一份作业。".encode()  # 21 bytes
# 17,100 bytes: the checker reads the first 8 KB, and byte 8192 falls after two
# of the three bytes of a character (3 ASCII bytes, then 3-byte characters).
LONG_TEXT = ("abc" + "本节课我采用了微课导入学生兴趣浓厚" * 400).encode()[:17100]
FILES = {"反思.txt": REFLECTION, "作业.txt": HOMEWORK_TEXT, "长文.txt": LONG_TEXT}


def test_the_tester_files_are_what_they_claim():
    assert (len(REFLECTION), len(HOMEWORK_TEXT), len(LONG_TEXT)) == (71, 21, 17100)
    for content in FILES.values():
        content.decode("utf-8")
        assert not content.endswith(b"\n")
    assert (8192 - 3) % 3 == 2  # the 8 KB cut splits a character


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


@pytest.mark.parametrize("name", FILES)
def test_a_chinese_text_without_final_newline_is_accepted_as_homework(s, as_user, name):
    a = fa.activity(s, "homework")
    member = as_user(s.member)
    member.post(reverse("activities:join", args=[a.pk]))
    response = member.post(
        reverse("activities:homework_submit", args=[a.pk]),
        {"files": [fa.upload(name, FILES[name], "text/plain")]},
        follow=True,
    )
    assert "不是文本文件" not in messages_of(response)
    stored = Submission.objects.get(activity=a, user=s.member).files.get()
    assert stored.original_name == name and stored.file.read() == FILES[name]


@pytest.mark.parametrize("name", FILES)
def test_a_chinese_text_without_final_newline_is_accepted_as_offline_evidence(s, as_user, name):
    a = fa.activity(s, "offline", hours=2)
    response = as_user(s.leader).post(
        reverse("activities:evidence_add", args=[a.pk]),
        fa.evidence_data(a, "record", fa.upload(name, FILES[name], "text/plain")),
        follow=True,
    )
    assert "不是文本文件" not in messages_of(response)
    assert Evidence.objects.get(activity=a).original_name == name


@pytest.mark.parametrize("name", FILES)
def test_a_chinese_text_without_final_newline_is_accepted_as_evaluation_evidence(
    cast, as_user, mats, name
):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    point = mats.keys[0]
    kind = evidence_requirement(point)[0][0]["kind"]
    response = as_user(cast.teacher).post(
        reverse("assessment:evidence_upload", args=[point.pk]),
        {"kind": kind, "position": 1, "file": fm.upload(name, FILES[name], "text/plain")},
        follow=True,
    )
    assert f"已保存：{kind}" in messages_of(response)
    assert EvaluationEvidence.objects.get().original_name == name


@pytest.mark.parametrize(
    "content",
    [
        # A byte that starts no character, inside the text.
        "教学反思".encode() + b"\xff" + "本节课".encode(),
        # A character cut short inside the text, not at its end.
        "教学反思".encode()[:-1] + "本节课".encode(),
        # A whole file that ends inside a character (it is not cut: it is broken).
        "这是一份作业。".encode()[:-1],
    ],
    ids=["invalid-byte", "cut-inside", "cut-at-end-of-whole-file"],
)
def test_invalid_bytes_in_a_text_are_still_refused(s, as_user, content):
    a = fa.activity(s, "homework")
    member = as_user(s.member)
    member.post(reverse("activities:join", args=[a.pk]))
    response = member.post(
        reverse("activities:homework_submit", args=[a.pk]),
        {"files": [fa.upload("坏.txt", content, "text/plain")]},
        follow=True,
    )
    assert "“坏.txt”的内容不是文本文件" in messages_of(response)
    assert not Submission.objects.exists()


# ---- §13: the size of a file over a limit, rounded up ---------------------------


def test_a_summary_one_byte_over_2048_kb_reads_2048_1_kb(cast, as_user, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    big = fm.upload("s2.pdf", fm.pdf_of_size(2_097_153))
    response = as_user(cast.teacher).post(
        reverse("assessment:summary_upload", args=[mats.keys[0].pk]), {"file": big}, follow=True
    )
    assert "“s2.pdf”有 2048.1 KB（2,097,153 字节），超过了 2048 KB 的上限" in messages_of(response)
    assert not AbilitySummary.objects.exists()


def test_a_roster_of_5_261_287_bytes_reads_5_1_mb(cast, as_user):
    assert ROSTER_MAX == 5 * 1024 * 1024
    page = as_user(cast.school_admin).post(
        reverse("accounts:roster_import"), {"file": fa.upload("名单.xlsx", b"0" * 5_261_287)}
    )
    assert "文件有 5.1 MB（5,261,287 字节），超过了 5 MB 的上限" in page.content.decode()
