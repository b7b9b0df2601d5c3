"""方案与实施一致性: what a school's 两案 and each group's plan say, against what
the groups actually published — found now, not at acceptance.

For the school (its SchoolPlan for the cycle):
- an ability point of the plan that no published topic aims at;
- a published topic aimed at a point outside the plan;
- a schedule row whose month has ended with no published activity in it
  (months still to come are listed, not counted);
- a schedule row whose time names no month one can read ("学期末", "十三月");
- a schedule row whose months all lie outside the cycle, before or after it;
- an activity type (教学研讨, 研修作业, 听课评课, 线下活动) never used;
- a live group with no published topic.
For a group (its plan's points and months, groups.ResearchGroup.plan_points /
plan_schedule): the same comparisons against its own topics and activities.

Each finding says what is wrong and links to where it is fixed, for the person
looking: the school's plan page for school roles; the group plan, the topic or
the activity form for the leader. Reads only, in a fixed number of queries
whatever the number of groups, topics and activities.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.compiled import CompiledModels, CompiledRead
from groups.models import ResearchGroup, SchoolPlan, SchoolPlanPoint, SchoolTheme
from groups.months import month_in_cycle, month_label, month_last_day, plan_months

from .models import Activity, Status, Topic

SCHOOL, LEADER = "school", "leader"


@dataclass
class Finding:
    kind: str
    message: str
    fixes: list = field(default_factory=list)  # [(label, URL name, args)]

    @property
    def links(self) -> list:
        """[(label, url)], resolved when shown: the school's home only counts
        the findings, and a count needs no URLs."""
        return [(label, reverse(name, args=args)) for label, name, args in self.fixes]


@dataclass
class Report:
    findings: list = field(default_factory=list)
    upcoming: list = field(default_factory=list)  # schedule rows not yet due: (when, content)


@dataclass
class GroupReport(Report):
    group: ResearchGroup | None = None
    has_topic: bool = False


@dataclass
class SchoolReport:
    cycle: object
    plan: SchoolPlan | None
    school: Report
    groups: list  # [GroupReport]

    @property
    def total(self) -> int:
        return len(self.school.findings) + sum(len(g.findings) for g in self.groups)


@dataclass(frozen=True)
class _Point:
    pk: int
    code: str
    name: str


@dataclass
class _Topic:
    """A published topic as the check reads it: no model instances (24 topics
    with their points prefetched cost more Python time than the whole check)."""

    pk: int
    group_id: int
    title: str
    points: list = field(default_factory=list)  # [_Point] in the catalogue's order


@dataclass
class _Published:
    """What the groups published in the cycle, loaded once."""

    topics: dict = field(default_factory=lambda: defaultdict(list))  # group id -> [_Topic]
    months: dict = field(default_factory=lambda: defaultdict(set))  # group id -> {(y, m)}
    kinds: set = field(default_factory=set)


def _topic_rows(cycle, **where):
    """Published topics of the cycle, each joined to its points (a topic
    without any: one row, no point), in creation order then the catalogue's."""
    return (
        Topic.objects.filter(cycle=cycle, status=Status.PUBLISHED, **where)
        .order_by(
            "created_at",
            "pk",
            "key_points__framework__name",
            "key_points__sort_key",
            "key_points__code",
        )
        .values(
            topic=F("pk"),
            topic_group=F("group_id"),
            topic_title=F("title"),
            point=F("key_points__pk"),
            point_code=F("key_points__code"),
            point_name=F("key_points__name"),
        )
    )


def _activity_rows(cycle, **where):
    """The days and kinds of the cycle's activities that are not drafts."""
    return (
        Activity.objects.filter(cycle=cycle, **where)
        .exclude(status=Status.DRAFT)
        .order_by()  # a set of months and kinds: no sort
        .values("group_id", "held_on", "kind")
    )


# The school's home reads the school's: compiled once per process (accounts.compiled).
_LIVE = {"group__archived_at__isnull": True}
_SCHOOL_TOPICS = CompiledRead(
    lambda school, cycle: _topic_rows(cycle, group__school=school, **_LIVE), "school", "cycle"
)
_SCHOOL_ACTIVITIES = CompiledRead(
    lambda school, cycle: _activity_rows(cycle, group__school=school, **_LIVE), "school", "cycle"
)


def _published(*, cycle, group_ids: list[int] | None = None, school_id=None) -> _Published:
    """Published topics with their points, and the months and kinds of
    published activities, of the groups `group_ids` or of the school's live
    groups (`school_id`): two queries."""
    if school_id is not None:
        topics = _SCHOOL_TOPICS.rows(school=school_id, cycle=cycle.pk)
        activities = _SCHOOL_ACTIVITIES.rows(school=school_id, cycle=cycle.pk)
    else:
        topics = _topic_rows(cycle, group_id__in=group_ids)
        activities = _activity_rows(cycle, group_id__in=group_ids)
    out = _Published()
    last = None
    for row in topics:
        if last is None or last.pk != row["topic"]:
            last = _Topic(pk=row["topic"], group_id=row["topic_group"], title=row["topic_title"])
            out.topics[last.group_id].append(last)
        if row["point"] is not None:
            last.points.append(_Point(row["point"], row["point_code"], row["point_name"]))
    for row in activities:
        held_on = row["held_on"]
        out.months[row["group_id"]].add((held_on.year, held_on.month))
        out.kinds.add(row["kind"])
    return out


def _codes(points) -> str:
    return "、".join(f"{p.code} {p.name}" for p in points)


def _schedule(rows, *, cycle, months_done: set, today, fixes, plan_fixes=None) -> Report:
    """Schedule rows against the months that have activities. `rows`: [(when,
    content)]. A row is judged once one of its months has ended. `fixes`: where
    a month without an activity is put right; `plan_fixes` (the same when not
    given): where a month that cannot be read or lies outside the cycle is,
    only in the plan."""
    plan_fixes = fixes if plan_fixes is None else plan_fixes
    report = Report()
    for when, content in rows:
        about = f"“{when}　{content}”" if content else f"“{when}”"
        months = plan_months(when, starts_on=cycle.starts_on, ends_on=cycle.ends_on)
        if months is None:
            report.findings.append(
                Finding(
                    "month_unreadable",
                    f"安排{about}的时间读不出月份，无法核对；请写成“2026年9月”或“9月”这样的月份。",
                    plan_fixes,
                )
            )
            continue
        names = "、".join(month_label(m) for m in months[:3]) + ("等" if len(months) > 3 else "")
        # Before the cycle or after it, alike: such a row can never be carried
        # out in this cycle, so it is a finding now, not a month "still to come".
        if not any(
            month_in_cycle(m, starts_on=cycle.starts_on, ends_on=cycle.ends_on) for m in months
        ):
            report.findings.append(
                Finding(
                    "month_outside_cycle",
                    f"安排{about}的月份（{names}）不在研修周期“{cycle.name}”"
                    f"（{cycle.starts_on:%Y-%m-%d} 至 {cycle.ends_on:%Y-%m-%d}）内，"
                    "请改为周期内的月份。",
                    plan_fixes,
                )
            )
            continue
        if all(month_last_day(m) >= today for m in months):
            report.upcoming.append((when, content))
            continue
        if not months_done.intersection(months):
            report.findings.append(
                Finding(
                    "month_without_activity",
                    f"安排{about}所在月份（{names}）没有已发布的研修活动。",
                    fixes,
                )
            )
    return report


# Where each finding is fixed, for the person looking ---------------------------


def _plan_links() -> list:
    return [("修改两案", "groups:plan_edit", ())]


def _for(group, audience: str, *leader_fixes) -> list:
    """School roles fix a group's findings through its leader: they get the
    group's page; the leader gets the form that fixes it."""
    if audience == SCHOOL:
        return [("查看教研组", "groups:detail", (group.pk,))]
    return list(leader_fixes)


def _edit_plan(group):
    return ("修改研修计划", "groups:group_plan", (group.pk,))


def _new_topic(group):
    return ("添加研修专题", "activities:topic_new", (group.pk,))


def _edit_topic(topic):
    return ("编辑专题", "activities:topic_edit", (topic.pk,))


def _new_activity(topic):
    return (f"在专题《{topic.title}》下添加活动", "activities:activity_new", (topic.pk,))


# The group ------------------------------------------------------------------


def _group_report(
    *, group, plan_points: list, published: _Published, cycle, today, audience: str
) -> GroupReport:
    topics = published.topics.get(group.pk, [])
    report = GroupReport(group=group, has_topic=bool(topics))
    if not topics:
        # Nothing published yet: this one finding says it all (on the school
        # page, the school's list of groups without a topic does).
        if audience == LEADER:
            report.findings.append(
                Finding("group_without_topic", "本组还没有发布研修专题。", [_new_topic(group)])
            )
        return report
    schedule = [(row.get("month", ""), row.get("content", "")) for row in group.plan_schedule]
    if not plan_points and not schedule:
        report.findings.append(
            Finding(
                "group_plan_unstructured",
                f"{group.name}的研修计划还没有勾选针对的能力点、填写按月安排，"
                "无法与已发布的专题和活动核对。",
                _for(group, audience, _edit_plan(group)),
            )
        )
        return report
    if plan_points:
        _group_points(report, group=group, points=plan_points, topics=topics, audience=audience)
    else:
        report.findings.append(
            Finding(
                "group_plan_no_points",
                f"{group.name}的研修计划还没有勾选针对的能力点。",
                _for(group, audience, _edit_plan(group)),
            )
        )
    if not schedule:
        report.findings.append(
            Finding(
                "group_plan_no_schedule",
                f"{group.name}的研修计划还没有填写按月安排。",
                _for(group, audience, _edit_plan(group)),
            )
        )
        return report
    months = _schedule(
        schedule,
        cycle=cycle,
        months_done=published.months.get(group.pk, set()),
        today=today,
        fixes=_for(group, audience, _new_activity(topics[-1]), _edit_plan(group)),
        plan_fixes=_for(group, audience, _edit_plan(group)),
    )
    for finding in months.findings:
        finding.message = f"{group.name}：{finding.message}"
    report.findings += months.findings
    report.upcoming = months.upcoming
    return report


def _group_points(report: GroupReport, *, group, points, topics, audience: str) -> None:
    aimed = {p.pk for t in topics for p in t.points}
    for point in points:
        if point.pk not in aimed:
            report.findings.append(
                Finding(
                    "plan_point_without_topic",
                    f"{group.name}的研修计划针对 {point.code} {point.name}，"
                    "但本组没有针对它的已发布专题。",
                    _for(group, audience, _new_topic(group), _edit_plan(group)),
                )
            )
    planned = {p.pk for p in points}
    for topic in topics:
        outside = [p for p in topic.points if p.pk not in planned]
        if outside:
            report.findings.append(
                Finding(
                    "topic_point_outside_plan",
                    f"{group.name}的专题《{topic.title}》针对的 {_codes(outside)} "
                    "不在本组研修计划的能力点中。",
                    _for(group, audience, _edit_topic(topic), _edit_plan(group)),
                )
            )


def _plan_point_rows(**where):
    return (
        ResearchGroup.plan_points.through.objects.filter(**where)
        .select_related("abilitypoint")
        .order_by("abilitypoint__sort_key", "abilitypoint__code")
    )


def _group_plan_points(group_ids: list[int] | None = None, *, school_id=None) -> dict:
    """{group id: [AbilityPoint]} of the groups `group_ids`, or of the school's
    live groups (`school_id`), in one query."""
    if school_id is not None:
        rows = _SCHOOL_GROUP_POINTS.all(school=school_id)
    else:
        rows = _plan_point_rows(researchgroup_id__in=group_ids)
    out = defaultdict(list)
    for row in rows:
        out[row.researchgroup_id].append(row.abilitypoint)
    return out


# The school's home counts the findings on every visit: its reads compiled
# once per process, like _SCHOOL_TOPICS (accounts.compiled).
_SCHOOL_GROUP_POINTS = CompiledModels(
    lambda school: _plan_point_rows(
        researchgroup__school=school, researchgroup__archived_at__isnull=True
    ),
    "school",
)
_PLAN_POINTS = CompiledModels(
    lambda plan: (
        SchoolPlanPoint.objects.filter(plan=plan).select_related("point").order_by("position", "pk")
    ),
    "plan",
)
_THEME_KEYS = CompiledRead(
    lambda school, cycle: SchoolTheme.key_points.through.objects.filter(
        schooltheme__school_id=school, schooltheme__cycle=cycle
    ).values(point=F("abilitypoint_id")),
    "school",
    "cycle",
)


def group_consistency(*, group: ResearchGroup, cycle) -> GroupReport:
    """The leader's view of one group: its plan against its topics and
    activities (three queries)."""
    published = _published(group_ids=[group.pk], cycle=cycle)
    return _group_report(
        group=group,
        plan_points=_group_plan_points([group.pk]).get(group.pk, []),
        published=published,
        cycle=cycle,
        today=timezone.localdate(),
        audience=LEADER,
    )


# The school -----------------------------------------------------------------


_LOOK_UP = object()


def school_consistency(
    *, school_id: int, cycle, plan=_LOOK_UP, groups=None, key_points=None
) -> SchoolReport:
    """The school's 两案 against what its live groups published, then each
    group's plan against its own: seven queries for any size (plan, its
    points, the theme's key points, groups, the groups' plan points, topics
    with their points, activities); five when the caller has the cycle's `plan` (or
    None) and the live `groups` in name order already, four with the theme's
    `key_points` too (the school's home)."""
    today = timezone.localdate()
    if plan is _LOOK_UP:
        plan = SchoolPlan.objects.filter(school_id=school_id, cycle=cycle).first()
    if groups is None:
        groups = ResearchGroup.objects.filter(school_id=school_id, archived_at__isnull=True)
        groups = list(groups.order_by("name"))
    # The school's live groups, as `groups` (read by the same rule).
    published = _published(school_id=school_id, cycle=cycle)
    report = Report()
    if plan is None:
        report.findings.append(
            Finding(
                "no_plan",
                f"本校还没有填写研修周期“{cycle.name}”的校本研修方案（两案），无法核对。",
                _plan_links(),
            )
        )
    else:
        _school_plan(
            report,
            plan=plan,
            groups=groups,
            published=published,
            cycle=cycle,
            today=today,
            key_points=key_points,
        )
    for kind, label in Activity.Kind.choices:
        if kind not in published.kinds:
            report.findings.append(
                Finding(
                    "kind_unused",
                    f"全校还没有发布过“{label}”活动：教研组的活动应覆盖教学研讨、研修作业、听课评课、线下活动四种类型。",
                    [("研修覆盖", "activities:school_coverage", ())],
                )
            )
    for group in groups:
        if not published.topics.get(group.pk):
            report.findings.append(
                Finding(
                    "group_without_topic",
                    f"{group.name}还没有发布研修专题。",
                    _for(group, SCHOOL),
                )
            )
    plan_points = _group_plan_points(school_id=school_id)
    return SchoolReport(
        cycle=cycle,
        plan=plan,
        school=report,
        groups=[
            _group_report(
                group=g,
                plan_points=plan_points.get(g.pk, []),
                published=published,
                cycle=cycle,
                today=today,
                audience=SCHOOL,
            )
            for g in groups
        ],
    )


def _school_plan(
    report: Report, *, plan, groups, published: _Published, cycle, today, key_points=None
) -> None:
    points = [row.point for row in _PLAN_POINTS.all(plan=plan.pk)]
    by_pk = {g.pk: g for g in groups}
    topics = [t for g in groups for t in published.topics.get(g.pk, [])]
    if not points:
        report.findings.append(
            Finding(
                "plan_no_points",
                "两案还没有填写能力点及选择理由，无法核对各组专题针对的能力点。",
                _plan_links(),
            )
        )
    else:
        aimed = {p.pk for t in topics for p in t.points}
        # Topics may only aim at the theme's key points (activities.services).
        if key_points is None:
            key_points = _THEME_KEYS.rows(school=plan.school_id, cycle=cycle.pk)
            key = {row["point"] for row in key_points}
        else:
            key = {p.pk for p in key_points}
        for point in points:
            if point.pk not in aimed and point.pk not in key:
                report.findings.append(
                    Finding(
                        "plan_point_without_topic",
                        f"两案中的能力点 {point.code} {point.name} 不是校本主题的关键能力点，"
                        "各组的研修专题不能针对它：请在校本主题中加入它，或从两案中删去。",
                        _plan_links() + [("校本主题", "groups:theme", ())],
                    )
                )
            elif point.pk not in aimed:
                report.findings.append(
                    Finding(
                        "plan_point_without_topic",
                        f"两案中的能力点 {point.code} {point.name} "
                        "还没有任何教研组的已发布专题针对它。",
                        _plan_links() + [("研修覆盖", "activities:school_coverage", ())],
                    )
                )
        planned = {p.pk for p in points}
        for topic in topics:
            outside = [p for p in topic.points if p.pk not in planned]
            if outside:
                group = by_pk[topic.group_id]
                report.findings.append(
                    Finding(
                        "topic_point_outside_plan",
                        f"{group.name}的专题《{topic.title}》针对的 {_codes(outside)} "
                        "不在两案的能力点中。",
                        _plan_links() + _for(group, SCHOOL),
                    )
                )
    rows = [(r.get("when", ""), r.get("content", "")) for r in plan.schedule]
    if not rows:
        report.findings.append(
            Finding(
                "plan_no_schedule",
                "两案还没有填写校本研修安排（时间、内容、负责人），无法核对各月的研修活动。",
                _plan_links(),
            )
        )
        return
    every_month = set().union(*published.months.values()) if published.months else set()
    months = _schedule(rows, cycle=cycle, months_done=every_month, today=today, fixes=_plan_links())
    report.findings += months.findings
    report.upcoming = months.upcoming


def school_consistency_count(*, school_id: int, cycle, **known) -> int | None:
    """How many findings the school's page shows ("3 处不一致"); None without a
    cycle. `known`: the plan and groups, as school_consistency takes them."""
    if cycle is None:
        return None
    return school_consistency(school_id=school_id, cycle=cycle, **known).total
