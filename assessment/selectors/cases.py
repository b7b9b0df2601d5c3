"""Typical cases of the school's groups."""

from django.db.models import Count, Exists, OuterRef

from accounts.compiled import CompiledAggregate
from accounts.models import Cycle
from groups.models import ResearchGroup

from ..models import (
    TypicalCase,
)

# ---- typical cases -------------------------------------------------------------


def cases_of_school(*, school_id: int, cycle: Cycle):
    """Every case of the school's live groups for the cycle. One query."""
    return (
        TypicalCase.objects.filter(
            group__school_id=school_id, group__archived_at__isnull=True, cycle=cycle
        )
        .select_related("group", "uploaded_by", "rated_by")
        .order_by("group__name", "group_id", "created_at", "pk")
    )


def groups_without_case(*, school_id: int, cycle: Cycle):
    """Live groups of the school with no case for the cycle. One query."""
    has_case = TypicalCase.objects.filter(group=OuterRef("pk"), cycle=cycle)
    return (
        ResearchGroup.objects.filter(school_id=school_id, archived_at__isnull=True)
        .filter(~Exists(has_case))
        .select_related("leader")
        .order_by("name", "pk")
    )


def groups_without_case_count(*, school_id: int, cycle: Cycle) -> int:
    """How many groups_without_case there are (the school's home). One query."""
    (row,) = _WITHOUT_CASE.rows(school=school_id, cycle=cycle.pk)
    return row["n"]


# The school's home counts them on every visit: compiled once per process.
_WITHOUT_CASE = CompiledAggregate(
    lambda school, cycle: (groups_without_case(school_id=school, cycle=cycle), {"n": Count("pk")}),
    "school",
    "cycle",
)


def cases_of_groups(*, groups, cycle: Cycle) -> dict[int, list]:
    """{group_id: [cases]} for the given groups. One query."""
    out: dict[int, list] = {g.pk: [] for g in groups}
    for case in TypicalCase.objects.filter(group__in=list(groups), cycle=cycle).select_related(
        "uploaded_by"
    ):
        out[case.group_id].append(case)
    return out
