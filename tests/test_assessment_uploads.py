"""Upload rules for the plan, the summaries, evaluation evidence and typical
cases, through the pages that take them: each allowed type, a renamed
executable, the summary's 2048 KB limit, replacement, the closed cycle, and
another teacher's file."""

import datetime
from urllib.parse import quote

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from assessment.models import (
    AbilitySummary,
    EvaluationEvidence,
    ImprovementPlan,
    TypicalCase,
)
from assessment.selectors import evidence_requirement

from . import factories_assessment as fm

pytest_plugins = ["tests.fixtures_assessment"]
pytestmark = pytest.mark.django_db

PLAN_UPLOAD = reverse("assessment:plan_upload")
KB = 1024


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def post(client, url, data):
    return client.post(url, data, follow=True)


def close_cycle(cast):
    cast.cycle.starts_on = datetime.date.today() - datetime.timedelta(days=200)
    cast.cycle.ends_on = datetime.date.today() - datetime.timedelta(days=1)
    cast.cycle.save()


# ---- the improvement plan ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "ctype"),
    [
        ("我的计划.pdf", fm.PDF, "application/pdf"),
        ("我的计划.docx", fm.DOCX, "openxmlformats"),
        ("我的计划.doc", fm.DOC, "application/msword"),
    ],
)
def test_teacher_uploads_a_plan_of_each_allowed_type(cast, as_user, mats, name, content, ctype):
    client = as_user(cast.teacher)
    response = post(client, PLAN_UPLOAD, {"file": fm.upload(name, content)})
    assert "提升计划已保存" in messages_of(response)
    plan = ImprovementPlan.objects.get(teacher=cast.teacher)
    assert plan.original_name == name and ctype in plan.content_type
    # Stored under a generated name, never the uploader's.
    assert "我的计划" not in plan.file.name and plan.file.name.startswith("assessment/plans/")
    download = client.get(reverse("assessment:plan_file", args=[plan.pk]))
    assert download.status_code == 200
    ext = name.rsplit(".", 1)[1]
    assert quote(f"李老师+教师信息技术应用能力提升计划.{ext}") in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == content


def test_the_plan_downloads_as_name_plus_title(cast, as_user, mats):
    plan = fm.plan(cast, cast.teacher, name="随便起的名字.docx", content=fm.DOCX)
    response = as_user(cast.school_admin).get(reverse("assessment:plan_file", args=[plan.pk]))
    expected = quote("李老师+教师信息技术应用能力提升计划.docx")
    assert response["Content-Disposition"] == f"attachment; filename*=UTF-8''{expected}"


@pytest.mark.parametrize("name", ["计划.pdf", "计划.docx", "计划.doc"])
def test_a_renamed_executable_is_refused_as_a_plan(cast, as_user, mats, name):
    response = post(as_user(cast.teacher), PLAN_UPLOAD, {"file": fm.upload(name, fm.EXE)})
    assert "实际内容与扩展名" in messages_of(response)
    assert not ImprovementPlan.objects.exists()


def test_a_plan_of_another_type_is_refused(cast, as_user, mats):
    response = post(as_user(cast.teacher), PLAN_UPLOAD, {"file": fm.upload("计划.png", fm.PNG)})
    assert "格式不被接受" in messages_of(response)
    assert not ImprovementPlan.objects.exists()


def test_uploading_again_replaces_the_plan(cast, as_user, mats, django_capture_on_commit_callbacks):
    client = as_user(cast.teacher)
    post(client, PLAN_UPLOAD, {"file": fm.upload("第一版.pdf")})
    first = ImprovementPlan.objects.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        post(client, PLAN_UPLOAD, {"file": fm.upload("第二版.docx", fm.DOCX)})
    plan = ImprovementPlan.objects.get()  # still one
    assert plan.original_name == "第二版.docx"
    assert not default_storage.exists(first)  # the replaced file is gone
    assert default_storage.exists(plan.file.name)


def test_no_plan_upload_after_the_cycle_ends(cast, as_user, mats):
    close_cycle(cast)
    client = as_user(cast.teacher)
    response = post(client, PLAN_UPLOAD, {"file": fm.upload("计划.pdf")})
    assert "研修周期已于" in messages_of(response) and "停止上传和修改" in messages_of(response)
    assert not ImprovementPlan.objects.exists()
    page = client.get(reverse("assessment:mine")).content.decode()
    assert 'id="closed"' in page and 'id="plan-form"' not in page


def test_another_teachers_plan_is_not_found(cast, as_user, mats):
    plan = fm.plan(cast, cast.teacher)
    url = reverse("assessment:plan_file", args=[plan.pk])
    assert as_user(cast.teacher2).get(url).status_code == 404
    assert as_user(mats.leader).get(url).status_code == 404  # a leader does not see plans
    assert as_user(cast.outsider).get(url).status_code == 404
    assert as_user(cast.info_team).get(url).status_code == 200
    assert as_user(cast.teacher).get(url).status_code == 200


# ---- summaries ---------------------------------------------------------------------


def summary_url(point):
    return reverse("assessment:summary_upload", args=[point.pk])


@pytest.mark.parametrize(
    ("name", "content"), [("总结.pdf", fm.PDF), ("总结.docx", fm.DOCX), ("总结.doc", fm.DOC)]
)
def test_summary_of_each_allowed_type(cast, as_user, mats, name, content):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    response = post(
        as_user(cast.teacher), summary_url(mats.keys[0]), {"file": fm.upload(name, content)}
    )
    assert "A3 的提升总结已保存" in messages_of(response)
    assert AbilitySummary.objects.get().original_name == name


def test_a_summary_of_exactly_2048_kb_passes_and_one_byte_more_is_refused(cast, as_user, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    client = as_user(cast.teacher)
    big = fm.upload("总结.pdf", fm.pdf_of_size(2049 * KB))
    text = messages_of(post(client, summary_url(mats.keys[0]), {"file": big}))
    assert "“总结.pdf”有 2049.0 KB（2,098,176 字节），超过了 2048 KB 的上限" in text
    one_more = fm.upload("总结.pdf", fm.pdf_of_size(2048 * KB + 1))
    text = messages_of(post(client, summary_url(mats.keys[0]), {"file": one_more}))
    assert "有 2048.1 KB（2,097,153 字节），超过了 2048 KB 的上限" in text  # rounded up
    assert not AbilitySummary.objects.exists()
    exact = fm.upload("总结.pdf", fm.pdf_of_size(2048 * KB))
    response = post(client, summary_url(mats.keys[0]), {"file": exact})
    assert "提升总结已保存" in messages_of(response)
    assert AbilitySummary.objects.get().size == 2048 * KB


def test_the_summary_input_tells_the_browser_its_limit_in_kb(cast, as_user, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    page = as_user(cast.teacher).get(reverse("assessment:mine")).content.decode()
    assert f'data-max-bytes="{2048 * KB}"' in page and 'data-size-unit="KB"' in page
    assert "不超过 2048 KB" in page


def test_a_renamed_executable_is_refused_as_a_summary(cast, as_user, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    response = post(
        as_user(cast.teacher), summary_url(mats.keys[0]), {"file": fm.upload("总结.docx", fm.EXE)}
    )
    assert "实际内容与扩展名" in messages_of(response)
    assert not AbilitySummary.objects.exists()


def test_uploading_a_summary_again_keeps_one(cast, as_user, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    client = as_user(cast.teacher)
    post(client, summary_url(mats.keys[0]), {"file": fm.upload("旧.pdf")})
    post(client, summary_url(mats.keys[0]), {"file": fm.upload("新.docx", fm.DOCX)})
    assert [s.original_name for s in AbilitySummary.objects.all()] == ["新.docx"]


def test_no_summary_for_a_point_not_chosen(cast, as_user, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    response = as_user(cast.teacher).post(
        summary_url(mats.keys[3]), {"file": fm.upload("总结.pdf")}
    )
    assert response.status_code == 404
    assert not AbilitySummary.objects.exists()


def test_no_summary_after_the_cycle_ends(cast, as_user, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    close_cycle(cast)
    response = post(
        as_user(cast.teacher), summary_url(mats.keys[0]), {"file": fm.upload("总结.pdf")}
    )
    assert "研修周期已于" in messages_of(response)
    assert not AbilitySummary.objects.exists()


def test_another_teachers_summary_is_not_found(cast, as_user, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    summary = fm.summary(cast, cast.teacher, mats.keys[0])
    url = reverse("assessment:summary_file", args=[summary.pk])
    assert as_user(cast.teacher2).get(url).status_code == 404
    assert as_user(cast.outsider).get(url).status_code == 404
    response = as_user(cast.school_admin).get(url)
    assert response.status_code == 200
    assert quote("李老师-A3提升总结.docx") in response["Content-Disposition"]


# ---- evaluation evidence -----------------------------------------------------------


def evidence_url(point):
    return reverse("assessment:evidence_upload", args=[point.pk])


def first_slot(point):
    slots, _ = evidence_requirement(point)
    return slots[0]["kind"]


@pytest.mark.parametrize(
    ("name", "content"),
    [("方案.pdf", fm.PDF), ("方案.docx", fm.DOCX), ("成果.png", fm.PNG), ("反思.mp4", fm.MP4)],
)
def test_evidence_of_each_allowed_type(cast, as_user, mats, name, content):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    kind = first_slot(mats.keys[0])
    response = post(
        as_user(cast.teacher),
        evidence_url(mats.keys[0]),
        {"kind": kind, "position": 1, "file": fm.upload(name, content)},
    )
    assert f"已保存：{kind}" in messages_of(response)
    assert EvaluationEvidence.objects.get().original_name == name


def test_evidence_may_be_a_link(cast, as_user, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    kind = first_slot(mats.keys[0])
    post(
        as_user(cast.teacher),
        evidence_url(mats.keys[0]),
        {"kind": kind, "position": 1, "link": "https://video.example.com/1"},
    )
    item = EvaluationEvidence.objects.get()
    assert item.link == "https://video.example.com/1" and not item.file


def test_evidence_needs_a_file_or_a_link_not_both(cast, as_user, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    kind = first_slot(mats.keys[0])
    client = as_user(cast.teacher)
    both = {"kind": kind, "position": 1, "file": fm.upload("a.pdf"), "link": "https://x.cn/1"}
    assert "二选一" in messages_of(post(client, evidence_url(mats.keys[0]), both))
    neither = {"kind": kind, "position": 1}
    assert "二选一" in messages_of(post(client, evidence_url(mats.keys[0]), neither))
    assert not EvaluationEvidence.objects.exists()


def test_a_renamed_executable_is_refused_as_evidence(cast, as_user, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    response = post(
        as_user(cast.teacher),
        evidence_url(mats.keys[0]),
        {"kind": first_slot(mats.keys[0]), "position": 1, "file": fm.upload("成果.mp4", fm.EXE)},
    )
    assert "实际内容与扩展名" in messages_of(response)
    assert not EvaluationEvidence.objects.exists()


def test_evidence_again_replaces_the_item(cast, as_user, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    client = as_user(cast.teacher)
    kind = first_slot(mats.keys[0])
    post(
        client,
        evidence_url(mats.keys[0]),
        {"kind": kind, "position": 1, "file": fm.upload("一.pdf")},
    )
    post(
        client,
        evidence_url(mats.keys[0]),
        {"kind": kind, "position": 1, "file": fm.upload("二.pdf")},
    )
    assert [i.original_name for i in EvaluationEvidence.objects.all()] == ["二.pdf"]


def test_no_evidence_after_the_cycle_ends(cast, as_user, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    close_cycle(cast)
    response = post(
        as_user(cast.teacher),
        evidence_url(mats.keys[0]),
        {"kind": first_slot(mats.keys[0]), "position": 1, "file": fm.upload("方案.pdf")},
    )
    assert "研修周期已于" in messages_of(response)
    assert not EvaluationEvidence.objects.exists()


def test_another_teachers_evidence_is_not_found(cast, as_user, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    fm.fill_evidence(cast, cast.teacher, mats.keys[0])
    item = EvaluationEvidence.objects.filter(file__gt="").first()
    url = reverse("assessment:evidence_file", args=[item.pk])
    assert as_user(cast.teacher).get(url).status_code == 200
    assert as_user(cast.teacher2).get(url).status_code == 404
    assert as_user(cast.outsider).get(url).status_code == 404
    # The leader of 数学组 does not lead 李老师.
    assert as_user(mats.maths_leader).get(url).status_code == 404


# ---- typical cases ------------------------------------------------------------------

CASES = reverse("assessment:cases")


def case_form(mats, **kw):
    data = {
        "group": mats.chinese.pk,
        "title": "《秋天的雨》",
        "design": fm.upload("教学设计.docx", fm.DOCX),
        "recording": "offline",
    }
    data.update(kw)
    return data


@pytest.mark.parametrize(
    ("name", "content"), [("设计.pdf", fm.PDF), ("设计.docx", fm.DOCX), ("设计.doc", fm.DOC)]
)
def test_leader_uploads_a_case_design_of_each_allowed_type(cast, as_user, mats, name, content):
    response = post(as_user(mats.leader), CASES, case_form(mats, design=fm.upload(name, content)))
    assert "典型案例《《秋天的雨》》已上传" in messages_of(response)
    case = TypicalCase.objects.get()
    assert (case.group, case.original_name, case.recording) == (mats.chinese, name, "offline")


def test_the_recording_as_a_file_or_a_link(cast, as_user, mats):
    client = as_user(mats.leader)
    post(
        client,
        CASES,
        case_form(
            mats, title="视频", recording="file", recording_file=fm.upload("实录.mp4", fm.MP4)
        ),
    )
    post(
        client,
        CASES,
        case_form(mats, title="链接", recording="link", recording_url="https://v.example.com/1"),
    )
    by_title = {c.title: c for c in TypicalCase.objects.all()}
    assert by_title["视频"].recording_file and by_title["视频"].recording_name == "实录.mp4"
    assert by_title["链接"].recording_url == "https://v.example.com/1"
    stream = client.get(reverse("assessment:case_recording", args=[by_title["视频"].pk]))
    assert stream.status_code == 200


def test_a_renamed_executable_is_refused_as_a_case(cast, as_user, mats):
    client = as_user(mats.leader)
    response = post(client, CASES, case_form(mats, design=fm.upload("设计.pdf", fm.EXE)))
    assert "实际内容与扩展名" in response.content.decode()
    response = post(
        client,
        CASES,
        case_form(mats, recording="file", recording_file=fm.upload("实录.mp4", fm.EXE)),
    )
    assert "实际内容与扩展名" in response.content.decode()
    assert not TypicalCase.objects.exists()


def test_a_case_with_the_same_title_is_stored_once(cast, as_user, mats):
    client = as_user(mats.leader)
    post(client, CASES, case_form(mats))
    response = post(client, CASES, case_form(mats))
    assert "未重复保存" in response.content.decode()
    assert TypicalCase.objects.count() == 1


def test_no_case_after_the_cycle_ends(cast, as_user, mats):
    close_cycle(cast)
    response = post(as_user(mats.leader), CASES, case_form(mats))
    assert not TypicalCase.objects.exists()
    assert "研修周期已结束" in response.content.decode()


def test_another_groups_case_is_not_found(cast, as_user, mats):
    post(as_user(mats.leader), CASES, case_form(mats))
    case = TypicalCase.objects.get()
    url = reverse("assessment:case_design", args=[case.pk])
    assert as_user(mats.leader).get(url).status_code == 200
    assert as_user(cast.school_admin).get(url).status_code == 200
    assert as_user(mats.maths_leader).get(url).status_code == 404
    assert as_user(cast.outsider).get(url).status_code == 404


def test_a_leader_cannot_upload_for_a_group_they_do_not_lead(cast, as_user, mats):
    response = as_user(mats.leader).post(CASES, case_form(mats, group=mats.maths.pk))
    assert "只能为自己担任组长的教研组上传" in response.content.decode()
    assert not TypicalCase.objects.exists()
