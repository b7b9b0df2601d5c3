"""What the acceptance's readers open: the school's uploaded files, and the
platform's own records that prove items of the checklist (the 两案 .docx, the
研修考核表, the 测评结果登记表, the typical cases, the consistency check).
Each runs an access helper first (access.get_proof_file_for,
get_school_for_acceptance): the school's own roles, its district admin, and an
expert assigned to it once it submitted. Files are sandboxed like every other
file (activities.files.serve_file)."""

from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_sameorigin

from accounts.access import role_required
from accounts.exports import sandbox, xlsx_response
from accounts.roles import Role
from accounts.selectors import cycle_chosen
from activities.consistency import school_consistency
from activities.files import serve_file
from groups.plan_docx import plan_docx
from groups.selectors import school_plan_for, school_plan_points
from hours.selectors import group_names_by_user

from ..access import get_proof_file_for, get_school_for_acceptance
from ..exports import register_xlsx, review_xlsx
from ..files import inline
from ..models import TypicalCase
from ..selectors import (
    cases_of_school,
    evaluations_for,
    register_choices,
    review_teachers,
)

READERS = (Role.SCHOOL_ADMIN, Role.INFO_TEAM, Role.DISTRICT_ADMIN, Role.EXPERT)


@xframe_options_sameorigin  # a PDF shows inside the scoring page (an iframe of ours)
@role_required(*READERS)
def proof_file(request, file_id: int):
    """A file of the checklist: PDFs, pictures and video inline, office files as downloads."""
    proof = get_proof_file_for(request.grant, request.user, file_id)
    return serve_file(
        request,
        proof.file,
        filename=proof.original_name,
        content_type=proof.content_type,
        inline=inline(proof.content_type),
    )


def _school(request, school_id: int):
    # The acceptance's cycle, named by the links (?cycle=): an expert scoring
    # last cycle's school reads last cycle's records.
    cycle = cycle_chosen(request)
    if cycle is None:
        raise Http404
    return get_school_for_acceptance(request.grant, request.user, school_id, cycle), cycle


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return sandbox(response)


@role_required(*READERS)
def evidence_plan(request, school_id: int):
    """两案 (校本研修方案) as the .docx the school exports."""
    school, cycle = _school(request, school_id)
    plan = school_plan_for(school=school, cycle=cycle)
    if plan is None:
        raise Http404
    plan.school = school
    content = plan_docx(plan, points=school_plan_points(plan=plan))
    return _attachment(content, DOCX, f"{school.name}-校本研修方案.docx")


@role_required(*READERS)
def evidence_review(request, school_id: int):
    """研修考核表 (.xlsx), as the school's own export: ID numbers masked."""
    school, cycle = _school(request, school_id)
    rows = review_teachers(school_id=school.pk, cycle=cycle)
    content = review_xlsx(rows, group_names_by_user(school_id=school.pk))
    return xlsx_response(content, f"{school.name}-研修考核.xlsx")


@role_required(*READERS)
def evidence_register(request, school_id: int):
    """应用能力点测评结果登记表 (.xlsx)."""
    school, cycle = _school(request, school_id)
    content = register_xlsx(
        register_choices(school_id=school.pk, cycle=cycle),
        evaluations_for(school_id=school.pk, cycle=cycle),
        group_names_by_user(school_id=school.pk),
    )
    return xlsx_response(content, f"{school.name}-应用能力点测评结果登记表.xlsx")


@role_required(*READERS)
def evidence_cases(request, school_id: int):
    """典型案例 of the school's groups, each document and recording openable."""
    school, cycle = _school(request, school_id)
    cases = list(cases_of_school(school_id=school.pk, cycle=cycle))
    return render(request, "assessment/acceptance_cases.html", {"school": school, "cases": cases})


@role_required(*READERS)
def evidence_consistency(request, school_id: int):
    """方案与实施一致性, read-only (the findings without the school's edit links)."""
    school, cycle = _school(request, school_id)
    report = school_consistency(school_id=school.pk, cycle=cycle)
    return render(
        request,
        "assessment/acceptance_consistency.html",
        {"school": school, "cycle": cycle, "report": report},
    )


def _case(request, school_id: int, case_id: int) -> TypicalCase:
    school, cycle = _school(request, school_id)
    case = cases_of_school(school_id=school.pk, cycle=cycle).filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


@xframe_options_sameorigin
@role_required(*READERS)
def evidence_case_design(request, school_id: int, case_id: int):
    case = _case(request, school_id, case_id)
    return serve_file(
        request,
        case.file,
        filename=f"{case.group.name}-{case.title}-教学设计.{case.ext}",
        content_type=case.content_type,
        inline=inline(case.content_type),
    )


@role_required(*READERS)
def evidence_case_recording(request, school_id: int, case_id: int):
    case = _case(request, school_id, case_id)
    if not case.recording_file:
        raise Http404
    return serve_file(
        request,
        case.recording_file,
        filename=case.recording_name or f"{case.title}-课堂实录.mp4",
        content_type=case.recording_type or "video/mp4",
        inline=True,
    )
