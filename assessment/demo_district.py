"""Demo data for the district's dashboard (区县看板) in 赤坎区, beside the
acceptance demo's schools (one per acceptance stage, two or three teachers
each): schools with a staff's worth of teachers, so the pictures have
something to show.

- 赤坎区第七小学, 赤坎区第八小学: 组建中 (teachers, no 教研组 yet);
- 赤坎区第三中学, 赤坎区第九小学, 赤坎区第十小学: 研修中, one or two groups
  whose three offline activities (10, 8 and 7 hours, evidence uploaded)
  credited their members unevenly, so the district's counted hours spread
  from 0 to 25.

Through the services (the ledger credits in bulk, one evidence each); skipped
for a school that already has activities. The district's per-school figures
are then recomputed from their sources for every demo school, as the demo's
builders above place people without the services that keep them."""

import datetime

from django.utils import timezone

from accounts.demo import SUBJECTS, SURNAMES, _person, _place
from accounts.models import School, SchoolMembership
from activities import services as activities
from activities.models import Activity
from activities.selectors import evidence_would_credit
from groups.models import GroupMember, ResearchGroup, SchoolTheme
from groups.services import group_create, group_member_add, theme_save

from .demo import _pdf, _upload
from .services.stats import school_stats_changed

GIVEN = "文武德才俊秀雅静怡宁浩然思远子涵欣悦"

# (name, code, teachers, groups): groups 0 means 组建中.
SCHOOLS = [
    ("赤坎区第七小学", "440802107", 14, 0),
    ("赤坎区第八小学", "440802108", 9, 0),
    ("赤坎区第三中学", "440802109", 36, 2),
    ("赤坎区第九小学", "440802110", 24, 1),
    ("赤坎区第十小学", "440802111", 28, 2),
]
# The offline activities of each group: (days ago, hours, title, who takes part:
# members whose position in the group passes the test). Members thus reach
# 0, 7, 8, 10, 15, 17, 18 or 25 hours.
ACTIVITIES = [
    (25, 10, "信息技术与课堂评价专题讲座", lambda i: i % 4 != 0),
    (18, 8, "评价量规集体备课", lambda i: i % 3 != 0),
    (11, 7, "同课异构与课后研讨", lambda i: i % 2 == 0),
]


def load(ctx) -> None:
    district = ctx.districts[0]
    theme = SchoolTheme.objects.filter(school=ctx.school, cycle=ctx.cycle).first()
    keys = list(theme.key_points.order_by("sort_key", "code")[:3]) if theme else []
    for number, (name, code, size, groups) in enumerate(SCHOOLS):
        school, _ = School.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "region": district,
                "stages": "初中" if "中学" in name else "小学",
            },
        )
        base = 3000 + number * 100
        admin = _person(f"school{code[-2:]}", f"{name[3:5]}校管", base)
        _place(admin, school, is_school_admin=True, is_teacher=False, is_full_time=False)
        teachers = _teachers(school, code, size, base + 1)
        if groups and keys and not Activity.objects.filter(group__school=school).exists():
            _train(ctx, school, admin, teachers, groups, keys)
    demo_schools = School.objects.filter(region=district).values_list("pk", flat=True)
    school_stats_changed(school_ids=list(demo_schools), cycle_ids=[ctx.cycle.pk])
    ctx.logins.append(("区县看板（赤坎区）", "district", "看板：/district/dashboard/"))


def _teachers(school: School, code: str, size: int, base: int) -> list:
    for i in range(size):
        name = SURNAMES[(i + base) % len(SURNAMES)] + GIVEN[(i * 3) % len(GIVEN)] + GIVEN[i % 7]
        user = _person(f"t{code[-2:]}{i + 1:02d}", name, base + i)
        _place(
            user,
            school,
            subject=SUBJECTS[i % len(SUBJECTS)],
            stage=school.stages,
            is_full_time=i % 11 != 10,
        )
    return [
        m.user
        for m in SchoolMembership.objects.teachers()
        .filter(school=school)
        .select_related("user")
        .order_by("user__username")
    ]


def _train(ctx, school: School, admin, teachers: list, groups: int, keys) -> None:
    """The school's theme, its groups (teachers split among them, the first of
    each its leader), and each group's three offline activities with evidence."""
    if not SchoolTheme.objects.filter(school=school, cycle=ctx.cycle).exists():
        theme_save(
            school=school,
            cycle=ctx.cycle,
            title="信息技术支持的课堂评价",
            description="",
            key_points=keys,
            by=admin,
        )
    names = ["语数组", "综合组"]
    for g in range(groups):
        members = teachers[g::groups]
        group = ResearchGroup.objects.filter(school=school, name=names[g]).first()
        if group is None:
            group = group_create(school=school, name=names[g], leader=members[0], by=admin)
            group_member_add(group=group, users=members[1:], by=admin)
        _activities(ctx, group, members)


def _activities(ctx, group, members: list) -> None:
    leader = group.leader
    topic = activities.topic_create(
        group=group,
        by=leader,
        title="评价量规设计与应用",
        description="围绕评价量规的设计与使用开展讲座、集体备课与研讨。",
        key_points=list(
            SchoolTheme.objects.get(school=group.school, cycle=ctx.cycle).key_points.all()
        ),
    )
    activities.topic_publish(topic=topic, by=leader)
    today = timezone.localdate()
    others = [m for m in members if m.pk != leader.pk]
    in_group = set(GroupMember.objects.filter(group=group).values_list("user_id", flat=True))
    for days_ago, hours, title, takes_part in ACTIVITIES:
        day = max(today - datetime.timedelta(days=days_ago), ctx.cycle.starts_on)
        activity = activities.activity_create(
            topic=topic,
            by=leader,
            kind="offline",
            title=title,
            description=f"线下{title}，组长上传签到表后计入学时。",
            held_on=day,
            opens_on=day,
            closes_on=day,
            hours_value=hours,
        )
        activities.activity_publish(activity=activity, by=leader)
        chosen = [m for i, m in enumerate(others) if takes_part(i) and m.pk in in_group]
        if not chosen:
            continue
        activities.participants_designate(activity=activity, by=leader, users=chosen)
        activities.evidence_add(
            activity=activity,
            by=leader,
            kind="sign_in",
            upload=_upload("签到表.pdf", _pdf("Sign-in sheet"), "application/pdf"),
            confirmed=evidence_would_credit(activity=activity),
        )
