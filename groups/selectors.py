"""Reads for the school's training set-up. Each function costs a fixed number of
queries whatever the school's size."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce

from accounts.access import staff_of_school
from accounts.compiled import CompiledModels
from accounts.models import Cycle, School, SchoolMembership, User

from .models import (
    AbilityPoint,
    Framework,
    GroupMember,
    ResearchGroup,
    SchoolPlan,
    SchoolPlanPoint,
    SchoolSettings,
    SchoolTheme,
)

DEFAULT_FRAMEWORK = "广东 2.0"


def school_settings_for(*, school: School) -> SchoolSettings:
    """The school's settings; an unsaved default (the province's framework, the
    one-activity-a-day rule on) when the school has not chosen yet."""
    found = SchoolSettings.objects.select_related("framework").filter(school=school).first()
    if found:
        return found
    framework = Framework.objects.filter(name=DEFAULT_FRAMEWORK).first()
    return SchoolSettings(school=school, framework=framework)


def one_activity_per_day(*, school_id: int) -> bool:
    """Seed 003 §8: whether the school keeps the rule "one activity per group and
    day" (on unless the school switched it off). One query."""
    rule = (
        SchoolSettings.objects.filter(school_id=school_id)
        .values_list("one_activity_per_day", flat=True)
        .first()
    )
    return rule is not False


def ability_points_for(*, school: School, include: list[int] | None = None):
    """Live points of the school's framework (plus any already chosen, even if retired)."""
    framework = school_settings_for(school=school).framework
    if framework is None:
        return AbilityPoint.objects.none()
    live = Q(framework=framework, retired=False)
    if include:
        live |= Q(pk__in=include)
    points = AbilityPoint.objects.filter(live).select_related("framework")
    return points.order_by("sort_key", "code")


def _theme_of(school, cycle):
    return SchoolTheme.objects.filter(school=school, cycle=cycle)


def _plan_of(school, cycle):
    return SchoolPlan.objects.filter(school=school, cycle=cycle).select_related("cycle")


def theme_for(*, school: School, cycle: Cycle | None) -> SchoolTheme | None:
    if cycle is None:
        return None
    return _theme_of(school, cycle).prefetch_related("key_points").first()


def school_plan_for(*, school: School, cycle: Cycle | None) -> SchoolPlan | None:
    if cycle is None:
        return None
    return _plan_of(school, cycle).first()


# The school's home and the info team's read these on every visit: compiled
# once per process (accounts.compiled). One theme and one plan per school and
# cycle (unique constraints); the theme's key points in the catalogue's order.
_THEME = CompiledModels(_theme_of, "school", "cycle")
_THEME_POINTS = CompiledModels(
    lambda school, cycle: AbilityPoint.objects.filter(
        schooltheme__school=school, schooltheme__cycle=cycle
    ),
    "school",
    "cycle",
)
_PLAN = CompiledModels(_plan_of, "school", "cycle")


def school_plan_points(*, plan: SchoolPlan | None) -> list[SchoolPlanPoint]:
    """The plan's ability points with reasons, in the school's order (one query)."""
    if plan is None or plan.pk is None:
        return []
    return list(SchoolPlanPoint.objects.filter(plan=plan).select_related("point"))


def school_plan_draft(*, school: School, cycle: Cycle) -> tuple[SchoolPlan, list[dict]]:
    """The saved plan and its point rows, or a new plan prefilled from the school
    and its theme (one row per key point, the reasons left to write), for the
    plan form."""
    plan = school_plan_for(school=school, cycle=cycle)
    if plan:
        rows = school_plan_points(plan=plan)
        return plan, [{"point": r.point_id, "reason": r.reason} for r in rows]
    theme = theme_for(school=school, cycle=cycle)
    plan = SchoolPlan(
        school=school,
        cycle=cycle,
        stages=school.stages,
        goal_basic="每位教师完成 25 学时的校本实践，并通过三个能力点来证明这些实践。",
        format="异步在线课程+线下课堂实践",
        theme=theme.title if theme else "",
    )
    key_points = theme.key_points.all() if theme else []
    return plan, [{"point": p.pk, "reason": ""} for p in key_points if not p.retired]


GROUP_STATUS_FILTERS = {
    "no_leader": ("未指定组长", Q(leader__isnull=True)),
    "no_plan": ("未制定研修计划", Q(plan="")),
}


def _member_count():
    """A group's members, counted by a scalar subquery on the members' index
    (a join and GROUP BY would sort every member row with the leader's wide
    user row: most of the school's home's group list at 300 teachers)."""
    members = GroupMember.objects.filter(group=OuterRef("pk")).order_by().values("group")
    return Coalesce(Subquery(members.annotate(n=Count("pk")).values("n")[:1]), 0)


def groups_of_school(*, school_id: int, archived: bool = False, search: str = "", status: str = ""):
    """A school's groups with leader and member count (one query), optionally
    searched by group or leader name and filtered by what they still lack."""
    qs = (
        ResearchGroup.objects.filter(school_id=school_id, archived_at__isnull=not archived)
        .select_related("leader")
        .annotate(member_count=_member_count())
        .order_by("name", "pk")
    )
    if search:
        qs = qs.filter(Q(name__contains=search) | Q(leader__real_name__contains=search))
    if status in GROUP_STATUS_FILTERS:
        qs = qs.filter(GROUP_STATUS_FILTERS[status][1])
    return qs


def groups_to_choose(*, school_id: int) -> list[ResearchGroup]:
    """A school's live groups as a filter offers them: names, by name (one query)."""
    return _TO_CHOOSE.all(school=school_id)


# The school's hours and review lists offer them on every visit: compiled once
# per process (accounts.compiled).
_TO_CHOOSE = CompiledModels(
    lambda school: (
        ResearchGroup.objects.filter(school_id=school, archived_at__isnull=True)
        .only("pk", "name", "school_id")
        .order_by("name", "pk")
    ),
    "school",
)


def group_members_of_groups(*, group_ids: list[int], school_id: int):
    """Every member row of the given groups with the member's subject (one query),
    for the group list's export. The subject comes through a join on the
    member's active place (at most one: a unique constraint), not a subquery
    per row: the export lists a whole school's staff."""
    place = FilteredRelation(
        "user__memberships",
        condition=Q(
            user__memberships__school_id=school_id, user__memberships__removed_at__isnull=True
        ),
    )
    return (
        GroupMember.objects.filter(group_id__in=group_ids)
        .select_related("user", "group")
        .annotate(place=place, subject=F("place__subject"))
        .order_by("group__name", "group_id", "user__real_name", "pk")
    )


def _with_subject(members, *, school_id: int):
    """Member rows annotated with the member's subject at the school."""
    place = SchoolMembership.objects.active().filter(
        school_id=school_id, user_id=OuterRef("user_id")
    )
    return members.annotate(subject=place.values("subject")[:1])


def _in_live_group(school_id: int):
    return Exists(
        GroupMember.objects.filter(
            user_id=OuterRef("user_id"),
            group__school_id=school_id,
            group__archived_at__isnull=True,
        )
    )


def teachers_without_group(*, school_id: int):
    """Active teachers of the school who are in no live group (one query)."""
    return (
        staff_of_school(school_id)
        .filter(is_teacher=True)
        .annotate(in_group=_in_live_group(school_id))
        .filter(in_group=False)
    )


@dataclass
class GroupProgress:
    """共组建 N 个教研组（X 人已加入教研组，Y 人未加入）"""

    joined: int
    not_joined: int
    groups: list = field(default_factory=list)
    without_group: list = field(default_factory=list)

    @property
    def group_count(self) -> int:
        return len(self.groups)

    @property
    def line(self) -> str:
        return (
            f"共组建 {self.group_count} 个教研组"
            f"（{self.joined} 人已加入教研组，{self.not_joined} 人未加入）"
        )


# The school home names at most this many teachers in no group; the group
# list's export names them all.
WITHOUT_GROUP_SHOWN = 50


def group_progress(
    *, school_id: int, with_lists: bool = True, teachers: int | None = None
) -> GroupProgress:
    """The school's progress line, its groups and the first WITHOUT_GROUP_SHOWN
    teachers in none. Three queries: groups, the two counts, the teachers
    without a group (with how many they are); two when the caller knows the
    school's number of `teachers` (the kept figures) and wants the list, which
    then gives both counts."""
    groups = _LIVE_GROUPS.all(school=school_id)
    without, not_joined = [], None
    if with_lists:
        without = _WITHOUT_GROUP.all(school=school_id)
        not_joined = without[0].without_total if without else 0
    if teachers is None or not_joined is None:
        counts = (
            staff_of_school(school_id)
            .filter(is_teacher=True)
            .annotate(in_group=_in_live_group(school_id))
            .aggregate(total=Count("pk"), joined=Count("pk", filter=Q(in_group=True)))
        )
        teachers, not_joined = counts["total"], counts["total"] - counts["joined"]
    return GroupProgress(
        joined=teachers - not_joined,
        not_joined=not_joined,
        groups=groups,
        without_group=without,
    )


# The school's home and the info team's read both on every visit: compiled
# once per process (accounts.compiled).
_LIVE_GROUPS = CompiledModels(lambda school: groups_of_school(school_id=school), "school")
_WITHOUT_GROUP = CompiledModels(
    lambda school: teachers_without_group(school_id=school).annotate(
        without_total=Window(Count("pk"))
    )[:WITHOUT_GROUP_SHOWN],
    "school",
)


def group_members(*, group: ResearchGroup):
    """Members with their place in the school (subject, stage), leader first."""
    members = GroupMember.objects.filter(group=group).select_related("user")
    return _with_subject(members, school_id=group.school_id).order_by("user__real_name", "pk")


def group_member_candidates(*, group: ResearchGroup, search: str = ""):
    """Active teachers of the group's school who are not yet members, with their
    subject (so a leader can tell them apart); searched by name or subject, or
    by a whole phone number (a part would let a leader read colleagues' numbers
    digit by digit from how many match)."""
    qs = (
        User.objects.filter(
            memberships__school_id=group.school_id,
            memberships__removed_at__isnull=True,
            memberships__is_teacher=True,
        )
        .exclude(group_memberships__group=group)
        .annotate(subject=F("memberships__subject"))
        .order_by("real_name", "pk")
    )
    if search:
        qs = qs.filter(
            Q(real_name__contains=search) | Q(phone=search) | Q(subject__contains=search)
        )
    return qs


def school_teachers(*, school_id: int):
    """Users who are active teachers of the school (for leader choices)."""
    places = SchoolMembership.objects.teachers().filter(school_id=school_id)
    return User.objects.filter(memberships__in=places).order_by("real_name", "pk")


def groups_of_user(*, user, school_id: int):
    """Live groups the user leads or belongs to, with member counts (one
    query; counted as groups_of_school counts them)."""
    theirs = GroupMember.objects.filter(user=user).values("group_id")
    return (
        ResearchGroup.objects.filter(school_id=school_id, archived_at__isnull=True)
        .filter(Q(leader=user) | Q(pk__in=theirs))
        .select_related("leader")
        .annotate(member_count=_member_count())
        .order_by("name", "pk")
    )


# Every teacher's home shows them: compiled once per process (accounts.compiled).
_GROUPS_OF_USER = CompiledModels(
    lambda user, school: groups_of_user(user=user, school_id=school), "user", "school"
)


def groups_of_user_read(*, user, school_id: int) -> list[ResearchGroup]:
    """groups_of_user, read: the same rows, without building the query each time."""
    return _GROUPS_OF_USER.all(user=user.pk, school=school_id)


def groups_led_by(*, user, school_id: int):
    return groups_of_user(user=user, school_id=school_id).filter(leader=user)


def teacher_removal_preview(*, membership: SchoolMembership) -> dict:
    """What removing this teacher clears in groups: the names of the school's groups
    they belong to and lead. The confirmation page shows it; teacher_remove writes
    it into the audit row."""
    member_of = GroupMember.objects.filter(
        user_id=membership.user_id, group__school_id=membership.school_id
    ).values_list("group__name", flat=True)
    led = ResearchGroup.objects.filter(
        school_id=membership.school_id, leader_id=membership.user_id
    ).values_list("name", flat=True)
    return {"groups": sorted(member_of), "led_groups": sorted(led)}


@dataclass
class SchoolSetup:
    """Where a school stands in its set-up (for home pages): theme, plan, groups."""

    cycle: Cycle | None
    theme: SchoolTheme | None
    theme_points: list  # the theme's key points (AbilityPoint)
    plan: SchoolPlan | None
    progress: GroupProgress

    @property
    def steps(self) -> list[tuple[str, str]]:
        """What the school admin should do next: (label, url name)."""
        steps = []
        if self.theme is None:
            steps.append(("设置本校校本主题与关键能力点", "groups:theme_edit"))
        if not self.progress.group_count:
            steps.append(("创建教研组并指派教研组长", "groups:create"))
        elif any(g.leader_id is None for g in self.progress.groups):
            steps.append(("为没有组长的教研组指派组长", "groups:list"))
        if self.plan is None:
            steps.append(("填写校本研修方案（两案）", "groups:plan_edit"))
        return steps


_CURRENT = object()


def school_setup(
    *, school: School, with_lists: bool = True, cycle=_CURRENT, teachers: int | None = None
) -> SchoolSetup:
    """Fixed cost: the cycle (unless given), theme, its key points, plan, and
    group_progress's three (two with `teachers`, see there)."""
    from accounts.selectors import cycle_current

    if cycle is _CURRENT:
        cycle = cycle_current()
    ids = {"school": school.pk, "cycle": cycle.pk} if cycle else None
    theme = _THEME.get(**ids) if ids else None
    return SchoolSetup(
        cycle=cycle,
        theme=theme,
        theme_points=_THEME_POINTS.all(**ids) if theme else [],
        plan=_PLAN.get(**ids) if ids else None,
        progress=group_progress(school_id=school.pk, with_lists=with_lists, teachers=teachers),
    )


def schools_without_groups(schools):
    """Of the given schools, those with no live research group yet (a queryset)."""
    live = ResearchGroup.objects.filter(school=OuterRef("pk"), archived_at__isnull=True)
    return schools.filter(~Exists(live))
