"""The district admin's (and operator's) list of schools, and the audit of ID
numbers its schools were refused (attack report 1 §1). The school list's .xlsx
is one of the district's exports, built by a task (assessment: the dashboard's
panel)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from ..access import role_required, schools_visible_to
from ..params import whole_number
from ..roles import Role
from ..selectors import districts_of, id_refusals_visible_to, schools_with_counts


@role_required(Role.DISTRICT_ADMIN, Role.OPERATOR)
def district_schools(request):
    visible = schools_visible_to(request.grant)
    search = request.GET.get("q", "").strip()
    district = request.GET.get("district", "")
    schools = schools_with_counts(visible)
    if search:
        schools = schools.filter(name__contains=search)
    if (region := whole_number(district)) is not None:
        schools = schools.filter(region_id=region)
    page = Paginator(schools, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/district_schools.html",
        {
            "page": page,
            "search": search,
            "district": district,
            "districts": districts_of(visible),
        },
    )


@role_required(Role.DISTRICT_ADMIN, Role.OPERATOR)
def district_id_refusals(request):
    """号码拒绝记录: when a school's roster form or import named someone it
    may not touch. Many in a day from one school mean someone is probing."""
    page = Paginator(id_refusals_visible_to(request.grant), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/district_id_refusals.html", {"page": page})
