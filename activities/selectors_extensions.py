"""Reads of extensions (延期, activities.Extension): one teacher's last day on an
activity or on the cycle's materials, and the audit list. Each costs one query.

A teacher's extension is the latest `until` among their grants for the thing
(grants are append-only; a second grant may only move the day later)."""

import datetime
from collections.abc import Iterable

from django.db.models import Max, OuterRef, Subquery

from .models import Activity, Extension

Scope = Extension.Scope


def activity_extension_until(*, activity: Activity, teacher) -> datetime.date | None:
    return Extension.objects.filter(activity=activity, teacher=teacher).aggregate(
        until=Max("until")
    )["until"]


def activity_extensions(*, activity: Activity) -> dict[int, datetime.date]:
    """{teacher_id: until} of every teacher extended on the activity."""
    rows = (
        Extension.objects.filter(activity=activity)
        .values("teacher_id")
        .annotate(until=Max("until"))
        .order_by()
    )
    return {r["teacher_id"]: r["until"] for r in rows}


def activities_extensions(*, activity_ids: Iterable[int]) -> dict[tuple[int, int], datetime.date]:
    """{(activity_id, teacher_id): until} over many activities (the daily job)."""
    rows = (
        Extension.objects.filter(activity_id__in=list(activity_ids))
        .values("activity_id", "teacher_id")
        .annotate(until=Max("until"))
        .order_by()
    )
    return {(r["activity_id"], r["teacher_id"]): r["until"] for r in rows}


def activity_extension_subquery(*, teacher, activity_field: str = "pk"):
    """For lists of activities: `teacher`'s extension on each row's activity."""
    return Subquery(
        Extension.objects.filter(activity_id=OuterRef(activity_field), teacher=teacher)
        .order_by("-until")
        .values("until")[:1]
    )


def materials_extension_until(*, teacher, cycle) -> datetime.date | None:
    return Extension.objects.filter(scope=Scope.MATERIALS, teacher=teacher, cycle=cycle).aggregate(
        until=Max("until")
    )["until"]


def materials_extensions(*, cycle, teacher_ids: Iterable[int] | None = None, school_id=None):
    """{teacher_id: until} of the cycle's materials extensions (of some teachers,
    or of a school's)."""
    qs = Extension.objects.filter(scope=Scope.MATERIALS, cycle=cycle)
    if teacher_ids is not None:
        qs = qs.filter(teacher_id__in=list(teacher_ids))
    if school_id is not None:
        qs = qs.filter(school_id=school_id)
    rows = qs.values("teacher_id").annotate(until=Max("until")).order_by()
    return {r["teacher_id"]: r["until"] for r in rows}


def materials_extension_subquery(*, cycle, user_field: str = "user_id"):
    """For lists of teachers: each row's materials extension in the cycle."""
    return Subquery(
        Extension.objects.filter(
            scope=Scope.MATERIALS, cycle=cycle, teacher_id=OuterRef(user_field)
        )
        .order_by("-until")
        .values("until")[:1]
    )


def extensions_of_school(*, school_id: int, cycle=None, search: str = "", scope: str = ""):
    """The audit list: every grant in the school (of the cycle), newest first,
    with the teacher, the activity and who granted it. One query."""
    qs = Extension.objects.filter(school_id=school_id).select_related(
        "teacher", "activity__group", "granted_by", "cycle"
    )
    if cycle is not None:
        qs = qs.filter(cycle=cycle)
    if search:
        qs = qs.filter(teacher__real_name__contains=search)
    if scope in Scope.values:
        qs = qs.filter(scope=scope)
    return qs.order_by("-granted_at", "-pk")


def extensions_of_activity(*, activity: Activity):
    """The grants on one activity, newest first (the extension page's history)."""
    return (
        Extension.objects.filter(activity=activity)
        .select_related("teacher", "granted_by")
        .order_by("-granted_at", "-pk")
    )
