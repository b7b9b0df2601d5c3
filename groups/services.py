"""Writes for the school's training set-up. Views, commands and the demo call these;
each refuses with a ValidationError carrying a Chinese message."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.figures import school_figures_changed
from accounts.holds import LEADER, held_record, person_line, require_not_held
from accounts.models import Cycle, School, SchoolMembership, User
from accounts.notices import notify
from accounts.selectors import cycle_current
from accounts.services import teacher_place_lock, teacher_places_lock

from .holds import GROUP_PLAN, GROUPS, PLAN, THEME
from .models import (
    AbilityPoint,
    ClearedRecord,
    Framework,
    GroupMember,
    ResearchGroup,
    SchoolPlan,
    SchoolPlanPoint,
    SchoolSettings,
    SchoolTheme,
    TeacherRemoval,
)
from .removal import REMOVAL_CLEARERS, Clearing
from .selectors import school_settings_for, teacher_removal_preview


def _check_leader(leader: User | None, school_id: int) -> None:
    """The leader holds an active teacher place in the school, locked here
    (accounts.services.teacher_place_lock, the row 调岗移除 locks first): a
    removal that committed first is seen and refused; one that comes second
    waits, then finds the group led by them and clears it (outside test 7:
    a removed teacher ended up leading a group)."""
    if leader is not None and not teacher_place_lock(teacher_id=leader.pk, school_id=school_id):
        raise ValidationError("教研组长须是本校在职教师。")


def _name_taken(school_id: int, name: str, exclude_pk: int | None = None) -> bool:
    qs = ResearchGroup.objects.filter(school_id=school_id, name=name, archived_at__isnull=True)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def _ensure_member(group: ResearchGroup, user: User) -> None:
    GroupMember.objects.get_or_create(group=group, user=user)


@transaction.atomic
def group_create(*, school: School, name: str, leader: User | None, by: User) -> ResearchGroup:
    """Creates a group; its leader is also one of its members. Not while the
    school's acceptance holds its groups (the experts judge those submitted)."""
    name = name.strip()
    if _name_taken(school.pk, name):
        raise ValidationError(f"本校已有名为“{name}”的教研组。")
    _check_leader(leader, school.pk)
    try:
        with transaction.atomic():
            require_not_held(school_id=school.pk, cycle=cycle_current(), what=GROUPS)
            group = ResearchGroup.objects.create(school=school, name=name, leader=leader)
    except IntegrityError as exc:  # a second admin created the same name meanwhile
        raise ValidationError(f"本校已有名为“{name}”的教研组。") from exc
    if leader is not None:
        _ensure_member(group, leader)
    school_figures_changed(school_ids=[school.pk])  # 组建中 → 研修中 on the district's pages
    return group


@transaction.atomic
def group_update(*, group: ResearchGroup, name: str, leader: User | None, by: User) -> list[str]:
    """Renames the group and/or changes its leader; returns the changed fields.
    Compared with the group as it stands under its row's lock: twenty identical
    requests change it (and keep a held change in the history) once."""
    list(ResearchGroup.objects.select_for_update().filter(pk=group.pk).values_list("pk"))
    group.refresh_from_db(fields=["name", "leader", "archived_at"])
    if group.archived_at is not None:
        raise ValidationError("该教研组已归档，不能修改。")
    name = name.strip()
    changed = []
    if name != group.name:
        if _name_taken(group.school_id, name, exclude_pk=group.pk):
            raise ValidationError(f"本校已有名为“{name}”的教研组。")
        group.name = name
        changed.append("name")
    if (leader.pk if leader else None) != group.leader_id:
        _check_leader(leader, group.school_id)
        group.leader = leader
        changed.append("leader")
    if changed:
        try:
            with transaction.atomic():
                _held_group_change(group, changed, by)
                group.save(update_fields=changed)
        except IntegrityError as exc:
            raise ValidationError(f"本校已有名为“{name}”的教研组。") from exc
    if "leader" in changed and leader is not None:
        _ensure_member(group, leader)
    return changed


def _held_group_change(group: ResearchGroup, changed: list[str], by: User) -> None:
    """While the acceptance holds the school's groups, their names stand as
    the experts read them; a new 组长 may still take over (the old one may
    have left), kept in the acceptance's history."""
    cycle = cycle_current()
    if "name" in changed:
        require_not_held(school_id=group.school_id, cycle=cycle, what=GROUPS)
    if "leader" in changed:
        leader = person_line(group.leader) if group.leader else "（无）"
        line = f"教研组“{group.name}”更换组长为 {leader}"
        held_record(school_id=group.school_id, cycle=cycle, kind=LEADER, lines=[line], by=by)


@transaction.atomic
def group_archive(*, group: ResearchGroup, by: User) -> None:
    """Archives a group: it leaves lists and counts; its records stay."""
    if group.archived_at is not None:
        raise ValidationError("该教研组已归档。")
    # Archived, its 典型案例 would leave the experts' pages.
    require_not_held(school_id=group.school_id, cycle=cycle_current(), what=GROUPS)
    group.archived_at = timezone.now()
    group.save(update_fields=["archived_at"])
    school_figures_changed(school_ids=[group.school_id])


@transaction.atomic
def group_member_add(*, group: ResearchGroup, users: Iterable[User], by: User) -> int:
    """Adds teachers of the group's own school; returns how many were new."""
    if group.archived_at is not None:
        raise ValidationError("该教研组已归档，不能添加组员。")
    users = list(users)
    ids = {u.pk for u in users}
    # Their places locked, as for a leader (_check_leader): a removal racing
    # this either went first (refused here) or waits and deletes the rows.
    ours = teacher_places_lock(teacher_ids=ids, school_id=group.school_id)
    strangers = [u.display_name for u in users if u.pk not in ours]
    if strangers:
        raise ValidationError(f"只能添加本校在职教师：{'、'.join(strangers)} 不是本校教师。")
    existing = set(
        GroupMember.objects.filter(group=group, user_id__in=ids).values_list("user_id", flat=True)
    )
    new = [GroupMember(group=group, user_id=pk) for pk in ids - existing]
    # ignore_conflicts: a second click adding the same teacher is not an error.
    GroupMember.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _require_live(group: ResearchGroup) -> None:
    if group.archived_at is not None:
        raise ValidationError("该教研组已归档，只能查看，不能再修改。")


def group_member_remove(*, member: GroupMember, by: User) -> None:
    _require_live(member.group)
    if member.user_id == member.group.leader_id:
        raise ValidationError("组长不能移出本组；如需更换组长，请联系学校管理员。")
    member.delete()


@transaction.atomic
def group_plan_save(
    *,
    group: ResearchGroup,
    plan: str,
    by: User,
    points: Iterable[AbilityPoint] | None = None,
    schedule: Iterable[dict] | None = None,
) -> None:
    """The leader writes the group's 研修计划 in the page (seed 000 §五.1), and
    beside the text its light structure: the ability points it targets and its
    schedule by month ({"month", "content"} rows; the month as "2026-09"),
    which activities.consistency checks against what the group publishes.
    `points`/`schedule` None: left as they are."""
    _require_live(group)
    require_not_held(school_id=group.school_id, cycle=cycle_current(), what=GROUP_PLAN)
    group.plan = plan.strip()
    group.plan_updated_at = timezone.now()
    fields = ["plan", "plan_updated_at"]
    if schedule is not None:
        group.plan_schedule = _group_schedule_rows(schedule)
        fields.append("plan_schedule")
    if points is not None:
        group.plan_points.set(_group_plan_points(group=group, points=points))
    group.save(update_fields=fields)


def _group_plan_points(*, group: ResearchGroup, points: Iterable[AbilityPoint]) -> list:
    """Points of the school's framework; a retired one only if already chosen."""
    points = list(points)
    framework = school_settings_for(school=group.school).framework
    kept = set(group.plan_points.values_list("pk", flat=True))
    for point in points:
        if framework is None or point.framework_id != framework.pk:
            raise ValidationError(f"能力点“{point}”不在本校的能力点框架中。")
        if point.retired and point.pk not in kept:
            raise ValidationError(f"能力点“{point}”已停用，不能再选用。")
    return points


def _group_schedule_rows(rows: Iterable[dict]) -> list[dict]:
    """Each row one calendar month (stored "2026-09") and what happens then."""
    from .months import month_key, plan_months

    cycle = cycle_current()
    clean = []
    for row in rows:
        when = str(row.get("month") or "").strip()
        content = str(row.get("content") or "").strip()
        if not when and not content:
            continue
        today = timezone.localdate()
        months = plan_months(
            when,
            starts_on=cycle.starts_on if cycle else today,
            ends_on=cycle.ends_on if cycle else today,
        )
        if not months or len(months) != 1:
            raise ValidationError(f"“{when or content}”：每行请填写一个月份，如 2026-09。")
        clean.append({"month": month_key(months[0]), "content": content[:500]})
    return sorted(clean, key=lambda r: r["month"])


@transaction.atomic
def school_settings_save(
    *,
    school: School,
    framework: Framework,
    one_activity_per_day: bool,
    by: User,
    teachers_choose_any_point: bool = False,
) -> SchoolSettings:
    in_use = AbilityPoint.objects.filter(schooltheme__school=school).exclude(framework=framework)
    if in_use.exists():
        raise ValidationError(
            "本校的校本主题已选用其他框架的能力点，请先在校本主题中改选后再更换能力点框架。"
        )
    obj, _ = SchoolSettings.objects.update_or_create(
        school=school,
        defaults={
            "framework": framework,
            "one_activity_per_day": one_activity_per_day,
            "teachers_choose_any_point": teachers_choose_any_point,
        },
    )
    return obj


@transaction.atomic
def theme_save(
    *,
    school: School,
    cycle: Cycle,
    title: str,
    description: str,
    key_points: Iterable[AbilityPoint],
    by: User,
) -> SchoolTheme:
    """Sets the school's 校本主题 for the cycle, with its key ability points."""
    require_not_held(school_id=school.pk, cycle=cycle, what=THEME)
    key_points = list(key_points)
    framework = school_settings_for(school=school).framework
    if not key_points:
        raise ValidationError("请至少选择一个关键能力点。")
    if framework is None or any(p.framework_id != framework.pk for p in key_points):
        raise ValidationError("关键能力点须来自本校使用的能力点框架。")
    # A retired point already on the theme may stay; it cannot be newly chosen.
    kept = set(
        SchoolTheme.key_points.through.objects.filter(
            schooltheme__school=school, schooltheme__cycle=cycle
        ).values_list("abilitypoint_id", flat=True)
    )
    retired = [str(p) for p in key_points if p.retired and p.pk not in kept]
    if retired:
        raise ValidationError(f"能力点“{'、'.join(retired)}”已停用，不能再选为关键能力点。")
    theme, _ = SchoolTheme.objects.update_or_create(
        school=school,
        cycle=cycle,
        defaults={"title": title.strip(), "description": description.strip()},
    )
    theme.key_points.set(key_points)
    return theme


PLAN_FIELDS = [
    "stages",
    "principal",
    "contact_person",
    "contact_phone",
    "goal_basic",
    "goal_teachers",
    "goal_students",
    "goal_school",
    "theme",
    "format",
    "assessment",
    "mechanisms",
]
TEAM_KEYS = ("name", "age", "education", "major", "title")
SCHEDULE_KEYS = ("when", "content", "owner")


def _rows(rows: Iterable[dict], keys: tuple[str, ...]) -> list[dict]:
    clean = []
    for row in rows:
        item = {k: str(row.get(k) or "").strip() for k in keys}
        if any(item.values()):
            clean.append(item)
    return clean


def _plan_point_rows(*, school: School, plan: SchoolPlan | None, rows: Iterable[dict]):
    """The plan's ability points with reasons: each one of the school framework's
    points, live or already on the plan (a retired point may stay, not be added),
    and none twice."""
    framework = school_settings_for(school=school).framework
    kept = set()
    if plan is not None and plan.pk:
        kept = set(SchoolPlanPoint.objects.filter(plan=plan).values_list("point_id", flat=True))
    clean, seen = [], set()
    for row in rows:
        point, reason = row.get("point"), str(row.get("reason") or "").strip()
        if point is None:
            if reason:
                raise ValidationError("每条选择理由都须对应一个能力点，请选择能力点。")
            continue
        if framework is None or point.framework_id != framework.pk:
            raise ValidationError(f"能力点“{point}”不在本校的能力点框架中。")
        if point.retired and point.pk not in kept:
            raise ValidationError(f"能力点“{point}”已停用，不能再选用。")
        if point.pk in seen:
            raise ValidationError(f"能力点“{point}”重复出现，每个能力点只需填写一次。")
        seen.add(point.pk)
        clean.append((point, reason))
    return clean


@transaction.atomic
def school_plan_save(
    *,
    school: School,
    cycle: Cycle,
    fields: dict,
    team: Iterable[dict],
    points: Iterable[dict],
    schedule: Iterable[dict],
    by: User,
) -> SchoolPlan:
    """Saves the school's 两案 whole: its fields and its three tables of rows.
    `points` rows are {"point": AbilityPoint | None, "reason": str}. Refused
    while the school's acceptance holds it (accounts.holds)."""
    require_not_held(school_id=school.pk, cycle=cycle, what=PLAN)
    existing = SchoolPlan.objects.filter(school=school, cycle=cycle).first()
    point_rows = _plan_point_rows(school=school, plan=existing, rows=points)
    defaults = {name: str(fields.get(name) or "").strip() for name in PLAN_FIELDS}
    defaults.update(
        team=_rows(team, TEAM_KEYS),
        schedule=_rows(schedule, SCHEDULE_KEYS),
        updated_at=timezone.now(),
        updated_by=by,
    )
    plan, _ = SchoolPlan.objects.update_or_create(school=school, cycle=cycle, defaults=defaults)
    # The table is written whole, like the plan's other tables.
    SchoolPlanPoint.objects.filter(plan=plan).delete()
    SchoolPlanPoint.objects.bulk_create(
        SchoolPlanPoint(plan=plan, point=point, reason=reason, position=i)
        for i, (point, reason) in enumerate(point_rows)
    )
    return plan


@transaction.atomic
def teacher_remove(*, membership: SchoolMembership, by: User, reason: str) -> TeacherRemoval:
    """调岗移除 (seed 000 §五.2, DESIGN §2): the teacher leaves the school and their
    training records there no longer count or show. All or nothing.

    Under a lock on the place, every app's registered clearer runs (see
    groups.removal: hours reverses credits, activities archives and deletes
    the teacher's participations, posts, work...); then group memberships and
    leaderships go, and one audit row records who removed whom, when, why, the
    counts of what was cleared and (as ClearedRecords) the rows themselves.
    The teacher is told in their inbox."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("请填写移除原因。")
    if membership.user_id == by.pk:
        raise ValidationError("不能移除自己。")
    # Lock the place: two admins confirming at once must not write two audit rows,
    # and a credit racing the removal waits for it (accounts.services.teacher_place_lock).
    locked = (
        SchoolMembership.objects.select_for_update(of=("self",))  # the place row only
        .select_related("user", "school")
        .get(pk=membership.pk)
    )
    if locked.removed_at is not None:
        raise ValidationError("该教师已被移除。")
    now = timezone.now()
    memberships = GroupMember.objects.filter(
        user_id=locked.user_id, group__school_id=locked.school_id
    )
    led = ResearchGroup.objects.filter(school_id=locked.school_id, leader_id=locked.user_id)
    cleared = teacher_removal_preview(membership=locked)
    clearing = Clearing(place=locked, by=by, reason=reason)
    # Rightmost app first (activities deletes its rows, then hours reverses): the
    # lock order of a completion (place, participation, summary), so a removal
    # never deadlocks with an evidence withdrawal reversing the same credits.
    for clearer in reversed(REMOVAL_CLEARERS):
        cleared.update(clearer.clear(clearing))
    memberships.delete()
    led.update(leader=None)
    locked.removed_at = now
    locked.save(update_fields=["removed_at"])
    membership.removed_at = now
    removal = TeacherRemoval.objects.create(
        school_id=locked.school_id,
        teacher_id=locked.user_id,
        membership=locked,
        by=by,
        at=now,
        reason=reason,
        cleared=cleared,
    )
    for record in clearing.records:
        record.removal = removal
    ClearedRecord.objects.bulk_create(clearing.records, batch_size=500)
    school_figures_changed(school_ids=[locked.school_id])
    notify(
        users=[locked.user_id],
        message=f"你已被{by.display_name}移出{locked.school.name}（调岗移除，原因：{reason}）。"
        "你在该校的研修记录已清除、不再计入；账号保留，新学校导入后即可继续研修。",
        kind="teacher_removed",
    )
    return removal
