"""What the district's exports read: who may see an export, and the rows of
the two sheets, streamed (a queryset iterated in chunks, never held whole)."""

from collections.abc import Iterator

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.access import regions_under
from accounts.idnumbers import mask_id_number
from accounts.models import Cycle, Region, School, SchoolMembership
from accounts.roles import Grant, Role
from hours.models import HoursRegistration
from hours.selectors import Totals, hours_recorded_of

from ..models import DistrictExport, TeacherReview
from .district import STAGE_LABELS, district_schools, hours_of, stage_of
from .evaluation import GATE_PASSED, with_gate

# Rows fetched per round trip; also how often the progress is saved.
CHUNK = 2000


def exports_visible_to(grant: Grant, user):
    """The exports a person may see and download: their own, and (for a
    district admin) those of their region, asked by its other admins. Another
    region's are missing (404), as everywhere."""
    own = Q(requested_by=user)
    if grant.role == Role.DISTRICT_ADMIN:
        own |= Q(region_id=grant.region_id)
    return DistrictExport.objects.filter(own).select_related("requested_by", "region", "cycle")


def get_export_for(grant: Grant, user, key) -> DistrictExport:
    return get_object_or_404(exports_visible_to(grant, user), key=key)


def exports_recent(*, grant: Grant, user, limit: int = 5) -> list[DistrictExport]:
    """The person's (and their region's) latest exports, for the dashboard's panel."""
    return list(exports_visible_to(grant, user).order_by("-created_at", "-pk")[:limit])


def export_schools(export: DistrictExport):
    """The schools an export covers: its region and below, or every school."""
    schools = School.objects.select_related("region")
    if export.region_id is None:
        return schools
    return schools.filter(regions_under(Region(pk=export.region_id)))


def export_done_file(export: DistrictExport):
    """The stored file of a finished export; 404 before (or after it expired)."""
    if export.status != DistrictExport.Status.DONE or not export.file:
        raise Http404
    return export.file


# ---- the schools -----------------------------------------------------------------

SCHOOLS_HEADER = [
    "区县",
    "学校",
    "学校代码",
    "阶段",
    "教师数",
    "满 25 学时人数",
    "满 25 学时比例",
    "平均计入学时",
    "研修考核通过人数",
    "研修考核通过率",
    "专任教师数",
    "能力点测评合格人数（专任）",
    "能力点测评合格率",
]


def _share(part: int, whole: int) -> str:
    return f"{part * 100 // whole}%" if whole else "—"


def school_rows(schools, *, cycle: Cycle) -> Iterator[list]:
    """One line per school with its stage and figures (the dashboard's, from
    the kept rows), in region and code order."""
    qs = district_schools(schools=schools, cycle=cycle)
    for s in qs.iterator(chunk_size=CHUNK):
        yield [
            s.region.name,
            s.name,
            s.code,
            STAGE_LABELS[stage_of(s)],
            s.teachers,
            s.hours_25,
            _share(s.hours_25, s.teachers),
            hours_of(s).average,
            s.review_passed,
            _share(s.review_passed, s.teachers),
            s.full_time,
            s.evaluation_passed,
            _share(s.evaluation_passed, s.full_time),
        ]


# ---- every teacher -----------------------------------------------------------------

TEACHERS_HEADER = [
    "区县",
    "学校",
    "学校代码",
    "姓名",
    "身份证号",
    "学科",
    "学段",
    "专任教师",
    "记录学时",
    "计入学时",
    "研修考核",
    "能力点测评",
    "学时登记",
]
RESULT_LABELS = dict(TeacherReview.Result.choices)


def teachers_of(schools):
    """Active teachers of `schools` (the count the progress runs against)."""
    return SchoolMembership.objects.teachers().filter(school__in=schools.values("pk"))


def teacher_rows(schools, *, cycle: Cycle) -> Iterator[list]:
    """One line per active teacher of `schools`, by school and name: masked ID,
    hours recorded and counted (the ledger's), review result, whether the
    teacher passes the evaluation gate (专任 only), registration. One query,
    streamed in chunks: memory does not grow with the number of teachers."""
    review = TeacherReview.objects.filter(teacher_id=OuterRef("user_id"), cycle=cycle)
    registered = HoursRegistration.objects.filter(teacher_id=OuterRef("user_id"), cycle=cycle)
    qs = (
        with_gate(teachers_of(schools), cycle=cycle)
        .annotate(
            recorded=hours_recorded_of(cycle=cycle),
            review_result=Subquery(review.values("result")[:1]),
            registered=Subquery(registered.values("hours")[:1]),
            gate_passed=ExpressionWrapper(GATE_PASSED, output_field=BooleanField()),
        )
        .order_by("school__code", "user__real_name", "pk")
        .values_list(
            "school__region__name",
            "school__name",
            "school__code",
            "user__real_name",
            "user__id_number",
            "subject",
            "stage",
            "is_full_time",
            "recorded",
            "review_result",
            "registered",
            "gate_passed",
        )
    )
    for row in qs.iterator(chunk_size=CHUNK):
        (region, school, code, name, id_number, subject, stage, full_time) = row[:8]
        recorded, result, registered_hours, gate = row[8:]
        yield [
            region,
            school,
            code,
            name,
            mask_id_number(id_number or ""),
            subject,
            stage,
            "是" if full_time else "否",
            recorded,
            Totals(recorded=recorded).counted,
            RESULT_LABELS.get(result or TeacherReview.Result.PENDING),
            ("合格" if gate else "未合格") if full_time else "—",
            "未登记" if registered_hours is None else f"已登记 {registered_hours}",
        ]
