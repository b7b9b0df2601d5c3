"""The fixed cast every permission test walks (STYLE.md §12).

School A (district 赤坎区) has two teachers, a school admin, an info-team member;
school B (district 霞山区) has the outsider. The district admin and the expert
hold roles on 赤坎区.
"""

import importlib
from dataclasses import dataclass

import pytest
from django.test import Client

from accounts.models import School, SchoolMembership, User

from . import factories as f


@dataclass
class Cast:
    school: School
    other_school: School
    teacher: User
    teacher2: User
    school_admin: User
    info_team: User
    district_admin: User
    other_district_admin: User
    expert: User
    outsider: User
    operator: User
    cycle: object
    district: object
    other_district: object


@pytest.fixture
def cast(db) -> Cast:
    _, city = f.region_tree()
    chikan = f.district(city, "赤坎区", "440802")
    xiashan = f.district(city, "霞山区", "440803")
    school = f.school(chikan, "赤坎第一小学")
    other = f.school(xiashan, "霞山第二中学")
    info = f.teacher(school, "信息组老师")
    SchoolMembership.objects.filter(user=info).update(is_info_team=True)
    operator = f.person("省工程办", is_superuser=True, is_staff=True)
    return Cast(
        school=school,
        other_school=other,
        teacher=f.teacher(school, "李老师", subject="语文", stage="小学"),
        teacher2=f.teacher(school, "王老师", subject="数学", stage="小学"),
        school_admin=f.school_admin(school, "赵校管"),
        info_team=info,
        district_admin=f.region_person(chikan, "district_admin", "赤坎教育局"),
        other_district_admin=f.region_person(xiashan, "district_admin", "霞山教育局"),
        expert=f.region_person(chikan, "expert", "陈专家"),
        outsider=f.teacher(other, "外校老师"),
        operator=operator,
        cycle=f.cycle(),
        district=chikan,
        other_district=xiashan,
    )


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def as_user():
    """as_user(cast.teacher) -> a logged-in test client."""
    return login


@pytest.fixture(autouse=True)
def _ability_catalogue(request):
    """Every database test finds the default ability-point catalogue, as the
    data migration loads it. A transactional (browser, concurrency) test ends
    with a flush that takes migration-loaded rows with it, for every later test
    on the same worker; reload them then, the migration's own way."""
    names = request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    if not (marker or "db" in names or "transactional_db" in names):
        return
    if "transactional_db" in names or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    else:
        request.getfixturevalue("db")
    from groups.models import Framework

    if not Framework.objects.exists():
        from django.apps import apps

        importlib.import_module("groups.migrations.0003_load_ability_points").load(apps, None)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _hosts(settings):
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
