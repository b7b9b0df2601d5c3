"""Upload limits at their exact boundary, for every kind of upload (issue 16 §2):
exactly the limit is accepted, one byte more is refused with the file's size
in the message and nothing stored; a binary file renamed to an accepted
extension is refused by its content; a video may exceed the 20 MB document
limit up to its own.

The kinds: 研修作业 (homework, 20 MB), 佐证材料 (evidence, 20 MB, video 1 GB),
课堂视频 (lesson video, 1 GB), the roster import (.xlsx, 5 MB), the
ability-point catalogue import (.xlsx or .csv, 5 MB); and the assessment's:
个人提升计划 (plan, 10 MB), 测评证据 (evaluation evidence, 20 MB, video 500 MB),
典型案例 教学设计 (case design, 20 MB), 验收材料 (acceptance proof, 20 MB, video
500 MB, at most 20 files per item). (The summaries' 2048 KB is in
tests/test_assessment_uploads.py.)

Through the URL go the sizes a test can afford: 20 MB documents and a video
of 20 MB + 1 (Django spools them to a temporary file, as in production). The
1 GB video limit is tested on the service with an upload object whose
reported size sits at the boundary: the check reads only `upload.size` (the
byte count Django's upload handler made while streaming the request to disk)
and the file's first 8 KB, so a small file reporting 1 GB goes down exactly
the path a real one would, without writing 2 GB per test run.
"""

import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from accounts.demo_ids import make_id_number
from accounts.models import User
from accounts.roster import MAX_BYTES as ROSTER_MAX
from activities import services
from activities.files import EVIDENCE, HOMEWORK, LESSON_VIDEO, MB, UploadRefused, check_upload
from activities.models import Activity, Evidence, Submission
from assessment import files as assessment_files
from groups.catalogue import MAX_BYTES as CATALOGUE_MAX
from groups.models import Framework

from . import factories_activities as fa

pytestmark = pytest.mark.django_db

DOC_LIMIT = 20 * MB
VIDEO_LIMIT = 1024 * MB


def sized(name: str, head: bytes, size: int, content_type="application/octet-stream"):
    """A file of exactly `size` bytes starting with `head` (the rest zeros)."""
    return SimpleUploadedFile(name, head + b"\0" * (size - len(head)), content_type=content_type)


def reporting(name: str, head: bytes, size: int):
    """A small file that reports `size` bytes, as an upload of that size would."""
    upload = SimpleUploadedFile(name, head)
    upload.size = size
    return upload


def over(size: int) -> str:
    """What a refusal must say about a file of `size` bytes (its size in the
    rule's unit is rounded up: one byte over 20 MB reads 20.1 MB, attack 1 §13)."""
    return f"{size:,} 字节"


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


# ---- the policies, at every limit (reported sizes) ------------------------------


@pytest.mark.parametrize(
    ("policy", "name", "head", "limit"),
    [
        (HOMEWORK, "作业.pdf", fa.PDF, DOC_LIMIT),
        (EVIDENCE, "签到表.pdf", fa.PDF, DOC_LIMIT),
        (EVIDENCE, "现场.mp4", fa.MP4, VIDEO_LIMIT),
        (LESSON_VIDEO, "课例.mp4", fa.MP4, VIDEO_LIMIT),
        (assessment_files.PLAN, "计划.pdf", fa.PDF, 10 * MB),
        (assessment_files.EVALUATION_EVIDENCE, "方案.pdf", fa.PDF, DOC_LIMIT),
        (assessment_files.EVALUATION_EVIDENCE, "反思.mp4", fa.MP4, 500 * MB),
        (assessment_files.CASE_DESIGN, "教学设计.pdf", fa.PDF, DOC_LIMIT),
        (assessment_files.PROOF, "规划.pdf", fa.PDF, DOC_LIMIT),
        (assessment_files.PROOF, "优秀课例.mp4", fa.MP4, 500 * MB),
    ],
    ids=[
        "homework",
        "evidence-document",
        "evidence-video",
        "lesson-video",
        "plan",
        "evaluation-evidence-document",
        "evaluation-evidence-video",
        "case-design",
        "proof-document",
        "proof-video",
    ],
)
def test_each_policy_takes_exactly_its_limit_and_not_a_byte_more(policy, name, head, limit):
    assert policy.limit_for(name.rsplit(".", 1)[1]) == limit
    check_upload(reporting(name, head, limit), policy)
    with pytest.raises(UploadRefused) as refused:
        check_upload(reporting(name, head, limit + 1), policy)
    assert over(limit + 1) in str(refused.value)
    assert f"超过了 {limit // MB} MB 的上限" in str(refused.value)


def test_a_document_above_20_mb_is_refused_even_where_videos_may_be_larger():
    with pytest.raises(UploadRefused, match="超过了 20 MB"):
        check_upload(reporting("签到表.pdf", fa.PDF, DOC_LIMIT + 1), EVIDENCE)
    check_upload(reporting("现场.mp4", fa.MP4, DOC_LIMIT + 1), EVIDENCE)


# ---- 研修作业, through the URL --------------------------------------------------


def test_homework_of_exactly_20_mb_is_accepted_and_one_byte_more_refused(s, as_user):
    a = fa.activity(s, "homework")
    member = as_user(s.member)
    member.post(reverse("activities:join", args=[a.pk]))
    url = reverse("activities:homework_submit", args=[a.pk])
    member.post(url, {"files": [sized("教学设计.pdf", fa.PDF, DOC_LIMIT)]})
    stored = Submission.objects.get(activity=a, user=s.member).files.get()
    assert stored.size == DOC_LIMIT and stored.file.size == DOC_LIMIT
    response = member.post(
        url, {"files": [sized("教学设计二.pdf", fa.PDF, DOC_LIMIT + 1)]}, follow=True
    )
    text = messages_of(response)
    assert "“教学设计二.pdf”有 20.1 MB（20,971,521 字节），超过了 20 MB 的上限" in text
    # Nothing lost: the accepted file is still the submission's only file.
    assert [f.original_name for f in Submission.objects.get().files.all()] == ["教学设计.pdf"]


def test_a_program_renamed_txt_is_refused_as_homework(s, as_user):
    a = fa.activity(s, "homework")
    member = as_user(s.member)
    member.post(reverse("activities:join", args=[a.pk]))
    response = member.post(
        reverse("activities:homework_submit", args=[a.pk]),
        {"files": [fa.upload("作业.txt", fa.EXE)]},
        follow=True,
    )
    assert "“作业.txt”的内容不是文本文件" in messages_of(response)
    assert not Submission.objects.exists()


# ---- 佐证材料, through the URL ---------------------------------------------------


def test_evidence_documents_stop_at_20_mb_and_videos_go_beyond(s, as_user):
    a = fa.activity(s, "offline", hours=2)
    leader = as_user(s.leader)
    url = reverse("activities:evidence_add", args=[a.pk])
    leader.post(url, fa.evidence_data(a, "sign_in", sized("签到表.pdf", fa.PDF, DOC_LIMIT)))
    assert Evidence.objects.get().size == DOC_LIMIT
    response = leader.post(
        url, fa.evidence_data(a, "record", sized("记录.pdf", fa.PDF, DOC_LIMIT + 1)), follow=True
    )
    assert f"“记录.pdf”有 20.1 MB（{over(DOC_LIMIT + 1)}），超过了 20 MB 的上限" in messages_of(
        response
    )
    assert Evidence.objects.count() == 1
    leader.post(
        url, fa.evidence_data(a, "video", sized("现场.mp4", fa.MP4, DOC_LIMIT + 1, "video/mp4"))
    )
    assert Evidence.objects.filter(original_name="现场.mp4", size=DOC_LIMIT + 1).exists()


def test_a_program_renamed_txt_is_refused_as_evidence(s, as_user):
    a = fa.activity(s, "offline", hours=2)
    response = as_user(s.leader).post(
        reverse("activities:evidence_add", args=[a.pk]),
        fa.evidence_data(a, "record", fa.upload("记录.txt", fa.EXE)),
        follow=True,
    )
    assert "“记录.txt”的内容不是文本文件" in messages_of(response)
    assert not Evidence.objects.exists()


def test_an_evidence_video_stops_at_1_gb(s):
    """The service, with uploads reporting the boundary sizes (module docstring)."""
    a = fa.activity(s, "offline", hours=2)
    services.evidence_add(
        activity=a, by=s.leader, kind="video", upload=reporting("现场.mp4", fa.MP4, VIDEO_LIMIT)
    )
    with pytest.raises(services.ActivityError) as refused:
        services.evidence_add(
            activity=a,
            by=s.leader,
            kind="video",
            upload=reporting("现场二.mp4", fa.MP4, VIDEO_LIMIT + 1),
        )
    assert f"“现场二.mp4”有 1024.1 MB（{over(VIDEO_LIMIT + 1)}），超过了 1024 MB" in str(
        refused.value
    )
    assert list(Evidence.objects.values_list("original_name", flat=True)) == ["现场.mp4"]


# ---- 课堂视频 ------------------------------------------------------------------


def test_a_lesson_video_above_20_mb_is_accepted_through_the_page(s, as_user):
    a = fa.activity(s, "observation", publish=False)
    as_user(s.leader).post(
        reverse("activities:video_set", args=[a.pk]),
        {"video": sized("课例.mp4", fa.MP4, DOC_LIMIT + 1, "video/mp4")},
    )
    a.refresh_from_db()
    assert a.video_name == "课例.mp4" and a.video.size == DOC_LIMIT + 1


def test_a_lesson_video_stops_at_1_gb(s):
    a = fa.activity(s, "observation", publish=False)
    services.observation_video_set(
        activity=a, by=s.leader, upload=reporting("课例.mp4", fa.MP4, VIDEO_LIMIT)
    )
    a.refresh_from_db()
    assert a.video_name == "课例.mp4"
    with pytest.raises(services.ActivityError) as refused:
        services.observation_video_set(
            activity=a, by=s.leader, upload=reporting("课例二.mp4", fa.MP4, VIDEO_LIMIT + 1)
        )
    assert over(VIDEO_LIMIT + 1) in str(refused.value)
    a.refresh_from_db()
    assert a.video_name == "课例.mp4"


@pytest.mark.parametrize("name", ["课例.mp4", "课例.txt"])
def test_a_program_renamed_is_refused_as_a_lesson_video(s, as_user, name):
    a = fa.activity(s, "observation", publish=False)
    before = Activity.objects.get(pk=a.pk).video_url
    response = as_user(s.leader).post(
        reverse("activities:video_set", args=[a.pk]),
        {"video": fa.upload(name, fa.EXE)},
        follow=True,
    )
    assert f"“{name}”的" in messages_of(response)
    a.refresh_from_db()
    assert not a.video and a.video_url == before


# ---- the two .xlsx imports, through their pages ---------------------------------


def padded_zip(package: bytes, size: int) -> bytes:
    """`package` (an .xlsx) grown to exactly `size` bytes by an extra stored
    part no reader looks at, the way images inflate a real workbook."""

    def build(pad: int) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                dst.writestr(info, src.read(info))
            # Random bytes (not XML, nothing to compress), stored as they are.
            dst.writestr("xl/media/padding.bin", b"\0" + os.urandom(pad - 1), zipfile.ZIP_STORED)
        return out.getvalue()

    first = build(1024)
    data = build(1024 + size - len(first))
    assert len(data) == size
    return data


def workbook(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


ROSTER_HEADER = ["姓名", "手机号", "身份证号", "学科", "学段", "是否专任教师"]


def roster_file(size: int, n: int):
    rows = [
        ROSTER_HEADER,
        [f"新教师{n}", f"1371234{n:04d}", make_id_number(9900 + n), "语文", "小学", "是"],
    ]
    return SimpleUploadedFile("名单.xlsx", padded_zip(workbook(rows), size))


def test_a_roster_of_exactly_5_mb_is_imported_and_one_byte_more_refused(cast, as_user):
    admin = as_user(cast.school_admin)
    url = reverse("accounts:roster_import")
    done = admin.post(url, {"file": roster_file(ROSTER_MAX, 1)})
    assert "导入完成：新增 1 人" in done.content.decode()
    refused = admin.post(url, {"file": roster_file(ROSTER_MAX + 1, 2)}).content.decode()
    assert f"文件有 5.1 MB（{over(ROSTER_MAX + 1)}），超过了 5 MB 的上限" in refused
    assert User.objects.filter(real_name__startswith="新教师").count() == 1


@pytest.mark.parametrize("name", ["名单.xlsx", "名单.txt"])
def test_a_program_is_refused_as_a_roster(cast, as_user, name):
    before = User.objects.count()
    page = as_user(cast.school_admin).post(
        reverse("accounts:roster_import"), {"file": fa.upload(name, fa.EXE)}
    )
    assert "无法读取该文件：请上传 Excel .xlsx 文件" in page.content.decode()
    assert User.objects.count() == before


CATALOGUE_HEADER = ["framework", "code", "name", "mode", "dimension", "description", "evidence"]


def catalogue_xlsx(size: int, framework: str):
    rows = [CATALOGUE_HEADER, [framework, "A1", "技术支持的学情分析", "", "学情分析", "", "方案×1"]]
    return SimpleUploadedFile("points.xlsx", padded_zip(workbook(rows), size))


def catalogue_csv(size: int, framework: str):
    """A .csv of exactly `size` bytes: one point, then filler in a column no
    one reads, in cells below the csv module's field limit."""
    head = ",".join(CATALOGUE_HEADER) + ",备注\n"
    row = f"{framework},A1,技术支持的学情分析,,学情分析,,方案×1,"
    text = (head + row).encode()
    filler = size - len(text) - 1
    cells = []
    while filler > 0:
        chunk = min(filler, 100_000)
        cells.append(b"x" * chunk)
        filler -= chunk
    # The first filler cell ends the point's row; the rest stand on rows of their own.
    body = text + cells[0] + b"\n" + b"".join(b",,,,,,," + c + b"\n" for c in cells[1:])
    body = body[:size] if len(body) >= size else body + b"\n" * (size - len(body))
    return SimpleUploadedFile("points.csv", body)


@pytest.mark.parametrize("make", [catalogue_xlsx, catalogue_csv], ids=["xlsx", "csv"])
def test_a_catalogue_of_exactly_5_mb_is_imported_and_one_byte_more_refused(cast, as_user, make):
    operator = as_user(cast.operator)
    url = reverse("admin:groups_abilitypoint_import")
    response = operator.post(url, {"file": make(CATALOGUE_MAX, "边界框架"), "retire_missing": ""})
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert Framework.objects.get(name="边界框架").points.count() == 1
    page = operator.post(url, {"file": make(CATALOGUE_MAX + 1, "超限框架")}).content.decode()
    assert f"文件有 5.1 MB（{over(CATALOGUE_MAX + 1)}），超过了 5 MB 的上限" in page
    assert not Framework.objects.filter(name="超限框架").exists()


@pytest.mark.parametrize("name", ["points.csv", "points.xlsx", "points.txt"])
def test_a_program_is_refused_as_a_catalogue(cast, as_user, name):
    before = Framework.objects.count()
    page = as_user(cast.operator).post(
        reverse("admin:groups_abilitypoint_import"), {"file": fa.upload(name, fa.EXE)}
    )
    assert page.status_code == 200
    assert "无法读取" in page.content.decode()
    assert Framework.objects.count() == before


# ---- the assessment's uploads, through their pages --------------------------------


def stored_files() -> list:
    """Every file in storage (MEDIA_ROOT is the test's own directory)."""
    from django.conf import settings

    root = settings.MEDIA_ROOT
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def mats(cast):
    from . import factories_assessment as fm

    return fm.mats_setup(cast)


def test_a_plan_of_exactly_10_mb_is_accepted_and_one_byte_more_refused(cast, as_user, mats):
    from assessment.models import ImprovementPlan

    client = as_user(cast.teacher)
    url = reverse("assessment:plan_upload")
    limit = 10 * MB
    response = client.post(url, {"file": sized("计划.pdf", fa.PDF, limit + 1)}, follow=True)
    assert f"“计划.pdf”有 10.1 MB（{over(limit + 1)}），超过了 10 MB 的上限" in messages_of(
        response
    )
    assert not ImprovementPlan.objects.exists() and not stored_files()
    client.post(url, {"file": sized("计划.pdf", fa.PDF, limit)})
    assert ImprovementPlan.objects.get().size == limit


def _evidence(cast, mats, client, upload):
    from assessment.selectors import evidence_requirement

    from . import factories_assessment as fm

    fm.choose(cast, cast.teacher, mats.keys[:3])
    point = mats.keys[0]
    slots, _ = evidence_requirement(point)
    return client.post(
        reverse("assessment:evidence_upload", args=[point.pk]),
        {"kind": slots[0]["kind"], "position": 1, "file": upload},
        follow=True,
    )


def test_evaluation_evidence_documents_stop_at_20_mb_and_videos_go_beyond(cast, as_user, mats):
    from assessment.models import EvaluationEvidence

    client = as_user(cast.teacher)
    response = _evidence(cast, mats, client, sized("方案.pdf", fa.PDF, DOC_LIMIT + 1))
    assert f"“方案.pdf”有 20.1 MB（{over(DOC_LIMIT + 1)}），超过了 20 MB 的上限" in messages_of(
        response
    )
    assert not EvaluationEvidence.objects.exists() and not stored_files()
    _evidence(cast, mats, client, sized("方案.pdf", fa.PDF, DOC_LIMIT))
    assert EvaluationEvidence.objects.get().size == DOC_LIMIT
    # A reflection video above the documents' 20 MB is taken (it replaces the slot's file).
    _evidence(cast, mats, client, sized("反思.mp4", fa.MP4, DOC_LIMIT + 1, "video/mp4"))
    item = EvaluationEvidence.objects.get()
    assert (item.original_name, item.size) == ("反思.mp4", DOC_LIMIT + 1)


def test_an_evaluation_video_stops_at_500_mb(cast, mats):
    """The service, with uploads reporting the boundary sizes (module docstring)."""
    from django.core.exceptions import ValidationError

    from assessment import services as assessment_services
    from assessment.models import EvaluationEvidence
    from assessment.selectors import evidence_requirement

    from . import factories_assessment as fm

    fm.choose(cast, cast.teacher, mats.keys[:3])
    point = mats.keys[0]
    kind = evidence_requirement(point)[0][0]["kind"]
    common = {"teacher": cast.teacher, "school": cast.school, "cycle": cast.cycle, "point": point}
    limit = 500 * MB
    with pytest.raises(ValidationError) as refused:
        assessment_services.evidence_save(
            **common, kind=kind, position=1, upload=reporting("反思.mp4", fa.MP4, limit + 1)
        )
    assert f"“反思.mp4”有 500.1 MB（{over(limit + 1)}），超过了 500 MB 的上限" in str(refused.value)
    assert not EvaluationEvidence.objects.exists()
    assessment_services.evidence_save(
        **common, kind=kind, position=1, upload=reporting("反思.mp4", fa.MP4, limit)
    )
    assert EvaluationEvidence.objects.get().size == limit


def test_a_program_renamed_txt_is_refused_as_evaluation_evidence(cast, as_user, mats):
    from assessment.models import EvaluationEvidence

    response = _evidence(cast, mats, as_user(cast.teacher), fa.upload("成果.txt", fa.EXE))
    assert "“成果.txt”的内容不是文本文件" in messages_of(response)
    assert not EvaluationEvidence.objects.exists() and not stored_files()


def test_a_case_design_of_exactly_20_mb_is_accepted_and_one_byte_more_refused(cast, as_user, mats):
    from assessment.models import TypicalCase

    client = as_user(mats.leader)
    url = reverse("assessment:cases")

    def case(design):
        data = {"group": mats.chinese.pk, "title": "秋天的雨", "recording": "offline"}
        return client.post(url, {**fa.once(), **data, "design": design}, follow=True)

    page = case(sized("设计.pdf", fa.PDF, DOC_LIMIT + 1)).content.decode()
    assert f"“设计.pdf”有 20.1 MB（{over(DOC_LIMIT + 1)}），超过了 20 MB 的上限" in page
    assert not TypicalCase.objects.exists() and not stored_files()
    case(sized("设计.pdf", fa.PDF, DOC_LIMIT))
    assert TypicalCase.objects.get().size == DOC_LIMIT


@pytest.fixture
def proof_item(cast):
    from assessment.models import ProofItem
    from assessment.services import acceptance as acc

    from . import factories_acceptance as fx

    fx.scheme(cast)
    a = acc.acceptance_open(school=cast.school, cycle=cast.cycle)
    return ProofItem.objects.get(scheme=a.scheme, number=3)


def _proof_upload(cast, as_user, item, files):
    client = as_user(cast.school_admin)
    url = reverse("assessment:acceptance_upload", args=[item.pk])
    response = client.post(url, {**fa.once(), "files": files})
    return client.get(response["Location"]).content.decode()


def test_proof_videos_go_beyond_20_mb_through_the_page(cast, as_user, proof_item):
    from assessment.models import ProofFile

    _proof_upload(
        cast, as_user, proof_item, [sized("优秀课例.mp4", fa.MP4, DOC_LIMIT + 1, "video/mp4")]
    )
    assert ProofFile.objects.get().size == DOC_LIMIT + 1


def test_a_proof_video_stops_at_500_mb(cast, proof_item):
    from django.core.exceptions import ValidationError

    from assessment.models import ProofFile
    from assessment.services import acceptance as acc

    limit = 500 * MB
    common = {"school": cast.school, "cycle": cast.cycle, "item": proof_item}
    with pytest.raises(ValidationError) as refused:
        acc.proof_files_add(
            **common, uploads=[reporting("课例.mp4", fa.MP4, limit + 1)], by=cast.school_admin
        )
    assert f"“课例.mp4”有 500.1 MB（{over(limit + 1)}），超过了 500 MB 的上限" in str(refused.value)
    assert not ProofFile.objects.exists()
    acc.proof_files_add(
        **common, uploads=[reporting("课例.mp4", fa.MP4, limit)], by=cast.school_admin
    )
    assert ProofFile.objects.get().size == limit


def test_an_item_takes_20_files_and_not_one_more(cast, as_user, proof_item):
    from assessment.models import ProofFile

    # 21 at once: none stored.
    page = _proof_upload(
        cast, as_user, proof_item, [fa.upload(f"材料{i}.pdf", fa.PDF) for i in range(21)]
    )
    assert "每项最多上传 20 个文件，第 3 项已有 0 个。" in page
    assert not ProofFile.objects.exists() and not stored_files()
    # 20: all stored; then one more: refused, the 20 kept.
    _proof_upload(cast, as_user, proof_item, [fa.upload(f"材料{i}.pdf", fa.PDF) for i in range(20)])
    assert ProofFile.objects.filter(item=proof_item).count() == 20
    before = stored_files()
    assert len(before) == 20  # the check sees what storage holds
    page = _proof_upload(cast, as_user, proof_item, [fa.upload("第21份.pdf", fa.PDF)])
    assert "每项最多上传 20 个文件，第 3 项已有 20 个。" in page
    assert ProofFile.objects.filter(item=proof_item).count() == 20
    assert stored_files() == before


def test_a_program_renamed_txt_is_refused_as_proof(cast, as_user, proof_item):
    from assessment.models import ProofFile

    page = _proof_upload(cast, as_user, proof_item, [fa.upload("说明.txt", fa.EXE)])
    assert "“说明.txt”的内容不是文本文件" in page
    assert not ProofFile.objects.exists() and not stored_files()
