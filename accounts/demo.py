"""Demo data for people and places. Each app to the right has a `demo.py` with
`load(ctx)`, called in dependency order by `manage.py demo`; ctx carries what
earlier apps made (see DemoContext) and collects the logins to print."""

import datetime
import functools
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from .demo_ids import make_id_number, make_phone
from .models import Cycle, Region, RegionRole, School, SchoolMembership, User

DEMO_PASSWORD = "xiaoben2026"

SUBJECTS = ["语文", "数学", "英语", "科学", "音乐", "美术", "体育", "信息技术"]
SURNAMES = "李王张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["明", "华", "芳", "静", "伟", "丽", "强", "敏", "婷", "军", "洁", "涛", "燕", "磊", "霞"]


@dataclass
class DemoContext:
    province: Region
    districts: list[Region]
    cycle: Cycle
    school: School  # the school with the full story
    schools: list[School]
    users: dict[str, User]  # role key -> the demo login for that role
    teachers: list[User]  # teachers of `school`
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role, username, note)


def _person(username: str, real_name: str, n: int, **extra) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "real_name": real_name,
            "phone": make_phone(n),
            "id_number": make_id_number(n),
            **extra,
        },
    )
    if created:
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
    return user


@functools.cache
def _demo_password_hash() -> str:
    # Hashing is deliberately slow; every demo account shares one hash.
    return make_password(DEMO_PASSWORD)


def _place(user: User, school: School, **roles) -> None:
    # The demo's people have been at their school since before the cycle: its
    # 线下活动 held weeks ago may credit them (activities.window.place_began_refusal).
    since = timezone.now() - datetime.timedelta(days=365)
    SchoolMembership.objects.get_or_create(
        user=user, school=school, removed_at=None, defaults={"joined_at": since, **roles}
    )


def load() -> DemoContext:
    province, _ = Region.objects.get_or_create(
        code="440000", defaults={"name": "广东省", "level": "province"}
    )
    city, _ = Region.objects.get_or_create(
        code="440800", defaults={"name": "湛江市", "level": "city", "parent": province}
    )
    districts = [
        Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": "district", "parent": city}
        )[0]
        for code, name in (("440802", "赤坎区"), ("440803", "霞山区"), ("440804", "坡头区"))
    ]
    today = timezone.localdate()
    cycle, _ = Cycle.objects.get_or_create(
        name=f"{today.year} 学年校本研修",
        defaults={
            "starts_on": today - datetime.timedelta(days=60),
            "ends_on": today + datetime.timedelta(days=150),
        },
    )
    schools = []
    for i, (district, name) in enumerate(
        [
            (districts[0], "赤坎区第一小学"),
            (districts[0], "赤坎区实验中学"),
            (districts[1], "霞山区第二小学"),
            (districts[2], "坡头区中心学校"),
        ]
    ):
        schools.append(
            School.objects.get_or_create(
                code=f"44080{i + 1}001",
                defaults={
                    "name": name,
                    "region": district,
                    "stages": "小学" if "小学" in name else "初中",
                },
            )[0]
        )
    school = schools[0]

    users = {
        "operator": _person("admin", "省工程办管理员", 1, is_superuser=True, is_staff=True),
        "district_admin": _person("district", "赤坎区教育局管理员", 2),
        "expert": _person("expert", "陈专家", 3),
        "school_admin": _person("school", "赵校管", 4),
        "info_team": _person("info", "钱信息", 5),
    }
    RegionRole.objects.get_or_create(
        user=users["district_admin"], region=districts[0], kind="district_admin"
    )
    RegionRole.objects.get_or_create(user=users["expert"], region=districts[0], kind="expert")
    _place(
        users["school_admin"], school, is_school_admin=True, is_teacher=False, is_full_time=False
    )
    _place(users["info_team"], school, is_info_team=True, subject="信息技术", stage="小学")

    teachers = []
    for n in range(40):
        name = (
            SURNAMES[n % len(SURNAMES)]
            + GIVEN[n % len(GIVEN)]
            + ("" if n < 20 else GIVEN[(n * 7) % len(GIVEN)])
        )
        user = _person(f"t{n + 1:03d}", name, 100 + n)
        _place(
            user,
            school,
            subject=SUBJECTS[n % len(SUBJECTS)],
            stage="小学",
            is_full_time=n % 13 != 12,
        )
        teachers.append(user)
    users["teacher"] = teachers[0]
    for s_i, other in enumerate(schools[1:], start=1):
        for n in range(8):
            user = _person(
                f"s{s_i}t{n + 1}",
                SURNAMES[(n + s_i) % 20] + GIVEN[(n * 3) % 15] + "老师",
                1000 + s_i * 100 + n,
            )
            _place(user, other, subject=SUBJECTS[n % len(SUBJECTS)], stage=other.stages)

    ctx = DemoContext(
        province=province,
        districts=districts,
        cycle=cycle,
        school=school,
        schools=schools,
        users=users,
        teachers=teachers,
    )
    ctx.logins += [
        ("省工程办（平台运营，管理后台）", "admin", "/admin/"),
        ("教育局管理员（赤坎区）", "district", ""),
        ("考核专家（赤坎区）", "expert", ""),
        ("学校管理员（赤坎区第一小学）", "school", ""),
        ("信息化管理团队（也是教师）", "info", ""),
        ("教师", "t001", f"或手机号 {teachers[0].phone}"),
    ]
    return ctx
