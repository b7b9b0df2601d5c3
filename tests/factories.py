"""Builders for test data. Plain functions: read like the sentences they serve."""

import datetime
import itertools

from django.utils import timezone

from accounts.demo_ids import make_id_number, make_phone
from accounts.models import Cycle, Region, RegionRole, School, SchoolMembership, User

# Far above the numbers tests write by hand (make_id_number(9001), 1371230…):
# over a whole run the counter would reach them and a test's "new" person
# would already exist, depending on the order the tests ran in.
_seq = itertools.count(1_000_000)


def region_tree(prefix: str = "44"):
    province = Region.objects.create(name="广东省", code=f"{prefix}0000", level="province")
    city = Region.objects.create(name="湛江市", code=f"{prefix}0800", level="city", parent=province)
    return province, city


def district(city: Region, name: str, code: str) -> Region:
    return Region.objects.create(name=name, code=code, level="district", parent=city)


def school(region: Region, name: str | None = None) -> School:
    n = next(_seq)
    return School.objects.create(name=name or f"第{n}小学", code=f"S{n:06d}", region=region)


def person(real_name: str | None = None, password: str = "pass-word-123", **fields) -> User:
    n = next(_seq)
    user = User(
        username=fields.pop("username", f"u{n}"),
        real_name=real_name or f"教师{n}",
        phone=fields.pop("phone", make_phone(n)),
        id_number=fields.pop("id_number", make_id_number(n)),
        **fields,
    )
    user.set_password(password)
    user.save()
    return user


# The test world's teachers have been at their school since before any cycle
# of the tests began: a 线下活动 held in the past may credit them (a place that
# began after an activity's date may not, activities.window.place_began_refusal).
LONG_AGO = datetime.timedelta(days=365)


def teacher(school: School, real_name: str | None = None, **place) -> User:
    user = person(real_name)
    place.setdefault("joined_at", timezone.now() - LONG_AGO)
    SchoolMembership.objects.create(user=user, school=school, is_teacher=True, **place)
    return user


def school_admin(school: School, real_name: str = "校管理员", teaches: bool = False) -> User:
    user = person(real_name)
    SchoolMembership.objects.create(
        user=user,
        school=school,
        is_school_admin=True,
        is_teacher=teaches,
        is_full_time=teaches,
    )
    return user


def region_person(region: Region, kind: str, real_name: str) -> User:
    user = person(real_name)
    RegionRole.objects.create(user=user, region=region, kind=kind)
    return user


def cycle(**kw) -> Cycle:
    today = timezone.localdate()  # the platform's day (Asia/Shanghai), not the machine's
    return Cycle.objects.create(
        name=kw.get("name", "2026 学年"),
        starts_on=kw.get("starts_on", today - datetime.timedelta(days=60)),
        ends_on=kw.get("ends_on", today + datetime.timedelta(days=120)),
    )
