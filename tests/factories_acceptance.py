"""Builders for the whole-school acceptance tests: the district's published
scheme, a school whose 95% gate is met, a complete set of materials and
self-scores, experts. Set-up goes through the services (the tests under them
go through the URLs); the gate's evaluations are written directly, as the
evaluation tests do (issue 10 owns that path)."""

from decimal import Decimal

from accounts.models import Region, SchoolMembership
from assessment.models import (
    AbilityEvaluation,
    Acceptance,
    AcceptanceScheme,
    PointChoice,
    ProofItem,
)
from assessment.selectors.acceptance import rubric_of
from assessment.services import acceptance as acc
from assessment.services import acceptance_scheme as schemes
from groups.models import AbilityPoint

from . import factories as f
from .factories_activities import EXE, PDF, PNG  # noqa: F401  (re-exported for tests)

PASS_MARK = Decimal(18)  # of the reference rubric's 30


def scheme(cast, *, district: Region | None = None, by=None, publish: bool = True, **settings):
    """The district's scheme for the cast's cycle: the draft (15 items, the
    reference rubric of 30 points), a pass mark of 18, published."""
    district = district or cast.district
    by = by or cast.district_admin
    s = schemes.scheme_create(region=district, cycle=cast.cycle, by=by)
    schemes.scheme_settings_save(
        scheme=s,
        pass_mark=settings.get("pass_mark", PASS_MARK),
        deadline=settings.get("deadline"),
        note=settings.get("note", ""),
    )
    if publish:
        s = schemes.scheme_publish(scheme=s, by=by)
    return s


def gate_met(cast, school=None) -> None:
    """Every full-time teacher of the school chose 3 points, each 合格."""
    school = school or cast.school
    chosen = list(AbilityPoint.objects.order_by("pk")[:3])
    teachers = SchoolMembership.objects.teachers().filter(school=school, is_full_time=True)
    for m in teachers:
        for p in chosen:
            PointChoice.objects.get_or_create(
                teacher=m.user, school=school, cycle=cast.cycle, point=p
            )
            AbilityEvaluation.objects.update_or_create(
                teacher=m.user,
                school=school,
                cycle=cast.cycle,
                point=p,
                defaults={"status": AbilityEvaluation.Status.PASSED},
            )


def upload(name: str = "材料.pdf", content: bytes = PDF, content_type="application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def materials(cast, school=None, by=None) -> None:
    """A PDF for every item of the checklist, and a self-score for every rubric
    item (its maximum less one, at least 0.5)."""
    school = school or cast.school
    by = by or cast.school_admin
    a = acc.acceptance_open(school=school, cycle=cast.cycle)
    for item in ProofItem.objects.filter(scheme=a.scheme):
        acc.proof_files_add(
            school=school,
            cycle=cast.cycle,
            item=item,
            uploads=[upload(f"第{item.number}项.pdf")],
            by=by,
        )
    acc.self_scores_save(
        school=school,
        cycle=cast.cycle,
        scores={
            i.pk: (max(i.max_points - 1, Decimal("0.5")), "已按要求完成")
            for i in rubric_of(a.scheme).items
        },
        by=by,
    )


def submitted(cast, school=None):
    """A school whose complete materials are submitted."""
    school = school or cast.school
    gate_met(cast, school)
    materials(cast, school)
    return acc.acceptance_submit(school=school, cycle=cast.cycle, by=cast.school_admin)


def expert(cast, name: str = "林专家", district: Region | None = None):
    return f.region_person(district or cast.district, "expert", name)


def full_marks(acceptance, less: Decimal = Decimal(0)) -> dict:
    """{rubric item id: (points, comment)}: each item's maximum less `less`."""
    return {
        i.pk: (max(i.max_points - less, Decimal(0)), "材料齐全")
        for i in rubric_of(acceptance.scheme).items
    }


def assign(cast, school=None, experts=None) -> int:
    """The district assigns the experts (the cast's by default) to the school."""
    school = school or cast.school
    return acc.experts_assign(
        schools=[school],
        experts=experts or [cast.expert],
        cycle=cast.cycle,
        region_id=school.region_id,
        by=cast.district_admin,
    )


def scored(cast, school=None, experts=None, less: Decimal = Decimal(0)):
    """A submitted school every given expert has scored and submitted."""
    a = submitted(cast, school)
    experts = experts or [cast.expert]
    assign(cast, a.school, experts)
    for e in experts:
        assignment = a.assignments.get(expert=e)
        acc.expert_scores_submit(assignment=assignment, scores=full_marks(a, less))
    a.refresh_from_db()
    return a


def passed(cast, school=None):
    """The school's acceptance, passed, written directly (set-up for what follows
    a pass, e.g. 学时登记: the path itself is tests/test_acceptance_path.py)."""
    school = school or cast.school
    existing = AcceptanceScheme.objects.filter(region=school.region, cycle=cast.cycle).first()
    return Acceptance.objects.create(
        school=school,
        cycle=cast.cycle,
        scheme=existing or scheme(cast, district=school.region),
        status="passed",
        decided_by=cast.district_admin,
    )
