"""Each role's home page: what the person should do next. config/ sits above all
apps, so it may gather what each app's selectors say."""

from accounts.access import schools_visible_to
from accounts.context_processors import unread_for
from accounts.holds import held
from accounts.models import School
from accounts.roles import Grant, Role
from accounts.selectors import cycle_current, school_counts, school_of
from activities.consistency import school_consistency_count
from activities.selectors import coverage_for_groups, offline_waiting_evidence, teacher_board
from assessment.charts import stages_chart
from assessment.selectors import (
    cases_of_groups,
    evaluation_gate,
    evaluations_to_assess,
    groups_without_case_count,
    leader_evaluation_count,
    members_lacking_count,
    review_counts_kept,
    teacher_lacks,
)
from assessment.selectors.acceptance import (
    district_to_do,
    expert_home,
    school_acceptance_step,
)
from assessment.selectors.district import FORMING, hours_of
from assessment.services.stats import school_stats_read, stage_summary_complete
from groups.holds import GROUP_PLAN, PLAN
from groups.selectors import groups_led_by, school_setup
from hours.charts import hours_histogram_chart, hours_progress_chart
from hours.selectors import groups_hours_stats, hours_claims_waiting_count


def _school_admin(request, grant: Grant) -> dict:
    school = school_of(grant.school_id)
    cycle = cycle_current()
    stats = _kept_figures(school, cycle)
    counts = _counts(school, stats)
    # While the acceptance holds the school's records (the theme, the 两案, the
    # groups, the results, the cases), no step offers what the hold refuses.
    acceptance = school_acceptance_step(school=school, cycle=cycle)
    holding = acceptance.held
    steps = []
    if counts["teachers"] == 0:
        steps.append(("导入本校教师名单", "accounts:roster_import"))
    setup = school_setup(school=school, cycle=cycle, teachers=stats and stats.teachers)
    if not holding:
        steps += setup.steps
    # DESIGN §2: a leader's own hours wait for the school admin's confirmation.
    claims = hours_claims_waiting_count(school_id=school.pk)
    if claims:
        steps.insert(0, (f"确认 {claims} 条组长本人的学时", "activities:claims"))
    review = None
    if cycle is not None:
        # Kept with the school's figures (SchoolStats): counting them from every
        # teacher's materials was a third of this page at 300 teachers.
        review = review_counts_kept(stats)
        if review.waiting > 0 and not holding:
            steps.append((f"研修考核：{review.waiting} 位教师已完成，待考核", "assessment:review"))
        missing = groups_without_case_count(school_id=school.pk, cycle=cycle)
        if missing and setup.progress.group_count and not holding:
            steps.append((f"{missing} 个教研组尚未上传典型案例", "assessment:school_cases"))
        if stats.lacking:
            steps.append((f"{stats.lacking} 位教师还有未完成项：查看并提醒", "assessment:lacking"))
        if acceptance.step:
            steps.append(acceptance.step)
    return {
        "school": school,
        "counts": counts,
        "steps": steps,
        "setup": setup,
        "claims_count": claims,
        "review": review,
        **_school_progress(school, cycle, stats),
        "consistency_count": school_consistency_count(
            school_id=school.pk, cycle=cycle, **_known(setup)
        ),
    }


def _info_team(request, grant: Grant) -> dict:
    school = school_of(grant.school_id)
    cycle = cycle_current()
    stats = _kept_figures(school, cycle)
    setup = school_setup(school=school, with_lists=False, cycle=cycle)
    steps = []
    if setup.plan is None and not held(school_id=school.pk, cycle=cycle, what=PLAN, for_page=True):
        steps.append(("填写校本研修方案（两案）", "groups:plan_edit"))
    gate = None
    if cycle is not None:
        waiting = evaluations_to_assess(school_id=school.pk, cycle=cycle)
        if waiting:
            steps.append((f"能力点测评：{waiting} 份材料待测评", "assessment:register"))
        gate = evaluation_gate(school=school, cycle=cycle)
    return {
        "school": school,
        "counts": _counts(school, stats),
        "steps": steps,
        "setup": setup,
        "gate": gate,
        "consistency_count": school_consistency_count(
            school_id=school.pk, cycle=cycle, **_known(setup)
        ),
        **_school_progress(school, cycle, stats),
    }


def _known(setup) -> dict:
    """The plan, the live groups and the theme's key points are loaded for the
    page already: the consistency check reuses them."""
    return {"plan": setup.plan, "groups": setup.progress.groups, "key_points": setup.theme_points}


def _kept_figures(school, cycle):
    """The school's kept figures for the cycle (assessment's SchoolStats, which
    every service that changes them updates): what the school's pages count
    reads from one row, not from its teachers. None without a cycle."""
    return school_stats_read(school_id=school.pk, cycle=cycle) if cycle else None


def _counts(school, stats) -> dict:
    if stats is None:
        return school_counts(school)
    return {"teachers": stats.teachers, "full_time": stats.full_time}


def _school_progress(school, cycle, stats) -> dict:
    """How the school's teachers stand against 25 hours, as a bar with numbers
    (from the kept figures)."""
    if cycle is None:
        return {}
    hours = hours_of(stats)
    return {
        "cycle": cycle,
        "progress": [(school.name, hours)],
        "progress_chart": hours_progress_chart([("全校", hours)]),
    }


def _leader(request, grant: Grant) -> dict:
    groups = list(groups_led_by(user=request.user, school_id=grant.school_id))
    cycle = cycle_current()
    # While the acceptance holds the groups' 研修计划 and 典型案例 (the same
    # hold), the home offers to read them, not to write them.
    plan_held = (
        held(school_id=grant.school_id, cycle=cycle, what=GROUP_PLAN, for_page=True)
        if groups
        else None
    )
    boards = coverage_for_groups(groups=groups, school_id=grant.school_id, cycle=cycle)
    steps = []
    for board in boards:
        missing = board.missing_kinds + [p.code for p in board.missing_points]
        if missing:
            steps.append(
                (
                    f"{board.group.name}：补齐研修覆盖（缺 {'、'.join(missing)}）",
                    "activities:leading",
                )
            )
    # What waits for the leader (issue 13): offline activities held without
    # evidence (nobody designated is credited until it comes), members'
    # evaluation evidence to check, members behind.
    for activity in offline_waiting_evidence(groups=groups):
        steps.append(
            (
                f"线下活动《{activity.title}》已于 {activity.held_on:%m-%d} 举行，尚未上传佐证材料",
                activity.get_absolute_url(),
            )
        )
    if cycle is not None:
        to_check = leader_evaluation_count(
            user=request.user, school_id=grant.school_id, cycle=cycle
        )
        if to_check:
            steps.append((f"查看 {to_check} 份组员能力点测评材料", "assessment:leader_evaluations"))
        behind = members_lacking_count(user=request.user, school_id=grant.school_id, cycle=cycle)
        if behind:
            steps.append((f"{behind} 位组员还有未完成项：查看并提醒", "assessment:leader_members"))
        cases = cases_of_groups(groups=groups, cycle=cycle)
        for group in groups:
            if not cases[group.pk] and not plan_held:
                steps.append((f"{group.name}：上传典型案例", "assessment:cases"))
    context = {"groups": groups, "steps": steps, "cycle": cycle, "plan_held": plan_held}
    if cycle and groups:
        stats = groups_hours_stats(groups=groups, cycle=cycle)
        rows = [(g.name, stats[g.pk]) for g in groups]
        context.update(progress=rows, progress_chart=hours_progress_chart(rows))
    # A leader who also teaches sees their own tasks here, without switching.
    if request.access.has(Role.TEACHER):
        context["own"] = _teacher_tasks(request, cycle)
    return context


def _teacher_tasks(request, cycle) -> dict:
    """A teacher's own tasks: their last day and what they still lack, the
    next step, the activities open to them (two queries)."""
    lacks = teacher_lacks(teacher=request.user, cycle=cycle) if cycle else None
    progress = lacks.progress if lacks else None
    board = teacher_board(user=request.user, cycle=cycle)
    steps = []
    step = progress and progress.next_step
    if step is not None and step.key != "hours":  # hours: the activities step below
        steps.append((f"下一步：{step.label}（{step.figure}）", step.url_name))
    # At 25 counted hours more activities add nothing to the review.
    if board.open and not (progress and progress.totals.complete):
        steps.append((f"参加 {len(board.open)} 个开放中的研修活动", "activities:mine"))
    return {
        "lacks": lacks,
        "path": progress,
        "totals": progress.totals if progress else None,
        "board": board,
        "steps": steps,
    }


def _teacher(request, grant: Grant) -> dict:
    cycle = cycle_current()
    own = _teacher_tasks(request, cycle)
    unread = unread_for(request)
    if unread:
        own["steps"].append((f"查看 {unread} 条未读消息", "accounts:inbox"))
    # The school, subject and stage come with the role grants (no query of their own).
    return {"place": request.access.place, "cycle": cycle, **own}


def _district(request, grant: Grant) -> dict:
    """What waits for the district admin, and the district at a glance: schools
    by stage, the counted hours of every teacher, the passes (from the kept
    per-school figures: a read of the district's schools, never its teachers).
    The full list is the dashboard (看板)."""
    visible = schools_visible_to(grant)
    cycle = cycle_current()
    steps = []
    context = {"steps": steps, "cycle": cycle}
    if cycle is not None:
        summary, queued = stage_summary_complete(schools=visible, cycle=cycle)
        context.update(
            summary=summary,
            queued=queued,
            stages_chart=stages_chart(summary),
            histogram=hours_histogram_chart(summary.hours),
        )
        # 组建中 on the chart beside it: schools without a 教研组 yet.
        if forming := summary.counts.get(FORMING, 0):
            steps.append(
                (f"督促 {forming} 所尚未组建教研组的学校", "assessment:district_dashboard")
            )
    todo = district_to_do(schools=visible, region_id=grant.region_id, cycle=cycle)
    if todo.scheme is None or not todo.scheme.is_published:
        steps.append(("制定并发布整校推进验收方案", "assessment:scheme"))
    if todo.scored:
        steps.append(
            (f"{todo.scored} 所学校专家已评分，待确认验收结果", "assessment:district_acceptances")
        )
    if todo.without_experts:
        steps.append(
            (
                f"{todo.without_experts} 所学校已提交验收，尚未分配考核专家",
                "assessment:district_acceptances",
            )
        )
    return context


def _expert(request, grant: Grant) -> dict:
    """The expert's schools, those waiting for their scores first."""
    cycle = cycle_current()
    assignments, waiting = expert_home(expert=request.user, region_id=grant.region_id, cycle=cycle)
    steps = [(f"为 {waiting} 所学校评分", "assessment:expert_schools")] if waiting else []
    return {"steps": steps, "page": assignments, "cycle": cycle}


def _operator(request, grant: Grant) -> dict:
    cycle = cycle_current()
    steps = []
    if cycle is None or not cycle.is_open():
        steps.append(("设置当前的研修周期", "admin:accounts_cycle_changelist"))
    return {"school_total": School.objects.count(), "cycle": cycle, "steps": steps}


HOME_PAGES = {
    Role.OPERATOR: ("home/operator.html", _operator),
    Role.DISTRICT_ADMIN: ("home/district_admin.html", _district),
    Role.EXPERT: ("home/expert.html", _expert),
    Role.SCHOOL_ADMIN: ("home/school_admin.html", _school_admin),
    Role.INFO_TEAM: ("home/info_team.html", _info_team),
    Role.LEADER: ("home/leader.html", _leader),
    Role.TEACHER: ("home/teacher.html", _teacher),
}
