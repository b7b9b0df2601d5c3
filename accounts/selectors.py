"""Reads for people and places."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .access import schools_visible_to, staff_of_school
from .compiled import CompiledModels
from .models import Cycle, IdNumberRefusal, Region, School, SchoolMembership
from .params import whole_number
from .roles import Grant, Role


def roster(*, school_id: int, search: str = "", full_time: str = ""):
    """A school's teachers, optionally filtered by name/phone and 专任 flag."""
    qs = staff_of_school(school_id).filter(is_teacher=True)
    if search:
        qs = qs.filter(Q(user__real_name__contains=search) | Q(user__phone__contains=search))
    if full_time in ("1", "0"):
        qs = qs.filter(is_full_time=full_time == "1")
    return qs


def schools_with_counts(schools_qs):
    """Schools annotated with their number of active teachers (one query).

    A correlated subquery, not a join: the database counts the places of the
    schools it returns (a page of 50), and Django leaves an annotation nothing
    filters or sorts by out of the paginator's COUNT(*). A join with GROUP BY
    counted every teacher of the district twice per page (issue 15: 4–5× the
    cost of a trivial page at 300 schools / 80,000 teachers)."""
    places = (
        SchoolMembership.objects.teachers()
        .filter(school_id=OuterRef("pk"))
        .order_by()
        .values("school_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return schools_qs.annotate(
        teacher_count=Coalesce(Subquery(places, output_field=IntegerField()), 0)
    ).order_by("region__code", "code")


def districts_of(schools_qs):
    """The districts the given schools sit in, for a filter (one query)."""
    return Region.objects.filter(pk__in=schools_qs.values("region_id")).order_by("code")


def school_of(school_id: int) -> School:
    """The school a school role's pages are about (their grant's), as the ORM
    would read it; one compiled query (accounts.compiled): every school home."""
    return _SCHOOL.get(school=school_id)


_SCHOOL = CompiledModels(lambda school: School.objects.filter(pk=school), "school")


def school_counts(school: School) -> dict:
    return staff_of_school(school.id).aggregate(
        teachers=Count("pk", filter=Q(is_teacher=True)),
        full_time=Count("pk", filter=Q(is_teacher=True, is_full_time=True)),
    )


def cycle_current(today=None):
    """The cycle running today, else the latest that has started, else the next one."""
    today = today or timezone.localdate()
    running = Cycle.objects.filter(starts_on__lte=today).order_by("-starts_on").first()
    return running or Cycle.objects.order_by("starts_on").first()


def cycles_started(today=None) -> list:
    """Every cycle that has started, latest first: what a page may switch to."""
    today = today or timezone.localdate()
    return list(Cycle.objects.filter(starts_on__lte=today).order_by("-starts_on"))


def cycle_param(request) -> str:
    """The cycle id a page or form names (?cycle= or the form's field), as
    digits int() takes ("" if none: isdecimal, not isdigit, which admits "²")."""
    raw = request.GET.get("cycle") or request.POST.get("cycle") or ""
    return raw if whole_number(raw) is not None else ""


def cycle_chosen(request):
    """The cycle a page works on: the started cycle named by `cycle` in the
    query string or the form (a previous cycle's review, acceptance and
    registration follow its end while the next one runs), else cycle_current().
    Cycles are the province's, so naming one reaches nothing outside the
    person's scope; an unknown or future id falls back to the current one."""
    raw = cycle_param(request)
    if raw:
        chosen = Cycle.objects.filter(pk=int(raw), starts_on__lte=timezone.localdate()).first()
        if chosen is not None:
            return chosen
    return cycle_current()


def membership_removed_last(*, user):
    """The person's latest removed (调岗) place when they have no active one:
    what their home page explains instead of "no role"."""
    places = SchoolMembership.objects.filter(user=user)
    if places.filter(removed_at__isnull=True).exists():
        return None
    return (
        places.filter(removed_at__isnull=False)
        .select_related("school")
        .order_by("-removed_at")
        .first()
    )


def id_refusals_visible_to(grant: Grant):
    """The audit of ID numbers schools were refused (accounts.IdNumberRefusal),
    newest first: a district admin's schools; everything for the operator."""
    qs = IdNumberRefusal.objects.select_related("school", "by").order_by("-at", "-pk")
    if grant.role == Role.OPERATOR:
        return qs
    if grant.role == Role.DISTRICT_ADMIN:
        return qs.filter(school__in=schools_visible_to(grant).values("pk"))
    return qs.none()


def places_joined_on(*, school_id: int, user_ids) -> dict:
    """{user id: the day (Asia/Shanghai) their active place in the school began},
    for those of `user_ids` who hold one. One query."""
    rows = (
        SchoolMembership.objects.active()
        .filter(school_id=school_id, user_id__in=list(user_ids))
        .values_list("user_id", "joined_at")
    )
    return {uid: timezone.localdate(joined) for uid, joined in rows}
