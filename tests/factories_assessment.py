"""Builders for the assessment tests: a school with key points and groups,
hours from the ledger, real small files, and teachers at each stage of the
review. The `mats` fixture lives in fixtures_assessment.py."""

import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from accounts.models import SchoolMembership, User
from assessment import services
from groups.models import AbilityPoint, GroupMember, ResearchGroup, SchoolTheme
from hours.services import hours_credit

from . import factories as f
from .factories_activities import EXE, MP4, PNG  # noqa: F401  (re-exported for tests)
from .factories_groups import guangdong

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A Word 97-2003 file as the checker sees one: the OLE2 header, Word's FIB
# signature at 512, and a directory naming the WordDocument stream.
DOC = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    + b"\x00" * 504
    + b"\xec\xa5\xc1\x00"
    + b"\x00" * 1020
    + b"".join(
        n.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64
        for n in ("Root Entry", "WordDocument", "1Table")
    )
    + b"\x00" * 512
)


def _docx() -> bytes:
    document = Document()
    document.add_paragraph("提升总结")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


DOCX = _docx()
KEY_CODES = ("A3", "A13", "G2", "B1")


def upload(name: str, content: bytes = PDF, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf_of_size(size: int) -> bytes:
    """A PDF (by its first bytes) of exactly `size` bytes."""
    return (PDF + b"0" * size)[:size]


def points(*codes: str) -> list[AbilityPoint]:
    by_code = {p.code: p for p in AbilityPoint.objects.filter(framework=guangdong())}
    return [by_code[c] for c in codes]


@dataclass
class Mats:
    """School A of the cast with 4 key points (A3, A13, G2, B1); 语文组 led by
    周组长 with cast.teacher and cast.teacher2; 数学组 led by 吴组长 with 数学老师."""

    keys: list
    chinese: ResearchGroup
    leader: User
    maths: ResearchGroup
    maths_leader: User
    maths_teacher: User


def mats_setup(cast) -> Mats:
    theme, _ = SchoolTheme.objects.get_or_create(
        school=cast.school, cycle=cast.cycle, defaults={"title": "多技术融合"}
    )
    keys = points(*KEY_CODES)
    theme.key_points.set(keys)
    leader = f.teacher(cast.school, "周组长", subject="语文")
    chinese = ResearchGroup.objects.create(school=cast.school, name="语文组", leader=leader)
    for user in (leader, cast.teacher, cast.teacher2):
        GroupMember.objects.create(group=chinese, user=user)
    maths_leader = f.teacher(cast.school, "吴组长", subject="数学")
    maths_teacher = f.teacher(cast.school, "数学老师", subject="数学")
    maths = ResearchGroup.objects.create(school=cast.school, name="数学组", leader=maths_leader)
    for user in (maths_leader, maths_teacher):
        GroupMember.objects.create(group=maths, user=user)
    return Mats(keys, chinese, leader, maths, maths_leader, maths_teacher)


def give_hours(cast, teacher, hours: int) -> None:
    """Credit `hours` through the ledger, from a source not yet used for them."""
    used = teacher.hours_entries.count()
    source = AbilityPoint.objects.order_by("pk")[used]
    hours_credit(
        teacher=teacher,
        cycle=cast.cycle,
        school=cast.school,
        source=source,
        hours=hours,
        category="线下活动",
    )


def plan(cast, teacher, name: str = "计划.pdf", content: bytes = PDF):
    return services.plan_upload(
        teacher=teacher, school=cast.school, cycle=cast.cycle, upload=upload(name, content)
    )


def choose(cast, teacher, chosen, confirm: bool = False):
    return services.point_choices_save(
        teacher=teacher, school=cast.school, cycle=cast.cycle, points=chosen, confirm_drop=confirm
    )


def summary(cast, teacher, point, name: str = "总结.docx", content: bytes = DOCX):
    return services.summary_upload(
        teacher=teacher,
        school=cast.school,
        cycle=cast.cycle,
        point=point,
        upload=upload(name, content),
    )


def complete(cast, teacher, chosen) -> None:
    """Everything the review asks: 25 hours, a plan, the points, a summary each."""
    give_hours(cast, teacher, 25)
    plan(cast, teacher)
    choose(cast, teacher, chosen)
    for point in chosen:
        summary(cast, teacher, point)


def place(user) -> SchoolMembership:
    return SchoolMembership.objects.get(user=user, removed_at__isnull=True)


def fill_evidence(cast, teacher, point) -> None:
    """Every slot of the point's evaluation, with a PDF or a link."""
    from assessment.selectors import evidence_requirement

    slots, _ = evidence_requirement(point)
    for slot in slots:
        for n in range(1, slot["count"] + 1):
            kw = (
                {"link": f"https://video.example.com/{teacher.pk}/{n}"}
                if "视频" in slot["kind"]
                else {"upload": upload(f"{slot['kind']}{n}.pdf")}
            )
            services.evidence_save(
                teacher=teacher,
                school=cast.school,
                cycle=cast.cycle,
                point=point,
                kind=slot["kind"],
                position=n,
                **kw,
            )


def submit_evaluation(cast, teacher, point):
    fill_evidence(cast, teacher, point)
    return services.evaluation_submit(
        teacher=teacher, school=cast.school, cycle=cast.cycle, point=point
    )


def grow(cast, mats, n: int, *, start: int = 0) -> list:
    """`n` more teachers of the cast's school, in bulk, spread over every state
    of the review: none, a plan, points, summaries, complete, passed, failed,
    and evaluations at each status. Rows are written directly (set-up only):
    the pages under test only read them."""
    from accounts.demo_ids import make_id_number, make_phone
    from assessment.models import (
        AbilityEvaluation,
        AbilitySummary,
        ImprovementPlan,
        PointChoice,
        TeacherReview,
    )
    from assessment.services.stats import school_stats_refresh
    from hours.models import HoursSummary

    base = 50_000 + start
    users = User.objects.bulk_create(
        User(
            username=f"grow{base + i}",
            real_name=f"教师{base + i:06d}",
            phone=make_phone(base + i),
            id_number=make_id_number(base + i),
            password="!",
        )
        for i in range(n)
    )
    SchoolMembership.objects.bulk_create(
        SchoolMembership(user=u, school=cast.school, subject="语文", is_full_time=i % 7 != 0)
        for i, u in enumerate(users)
    )
    GroupMember.objects.bulk_create(
        GroupMember(group=mats.chinese if i % 2 else mats.maths, user=u)
        for i, u in enumerate(users)
    )
    common = {"school": cast.school, "cycle": cast.cycle}
    doc = {"original_name": "x.pdf", "size": 10, "content_type": "application/pdf"}
    plans, choices, summaries, reviews, evaluations, hours = [], [], [], [], [], []
    for i, u in enumerate(users):
        stage = i % 8
        hours.append(HoursSummary(teacher=u, cycle=cast.cycle, recorded=(i * 3) % 31))
        if stage >= 1:
            plans.append(ImprovementPlan(teacher=u, file=f"x/{u.pk}.pdf", **common, **doc))
        if stage >= 2:
            for p in mats.keys[:3]:
                choices.append(PointChoice(teacher=u, point=p, **common))
                evaluations.append(
                    AbilityEvaluation(
                        teacher=u,
                        point=p,
                        requirement=[{"kind": "方案", "count": 1}],
                        status=list(AbilityEvaluation.Status)[i % 6],
                        return_reason="请补充" if i % 6 == 3 else "",
                        **common,
                    )
                )
        if stage >= 3:
            for p in mats.keys[: 3 if stage >= 4 else 2]:
                summaries.append(
                    AbilitySummary(teacher=u, point=p, file=f"s/{u.pk}{p.pk}.pdf", **common, **doc)
                )
        if stage == 6:
            reviews.append(TeacherReview(teacher=u, result="passed", **common))
        if stage == 7:
            reviews.append(TeacherReview(teacher=u, result="failed", reason="总结不全", **common))
    HoursSummary.objects.bulk_create(hours)
    ImprovementPlan.objects.bulk_create(plans)
    PointChoice.objects.bulk_create(choices)
    AbilitySummary.objects.bulk_create(summaries)
    TeacherReview.objects.bulk_create(reviews)
    AbilityEvaluation.objects.bulk_create(evaluations)
    # The school's kept figures, as the services writing these rows keep them
    # (the school's home and 研修考核 read their count lines from there).
    school_stats_refresh(school_ids=[cast.school.pk], cycle_id=cast.cycle.pk)
    return users


def case(cast, mats: Mats, title: str = "秋天的雨"):
    """语文组's typical case, uploaded by its leader, recorded offline."""
    from assessment.services.cases import case_create

    return case_create(
        group=mats.chinese,
        cycle=cast.cycle,
        by=mats.leader,
        title=title,
        design=upload("设计.docx", DOCX),
        recording="offline",
    )
