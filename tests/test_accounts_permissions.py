"""Each role reaches its own pages and nothing of another school, district or role."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import SchoolMembership
from accounts.roles import Role

pytestmark = pytest.mark.django_db

SCHOOL_ADMIN_PAGES = [
    ("accounts:roster", ()),
    ("accounts:teacher_create", ()),
    ("accounts:roster_import", ()),
    ("accounts:roster_template", ()),
]


@pytest.mark.parametrize(("name", "args"), SCHOOL_ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_login(cast, name, args):
    response = Client().get(reverse(name, args=args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("name", "args"), SCHOOL_ADMIN_PAGES)
@pytest.mark.parametrize("who", ["teacher", "info_team", "district_admin", "expert"])
def test_other_roles_may_not_open_school_admin_pages(cast, as_user, name, args, who):
    assert as_user(getattr(cast, who)).get(reverse(name, args=args)).status_code == 403


@pytest.mark.parametrize(("name", "args"), SCHOOL_ADMIN_PAGES)
def test_school_admin_opens_their_pages(cast, as_user, name, args):
    assert as_user(cast.school_admin).get(reverse(name, args=args)).status_code == 200


def test_roster_shows_only_the_admins_own_school(cast, as_user):
    page = as_user(cast.school_admin).get(reverse("accounts:roster")).context["page"]
    users = {m.user for m in page}
    assert cast.teacher in users
    assert cast.outsider not in users


def test_editing_a_teacher_of_another_school_is_not_found(cast, as_user):
    outsider_place = SchoolMembership.objects.get(user=cast.outsider)
    client = as_user(cast.school_admin)
    url = reverse("accounts:teacher_edit", args=[outsider_place.pk])
    assert client.get(url).status_code == 404
    assert (
        client.post(
            url, {"real_name": "改名", "phone": "13700000000", "id_number": cast.outsider.id_number}
        ).status_code
        == 404
    )
    cast.outsider.refresh_from_db()
    assert cast.outsider.real_name == "外校老师"


def test_a_removed_teacher_is_no_longer_in_the_roster(cast, as_user):
    from django.utils import timezone

    SchoolMembership.objects.filter(user=cast.teacher).update(removed_at=timezone.now())
    page = as_user(cast.school_admin).get(reverse("accounts:roster")).context["page"]
    assert cast.teacher not in {m.user for m in page}


def test_district_admin_sees_only_schools_of_their_district(cast, as_user):
    page = as_user(cast.district_admin).get(reverse("accounts:district_schools")).context["page"]
    assert [s.name for s in page] == [cast.school.name]
    other = as_user(cast.other_district_admin).get(reverse("accounts:district_schools"))
    assert [s.name for s in other.context["page"]] == [cast.other_school.name]


def test_a_city_level_admin_sees_every_district_below(cast, as_user):
    from . import factories as f

    city_admin = f.region_person(cast.district.parent, "district_admin", "市教育局")
    page = as_user(city_admin).get(reverse("accounts:district_schools")).context["page"]
    assert {s.name for s in page} == {cast.school.name, cast.other_school.name}


@pytest.mark.parametrize("who", ["teacher", "school_admin", "expert"])
def test_school_roles_and_experts_may_not_list_district_schools(cast, as_user, who):
    assert as_user(getattr(cast, who)).get(reverse("accounts:district_schools")).status_code == 403


@pytest.mark.parametrize(
    ("who", "role", "shows"),
    [
        ("teacher", Role.TEACHER, "你好，李老师老师"),
        ("school_admin", Role.SCHOOL_ADMIN, "赤坎第一小学"),
        ("info_team", Role.INFO_TEAM, "信息化管理团队"),
        ("district_admin", Role.DISTRICT_ADMIN, "辖区内共有学校"),
        ("expert", Role.EXPERT, "考核专家"),
        ("operator", Role.OPERATOR, "进入管理后台"),
    ],
)
def test_every_role_lands_on_its_own_home_page(cast, as_user, who, role, shows):
    response = as_user(getattr(cast, who)).get(reverse("home"))
    assert response.status_code == 200
    assert response.context["grant"].role == role
    assert shows in response.content.decode()


def test_district_home_never_shows_another_districts_school(cast, as_user):
    response = as_user(cast.district_admin).get(reverse("home"))
    summary = response.context["summary"]
    # 赤坎区 alone: one school, its two teachers and the info-team teacher
    assert (summary.schools, summary.teachers) == (1, 3)
    assert cast.other_school.name not in response.content.decode()


def test_the_admin_site_is_for_the_operator_only(cast, as_user):
    assert as_user(cast.school_admin).get("/admin/").status_code == 302
    assert as_user(cast.operator).get("/admin/").status_code == 200


def test_forms_are_csrf_protected(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.school_admin)
    response = client.post(reverse("accounts:teacher_create"), {"real_name": "x"})
    assert response.status_code == 403


def test_a_city_admin_filters_schools_by_district_and_exports_them(
    cast, as_user, django_capture_on_commit_callbacks
):
    import io

    from openpyxl import load_workbook

    from assessment.models import DistrictExport

    from . import factories as f

    city_admin = as_user(f.region_person(cast.district.parent, "district_admin", "市教育局"))
    url = reverse("accounts:district_schools")
    page = city_admin.get(url, {"district": cast.other_district.pk}).context["page"]
    assert [s.name for s in page] == [cast.other_school.name]
    # The export (a task: assessment's district exports) of the district chosen.
    with django_capture_on_commit_callbacks(execute=True):
        city_admin.post(
            reverse("assessment:district_export_start"),
            {"kind": "schools", "district": cast.district.pk},
        )
    export = DistrictExport.objects.get()
    response = city_admin.get(reverse("assessment:district_export_file", args=[export.key]))
    content = b"".join(response.streaming_content)
    rows = list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
    assert [r[:5] for r in rows] == [
        ("区县", "学校", "学校代码", "阶段", "教师数"),
        (
            "赤坎区",
            cast.school.name,
            cast.school.code,
            "组建中",
            3,
        ),  # two teachers and the info-team teacher
    ]


def test_a_district_filter_cannot_reach_outside_the_admins_region(cast, as_user):
    response = as_user(cast.district_admin).get(
        reverse("accounts:district_schools"), {"district": cast.other_district.pk}
    )
    assert list(response.context["page"]) == []


def test_district_school_list_costs_the_same_queries_at_any_size(
    cast, as_user, django_assert_num_queries
):
    from . import factories as f

    client = as_user(cast.district_admin)
    client.get(reverse("accounts:district_schools"))
    # session, user, role grants (one query), region, count,
    # page of schools with teacher counts, districts for the filter, unread messages
    with django_assert_num_queries(8):
        client.get(reverse("accounts:district_schools"))
    for _ in range(40):
        f.teacher(f.school(cast.district))
    with django_assert_num_queries(8):
        client.get(reverse("accounts:district_schools"))
