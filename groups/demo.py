"""Demo data for the school's training set-up: settings, theme, plan, six groups
with leaders and members (and teachers in no group), one 调岗 removal.

The 两案 and the group plans agree with what the groups do (activities.demo),
except in two places the consistency page (方案与实施一致性) finds: the 两案
names B1 跨学科学习活动设计, which is not a key point of the theme, so no
group's topic aims at it; and its last schedule row reads "学期末", a time
with no month to check. Months are written relative to today, as every other
demo date is."""

import datetime

from django.utils import timezone

from accounts.models import SchoolMembership

from .models import (
    AbilityPoint,
    Framework,
    ResearchGroup,
    SchoolPlan,
    SchoolSettings,
    SchoolTheme,
    TeacherRemoval,
)
from .months import month_key
from .services import (
    group_create,
    group_member_add,
    group_plan_save,
    school_plan_save,
    teacher_remove,
)

# Each group and the subjects its teachers teach: a leader leads the group of
# their own subject, and members join the group of theirs.
GROUPS = {
    "语文组": ("语文",),
    "数学组": ("数学",),
    "英语组": ("英语",),
    "科学组": ("科学",),
    "艺体组": ("音乐", "美术", "体育"),
    "信息技术组": ("信息技术",),
}


# What each group's plan aims at (the demo topics of activities.demo agree).
GROUP_POINTS = {
    "语文组": ("A3", "A13", "G2"),
    "数学组": ("A3",),
    "英语组": ("A13",),
    "科学组": ("A3",),
    "艺体组": ("A13",),
    "信息技术组": ("G2",),
}


def _month(days: int) -> tuple[int, int]:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return day.year, day.month


def _label(days: int) -> str:
    year, month = _month(days)
    return f"{year}年{month}月"


def _group_schedule(name: str) -> list[dict]:
    """语文组 has been at work since the cycle began; the others start now."""
    if name == "语文组":
        rows = [
            (-40, "量规试用与教学反思"),
            (-7, "集体备课、微课研讨与听评课"),
            (35, "同课异构展示"),
        ]
    else:
        rows = [(0, "发布研修专题，组织第一次教学研讨"), (35, "听课评课与研修作业")]
    return [{"month": month_key(_month(days)), "content": content} for days, content in rows]


def load(ctx) -> None:
    school = ctx.school
    admin = ctx.users["school_admin"]
    framework = Framework.objects.get(name="广东 2.0")
    SchoolSettings.objects.get_or_create(school=school, defaults={"framework": framework})

    theme, _ = SchoolTheme.objects.get_or_create(
        school=school,
        cycle=ctx.cycle,
        defaults={
            "title": "多技术融合环境下的课堂教学与评价",
            "description": "以微课程和评价量规为抓手，推动信息技术与学科教学深度融合。",
        },
    )
    keys = AbilityPoint.objects.filter(framework=framework, code__in=["A3", "A13", "G2"])
    theme.key_points.add(*keys)

    teachers = ctx.teachers
    subject = dict(
        SchoolMembership.objects.active()
        .filter(school=school, user__in=teachers)
        .values_list("user_id", "subject")
    )
    # Teachers 1–30 join the group of their subject, led by the first of them;
    # the demo teacher (teachers[0], 语文) is a member of 语文组; teachers 31–39
    # are in no group yet (the school home page lists them).
    leaders = {}
    for name, subjects in GROUPS.items():
        ours = [t for t in teachers[1:31] if subject.get(t.pk) in subjects]
        group = ResearchGroup.objects.filter(
            school=school, name=name, archived_at__isnull=True
        ).first() or group_create(school=school, name=name, leader=ours[0], by=admin)
        leaders[name] = group.leader
        members = ours[1:] + ([teachers[0]] if subject.get(teachers[0].pk) in subjects else [])
        group_member_add(group=group, users=members, by=admin)
        if not group.plan:
            group_plan_save(
                group=group,
                plan=(
                    f"{name}本学期围绕学校关键能力点 A3、A13、G2 开展研修：\n"
                    "1. 研修专题“微课助力课堂”（A3）：教学研讨、研修作业、听课评课各 1 次；\n"
                    "2. 研修专题“评价量规设计与应用”（A13、G2）：教学研讨 1 次、"
                    "线下集体备课与同课异构 2 次、教学反思作业 1 次；\n"
                    "3. 每月第二周周三下午为固定教研时间。"
                ),
                points=AbilityPoint.objects.filter(
                    framework=framework, code__in=GROUP_POINTS[name]
                ),
                schedule=_group_schedule(name),
                by=group.leader or admin,
            )
    leader = leaders["语文组"]
    ctx.users["leader"] = leader
    ctx.logins.append(("教研组长（语文组组长，语文教师）", leader.username, ""))

    if not SchoolPlan.objects.filter(school=school, cycle=ctx.cycle).exists():
        school_plan_save(
            school=school,
            cycle=ctx.cycle,
            fields={
                "stages": school.stages,
                "principal": "赵校长",
                "contact_person": ctx.users["info_team"].real_name,
                "contact_phone": ctx.users["info_team"].phone,
                "goal_basic": "每位教师完成 25 学时的校本实践，并通过三个能力点来证明这些实践。",
                "goal_teachers": "完成 3 个微能力点的认证；建设优质教学设计与微课资源库。",
                "goal_students": "学生学习投入度、自主性明显提高。",
                "goal_school": "形成各学科技术融合课例集，满意度高于 95%。",
                "theme": theme.title,
                "format": "异步在线课程+线下课堂实践",
                "assessment": "每位教师完成 25 学时校本研修，通过 3 个能力点测评，提交提升总结。",
                "mechanisms": "研修成果纳入年度考核；评选优秀教研组与先进个人。",
            },
            team=[
                {
                    "name": "赵校长",
                    "age": "48",
                    "education": "本科",
                    "major": "汉语言文学",
                    "title": "校长",
                },
                {
                    "name": ctx.users["info_team"].real_name,
                    "age": "35",
                    "education": "本科",
                    "major": "教育技术",
                    "title": "信息中心主任",
                },
            ],
            points=[
                {"point": p, "reason": "结合学校多媒体教学环境，教师需求最集中。"} for p in keys
            ]
            + [
                {
                    "point": AbilityPoint.objects.get(framework=framework, code="B1"),
                    "reason": "学校正在建设智慧课室，鼓励跨学科学习活动设计。",
                }
            ],
            schedule=[
                {
                    "when": _label(-40),
                    "content": "制定两案，组建教研组，启动校本研修",
                    "owner": "赵校长",
                },
                {
                    "when": f"{_label(-10)}—{_label(120)}",
                    "content": "各教研组开展研修活动，开发典型案例",
                    "owner": "各教研组长",
                },
                {
                    "when": "学期末",
                    "content": "能力点测评，整校推进验收",
                    "owner": "信息化管理团队",
                },
            ],
            by=admin,
        )

    # One teacher who transferred away, for the audit trail.
    gone = teachers[39]
    place = SchoolMembership.objects.active().filter(user=gone, school=school).first()
    if place and not TeacherRemoval.objects.filter(teacher=gone, school=school).exists():
        teacher_remove(membership=place, by=admin, reason="调往霞山区第二小学")
