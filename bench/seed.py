"""The scale seed (`manage.py seed_scale`): a district of many schools with the
shape real use leaves behind, written in bulk (bench.bulk) in one transaction.

Per school: a school admin, an info-team member (who teaches), teachers (one
place each, a subject and stage), groups of about 25 with a leader and a plan
(one teacher in ten also in a second group), the school's theme with three key
points and its 两案. Per group and cycle (last year's, ended, and the current
one): two topics and eight activities, two of each kind, each with its
participations; the current cycle has activities that ended, ones open now
(joined by some, completed by fewer) and an offline one still to come. Every
completion leaves what the platform leaves: the post, homework or observation
form, the ledger's credit with its ability points and the teacher's notice; a
leader's own hours in the current cycle wait as a claim; one designated member
in fifty of last year's offline activities was taken off again (a credit and
its reversal). Summaries are the sums of the ledger rows (`manage.py
hours_check` passes); last year's hours are registered. Teacher materials of
the current cycle: plans, three chosen points, summaries for some, reviews for
those who are complete.

The first school has a size of its own (`first_school`, 300 by default: the
one-school benchmarks) and a whole-school group with every teacher in it (the
offline-evidence benchmark designates them all). Everyone logs in with
BENCH_PASSWORD; usernames say where they are (s000t0005, s000admin, s000info,
bench_district, bench_expert, bench_operator).
"""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from accounts.demo_ids import make_id_number
from accounts.models import Cycle, Notification, Region, RegionRole, School, SchoolMembership, User
from activities.models import (
    Activity,
    Evidence,
    ObservationForm,
    ObservationQuestion,
    ObservationResponse,
    Participation,
    Post,
    Status,
    Submission,
    Topic,
)
from assessment.models import AbilitySummary, ImprovementPlan, PointChoice, TeacherReview
from groups.models import AbilityPoint, GroupMember, ResearchGroup, SchoolPlan, SchoolTheme
from groups.selectors import DEFAULT_FRAMEWORK
from hours.models import (
    HOURS_CAP,
    HoursClaim,
    HoursEntry,
    HoursRegistration,
    HoursSummary,
    RegistrationBatch,
)

from .bulk import Rows

BENCH_PASSWORD = "bench-pass-2026"
GROUP_SIZE = 25
SUBJECTS = ["语文", "数学", "英语", "科学", "音乐", "体育", "美术", "信息技术", "道德与法治"]
GROUP_NAMES = ["语文组", "数学组", "英语组", "科学组", "艺体组", "信息技术组", "综合组"]
KIND_LABELS = dict(Activity.Kind.choices)


class SeedRefused(Exception):
    pass


@dataclass
class Shape:
    schools: int = 300
    teachers: int = 80_000
    first_school: int = 300
    seed: int = 2026

    def sizes(self) -> list[int]:
        """Teachers per school: the first school its own size, the rest share the remainder."""
        if self.schools == 1:
            return [self.teachers]
        first = min(self.first_school, self.teachers)
        rest, extra = divmod(self.teachers - first, self.schools - 1)
        return [first] + [rest + (1 if i < extra else 0) for i in range(self.schools - 1)]


@dataclass
class World:
    """What every school shares."""

    rows: Rows
    today: datetime.date
    now: datetime.datetime
    district_id: int
    past: Cycle
    current: Cycle
    points: list[int]
    activity_type: int
    password: str
    rng: random.Random
    person_seq: int = 0
    summaries: dict = field(default_factory=dict)  # (teacher_id, cycle_id) -> recorded
    counts: dict = field(default_factory=dict)


def seed_scale(*, shape: Shape, stdout=None) -> dict[str, int]:
    """Seed an empty database (refused if it holds any school). Returns rows per table."""
    if School.objects.exists():
        raise SeedRefused("数据库中已有学校：seed_scale 只用于空的基准测试数据库。")
    with transaction.atomic():
        world = _world(shape)
        for n, size in enumerate(shape.sizes()):
            _school(world, n, size, whole_school_group=(n == 0))
            if stdout and (n + 1) % 25 == 0:
                stdout.write(f"  {n + 1}/{shape.schools} 所学校")
        _summaries(world)
        written = world.rows.finish()
    _analyze()
    return written


def _analyze() -> None:
    """Planner statistics for the rows just written. A production database
    keeps them by autovacuum; a freshly bulk-loaded one has none (and a server
    may run with autovacuum off), so PostgreSQL would plan every page on
    guesses no real deployment makes: a board query took 150 ms instead of 1
    (issue 15)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _world(shape: Shape) -> World:
    today = timezone.localdate()
    rows = Rows()
    province = rows.add(Region, name="基准省", code="990000", level="province")
    city = rows.add(Region, name="基准市", code="990100", level="city", parent_id=province)
    district = rows.add(Region, name="基准区", code="990101", level="district", parent_id=city)
    # Cycles are looked up by date (accounts.selectors.cycle_current): real rows now.
    past = Cycle.objects.create(
        name="基准上一周期",
        starts_on=today - datetime.timedelta(days=455),
        ends_on=today - datetime.timedelta(days=180),
    )
    current = Cycle.objects.create(
        name="基准当前周期",
        starts_on=today - datetime.timedelta(days=90),
        ends_on=today + datetime.timedelta(days=90),
    )
    points = list(
        AbilityPoint.objects.filter(framework__name=DEFAULT_FRAMEWORK, retired=False)
        .order_by("sort_key", "code")
        .values_list("pk", flat=True)[:6]
    )
    world = World(
        rows=rows,
        today=today,
        now=timezone.now(),
        district_id=district,
        past=past,
        current=current,
        points=points,
        activity_type=ContentType.objects.get_for_model(Activity).pk,
        # One hash for everyone: PBKDF2 once, not 80,000 times.
        password=make_password(BENCH_PASSWORD),
        rng=random.Random(shape.seed),
    )
    _person(world, "bench_operator", "基准运维", is_superuser=True, is_staff=True)
    for username, name, kind in [
        ("bench_district", "基准区管理员", RegionRole.Kind.DISTRICT_ADMIN),
        ("bench_expert", "基准专家", RegionRole.Kind.EXPERT),
    ]:
        user = _person(world, username, name)
        rows.add(RegionRole, user_id=user, region_id=district, kind=kind)
    return world


def _person(world: World, username: str, name: str, **flags) -> int:
    world.person_seq += 1
    n = world.person_seq
    return world.rows.add(
        User,
        username=username,
        real_name=name,
        phone=f"199{n:08d}",
        id_number=make_id_number(n),
        password=world.password,
        is_active=True,
        is_staff=flags.get("is_staff", False),
        is_superuser=flags.get("is_superuser", False),
        date_joined=world.now,
        first_name="",
        last_name="",
        email="",
    )


def _days(world: World, n: int) -> datetime.date:
    return world.today + datetime.timedelta(days=n)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


# ---- one school ----------------------------------------------------------------


def _school(world: World, n: int, size: int, *, whole_school_group: bool) -> None:
    rows = world.rows
    school = rows.add(
        School,
        name=f"基准第{n + 1:03d}学校",
        code=f"B{n:05d}",
        region_id=world.district_id,
        stages="小学、初中",
        created_at=world.now,
    )
    admin = _person(world, f"s{n:03d}admin", f"校管理员{n:03d}")
    _place(world, admin, school, is_school_admin=True, is_teacher=False, is_full_time=False)
    teachers = []
    for i in range(size):
        username = f"s{n:03d}info" if i == 0 else f"s{n:03d}t{i:04d}"
        user = _person(world, username, f"教师{n:03d}{i:04d}")
        _place(world, user, school, is_info_team=(i == 0), subject=SUBJECTS[i % len(SUBJECTS)])
        teachers.append(user)
    key_points = world.points[n % 3 : n % 3 + 3]
    theme = rows.add(
        SchoolTheme,
        school_id=school,
        cycle_id=world.current.pk,
        title="信息技术支持的课堂教学与评价",
        updated_at=world.now,
    )
    for p in key_points:
        rows.add(SchoolTheme.key_points.through, schooltheme_id=theme, abilitypoint_id=p)
    rows.add(
        SchoolPlan,
        school_id=school,
        cycle_id=world.current.pk,
        stages="小学、初中",
        theme="信息技术支持的课堂教学与评价",
        format="异步在线课程+线下课堂实践",
        goal_basic="每位教师完成 25 学时的校本实践。",
        updated_by_id=admin,
        updated_at=world.now,
    )
    groups = _groups(world, school, teachers)
    for cycle in (world.past, world.current):
        for members in groups:
            _group_cycle(world, school, members, cycle, key_points)
    if whole_school_group:
        group = rows.add(
            ResearchGroup,
            school_id=school,
            name="全校教师研修组",
            leader_id=teachers[1] if len(teachers) > 1 else teachers[0],
            plan="全校教师参加的线下集中研修。",
            created_at=world.now,
        )
        for user in teachers:
            rows.add(GroupMember, group_id=group, user_id=user, added_at=world.now)
    _materials(world, school, teachers, key_points)
    _registration(world, school, admin, teachers)


def _place(world: World, user: int, school: int, **flags) -> None:
    world.rows.add(
        SchoolMembership,
        user_id=user,
        school_id=school,
        is_school_admin=flags.get("is_school_admin", False),
        is_info_team=flags.get("is_info_team", False),
        is_teacher=flags.get("is_teacher", True),
        is_full_time=flags.get("is_full_time", True),
        subject=flags.get("subject", ""),
        stage="小学",
        joined_at=world.now,
    )


@dataclass
class Group:
    id: int
    leader: int
    members: list[int]  # the leader first


def _groups(world: World, school: int, teachers: list[int]) -> list[Group]:
    rows = world.rows
    k = max(1, round(len(teachers) / GROUP_SIZE))
    groups = []
    for g in range(k):
        members = [t for i, t in enumerate(teachers) if i % k == g]
        # One teacher in ten also belongs to the next group.
        members += [t for i, t in enumerate(teachers) if i % k == (g - 1) % k and i % 10 == 3]
        if k == 1:
            members = list(dict.fromkeys(members))
        name = GROUP_NAMES[g % len(GROUP_NAMES)]
        if g >= len(GROUP_NAMES):
            name += f"（{g // len(GROUP_NAMES) + 1}）"
        group = rows.add(
            ResearchGroup,
            school_id=school,
            name=name,
            leader_id=members[0],
            plan="本学期围绕关键能力点开展专题研修，四类活动轮流进行。",
            plan_updated_at=world.now,
            created_at=world.now,
        )
        for user in members:
            rows.add(GroupMember, group_id=group, user_id=user, added_at=world.now)
        groups.append(Group(group, members[0], members))
    return groups


# The activities of a group in one cycle: (kind, held, opens, closes) as days
# from the cycle's reference day, and who took part: joined %, completed %.
CURRENT = [
    ("discussion", -60, -60, -30, 95, 85),
    ("homework", -50, -50, -20, 90, 80),
    ("observation", -45, -45, -15, 90, 75),
    ("offline", -40, -40, -40, 100, 100),
    ("discussion", -10, -10, 20, 60, 40),
    ("homework", -5, -5, 25, 50, 30),
    ("observation", -3, -3, 27, 50, 30),
    ("offline", 10, 10, 10, 100, 0),  # held in ten days: designated, no evidence yet
]


def _group_cycle(world: World, school: int, group: Group, cycle: Cycle, key_points) -> None:
    rows = world.rows
    is_past = cycle.pk == world.past.pk
    # Last year's activities sit at the same places in last year's cycle, all ended.
    shift = (cycle.starts_on - world.current.starts_on).days
    topics = []
    for t in range(2):
        topic = rows.add(
            Topic,
            group_id=group.id,
            cycle_id=cycle.pk,
            title=f"专题 {t + 1}：信息技术支持的教学",
            description="",
            status=Status.PUBLISHED,
            created_by_id=group.leader,
            created_at=_at(cycle.starts_on),
            published_at=_at(cycle.starts_on),
        )
        chosen = key_points[t : t + 2] or key_points
        for p in chosen:
            rows.add(Topic.key_points.through, topic_id=topic, abilitypoint_id=p)
        topics.append((topic, chosen))
    for a, (kind, held, opens, closes, joined, completed) in enumerate(CURRENT):
        topic, points = topics[a % 2]
        held_on, opens_on, closes_on = (_days(world, d + shift) for d in (held, opens, closes))
        hours = Activity.FIXED_HOURS.get(kind, 3)
        title = f"{KIND_LABELS[kind]}：第 {a + 1} 次活动"
        activity = rows.add(
            Activity,
            topic_id=topic,
            group_id=group.id,
            cycle_id=cycle.pk,
            kind=kind,
            title=title,
            description="围绕本专题的关键能力点开展。",
            held_on=held_on,
            opens_on=opens_on,
            closes_on=closes_on,
            hours_value=hours,
            status=Status.CLOSED if is_past else Status.PUBLISHED,
            task_kind="reflection" if kind == "homework" else "",
            created_by_id=group.leader,
            created_at=_at(opens_on - datetime.timedelta(days=3)),
            published_at=_at(opens_on - datetime.timedelta(days=2)),
            closed_at=_at(closes_on, 18) if is_past else None,
        )
        questions = _observation_form(world, activity) if kind == "observation" else []
        if kind == "offline" and completed:
            rows.add(
                Evidence,
                activity_id=activity,
                kind=Evidence.Kind.SIGN_IN,
                file="bench/evidence/sign-in.pdf",
                original_name="签到表.pdf",
                size=120_000,
                content_type="application/pdf",
                uploaded_by_id=group.leader,
                uploaded_at=_at(held_on, 17),
            )
        if is_past:
            joined, completed = max(joined, 90), (completed and max(completed, 85))
        done_at = _at(min(closes_on, world.today - datetime.timedelta(days=1)), 16)
        source = Source(activity, kind, title, hours, points, done_at, group, cycle.pk, school)
        for i, user in enumerate(group.members):
            roll = (user * 7919 + activity * 104_729) % 100
            is_leader = user == group.leader
            if kind == "offline":
                take_part, done = True, bool(completed)
            else:
                # Leaders run their group's online activities rather than do them.
                take_part = not is_leader and roll < joined
                done = take_part and roll < completed
            if not take_part:
                continue
            undesignated = is_past and kind == "offline" and not is_leader and i % 50 == 7
            _take_part(world, source, user, done, undesignated, questions)


def _observation_form(world: World, activity: int) -> list[int]:
    rows = world.rows
    form = rows.add(
        ObservationForm,
        activity_id=activity,
        lesson_title="微课导入",
        teacher_name="执教教师",
        subject_grade="语文/四年级",
    )
    return [
        rows.add(
            ObservationQuestion,
            form_id=form,
            position=i,
            kind=kind,
            prompt=prompt,
            max_score=10,
            choices=choices,
            required=True,
        )
        for i, (kind, prompt, choices) in enumerate(
            [
                ("score", "教学目标明确", []),
                ("choice", "信息技术使用是否恰当", ["恰当", "一般"]),
                ("text", "改进建议", []),
            ]
        )
    ]


@dataclass
class Source:
    activity: int
    kind: str
    title: str
    hours: int
    points: list[int]
    done_at: datetime.datetime
    group: Group
    cycle: int
    school: int


def _take_part(world: World, src: Source, user: int, done: bool, undesignated: bool, questions):
    rows = world.rows
    offline = src.kind == "offline"
    by = src.group.leader if offline else user
    if not undesignated:
        rows.add(
            Participation,
            activity_id=src.activity,
            user_id=user,
            joined_at=src.done_at - datetime.timedelta(days=2),
            entered_at=None if offline else src.done_at - datetime.timedelta(days=1),
            completed_at=src.done_at if done else None,
            designated_by_id=src.group.leader if offline else None,
        )
    if not done:
        return
    if src.kind == "discussion":
        rows.add(
            Post,
            activity_id=src.activity,
            author_id=user,
            body="微课要短小精悍，一个知识点讲透就好，五分钟以内学生最专注。",
            like_count=0,
            created_at=src.done_at,
        )
    elif src.kind == "homework":
        rows.add(
            Submission,
            activity_id=src.activity,
            user_id=user,
            text="本次教学反思：用微课导入后学生参与度明显提高。",
            submitted_at=src.done_at,
            updated_at=src.done_at,
        )
    elif src.kind == "observation":
        answers = {str(questions[0]): 8, str(questions[1]): "恰当", str(questions[2]): "很好"}
        rows.add(
            ObservationResponse,
            activity_id=src.activity,
            user_id=user,
            answers=answers,
            total_score=8,
            submitted_at=src.done_at,
        )
    reason = f"完成{KIND_LABELS[src.kind]}《{src.title}》"
    if user == src.group.leader and src.cycle == world.current.pk:
        # DESIGN §2: a leader's own hours wait for the school admin.
        claim = rows.add(
            HoursClaim,
            teacher_id=user,
            cycle_id=src.cycle,
            school_id=src.school,
            content_type_id=world.activity_type,
            object_id=src.activity,
            hours=src.hours,
            title=src.title,
            category=KIND_LABELS[src.kind],
            reason=reason,
            requested_at=src.done_at,
            status=HoursClaim.Status.PENDING,
        )
        for p in src.points:
            rows.add(HoursClaim.ability_points.through, hoursclaim_id=claim, abilitypoint_id=p)
        _notice(world, user, f"{src.hours} 学时待学校管理员确认：《{src.title}》。", "hours_claim")
        return
    credit = _entry(world, src, user, src.hours, by, reason, None)
    _notice(world, user, f"计入 {src.hours} 学时：《{src.title}》。", "hours_credit")
    if undesignated:
        _entry(world, src, user, -src.hours, by, "线下活动取消指定参与", credit)
        _notice(world, user, f"撤销 {src.hours} 学时：《{src.title}》。", "hours_reversal")


def _entry(world: World, src: Source, user: int, hours: int, by: int, reason: str, reverses):
    rows = world.rows
    entry = rows.add(
        HoursEntry,
        teacher_id=user,
        cycle_id=src.cycle,
        school_id=src.school,
        kind=HoursEntry.Kind.REVERSAL if reverses else HoursEntry.Kind.CREDIT,
        hours=hours,
        content_type_id=world.activity_type,
        object_id=src.activity,
        generation=0,
        title=src.title,
        category=KIND_LABELS[src.kind],
        reverses_id=reverses,
        reason=reason,
        by_id=by,
        at=src.done_at + datetime.timedelta(hours=1 if reverses else 0),
    )
    if not reverses:
        for p in src.points:
            rows.add(HoursEntry.ability_points.through, hoursentry_id=entry, abilitypoint_id=p)
    key = (user, src.cycle)
    world.summaries[key] = world.summaries.get(key, 0) + hours
    return entry


def _notice(world: World, user: int, message: str, kind: str) -> None:
    world.rows.add(
        Notification,
        user_id=user,
        message=message,
        link="/hours/",
        kind=kind,
        created_at=world.now,
        read_at=world.now,
    )


# ---- teacher materials, registration, summaries -----------------------------------


def _materials(world: World, school: int, teachers: list[int], key_points) -> None:
    rows = world.rows
    cycle = world.current.pk
    for i, user in enumerate(teachers):
        common = {"teacher_id": user, "school_id": school, "cycle_id": cycle}
        if i % 10 < 7:
            rows.add(
                ImprovementPlan,
                **common,
                file="bench/plans/plan.pdf",
                original_name="教师信息技术应用能力提升计划.pdf",
                size=200_000,
                content_type="application/pdf",
                uploaded_at=world.now,
                updated_at=world.now,
            )
        if i % 10 < 8:
            for p in key_points:
                rows.add(PointChoice, **common, point_id=p, chosen_at=world.now)
                if i % 2 == 0:
                    rows.add(
                        AbilitySummary,
                        **common,
                        point_id=p,
                        file="bench/summaries/summary.pdf",
                        original_name="能力点提升总结.pdf",
                        size=150_000,
                        content_type="application/pdf",
                        uploaded_at=world.now,
                        updated_at=world.now,
                    )
        if i % 10 == 0:
            rows.add(TeacherReview, **common, result=TeacherReview.Result.PENDING, reason="")


def _registration(world: World, school: int, admin: int, teachers: list[int]) -> None:
    """Last year's hours were registered after the school's acceptance passed."""
    rows = world.rows
    past = world.past
    at = _at(past.ends_on + datetime.timedelta(days=20))
    batch = rows.add(
        RegistrationBatch,
        school_id=school,
        cycle_id=past.pk,
        status=RegistrationBatch.Status.DONE,
        total=len(teachers),
        done=len(teachers),
        registered=len(teachers),
        by_id=admin,
        created_at=at,
        finished_at=at,
    )
    for user in teachers:
        recorded = world.summaries.get((user, past.pk), 0)
        rows.add(
            HoursRegistration,
            teacher_id=user,
            cycle_id=past.pk,
            school_id=school,
            batch_id=batch,
            hours=min(recorded, HOURS_CAP),
            recorded=recorded,
            registered_at=at,
        )


def _summaries(world: World) -> None:
    for (teacher, cycle), recorded in world.summaries.items():
        world.rows.add(
            HoursSummary,
            teacher_id=teacher,
            cycle_id=cycle,
            recorded=recorded,
            updated_at=world.now,
        )
