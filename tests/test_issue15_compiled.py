"""Reads compiled once per process (accounts.compiled): they answer what the
ORM would, each call reads the tables afresh, and they refuse what would make
a compiled query go stale (a date among its parameters, an id it never uses)."""

import datetime

import pytest
from django.db.models import Count, Q
from django.http import Http404

from accounts.compiled import CompiledAggregate, CompiledModels, CompiledRead
from accounts.models import Cycle, School, SchoolMembership, User
from accounts.roles import Role
from activities.models import Activity, Extension
from assessment.selectors import lacking_counts, review_counts, teacher_lacks, with_lacks
from assessment.selectors.lacking import lacks_of, review_and_lacking_counts

from . import factories as f
from . import factories_activities as fa
from . import world as w

pytestmark = pytest.mark.django_db


def test_a_teachers_figures_are_what_the_orm_reads(cast):
    orm = with_lacks(User.objects.filter(pk=cast.teacher.pk), cycle=cast.cycle, user_field="pk")
    assert teacher_lacks(teacher=cast.teacher, cycle=cast.cycle) == lacks_of(
        orm.get(), cycle=cast.cycle
    )


def test_the_schools_counts_are_what_the_orm_counts(cast):
    review, lacks = review_and_lacking_counts(school_id=cast.school.pk, cycle=cast.cycle)
    assert review == review_counts(school_id=cast.school.pk, cycle=cast.cycle)
    assert lacks == lacking_counts(school_id=cast.school.pk, cycle=cast.cycle)
    f.teacher(cast.school, "新来的老师")  # read afresh: nothing kept between calls
    review, lacks = review_and_lacking_counts(school_id=cast.school.pk, cycle=cast.cycle)
    assert review.total == lacks.total == 4


def test_a_compiled_read_reads_afresh_with_each_id(cast):
    places = CompiledRead(
        lambda school: SchoolMembership.objects.filter(school_id=school).values("user_id"),
        "school",
    )
    assert len(places.rows(school=cast.school.pk)) == 4
    assert len(places.rows(school=cast.other_school.pk)) == 1
    f.teacher(cast.other_school, "又一位外校老师")
    assert len(places.rows(school=cast.other_school.pk)) == 2


def test_a_compiled_read_converts_values_as_django_reads_them(cast):
    cycles = CompiledRead(lambda cycle: Cycle.objects.filter(pk=cycle).values("ends_on"), "cycle")
    assert cycles.rows(cycle=cast.cycle.pk) == [{"ends_on": cast.cycle.ends_on}]
    assert isinstance(cycles.rows(cycle=cast.cycle.pk)[0]["ends_on"], datetime.date)


def test_a_compiled_aggregate_counts_by_name(cast):
    counts = CompiledAggregate(
        lambda school: (
            SchoolMembership.objects.filter(school_id=school),
            {"all": Count("pk"), "teaching": Count("pk", filter=Q(is_teacher=True))},
        ),
        "school",
    )
    assert counts.rows(school=cast.school.pk) == [{"all": 4, "teaching": 3}]


def test_a_compiled_read_refuses_a_date_it_would_keep(cast):
    today = datetime.date.today()
    stale = CompiledRead(
        lambda cycle: Cycle.objects.filter(pk=cycle, ends_on__gte=today).values("pk"), "cycle"
    )
    with pytest.raises(ValueError, match="only by ids"):
        stale.rows(cycle=cast.cycle.pk)


def test_a_compiled_read_refuses_an_id_it_does_not_use(cast):
    careless = CompiledRead(lambda school, cycle: Cycle.objects.values("pk"), "school", "cycle")
    with pytest.raises(ValueError, match="does not use"):
        careless.rows(school=cast.school.pk, cycle=cast.cycle.pk)


# ---- the activity reads (activities.access), compiled ------------------------------


def _as_read(activity) -> dict | None:
    """What a read gave: the activity's columns and annotations, and the rows
    it joined (topic, group and its school, cycle), each as its attributes."""
    if activity is None:
        return None
    joined = activity._state.fields_cache
    return {
        "activity": _attributes(activity),
        **{name: _attributes(joined[name]) for name in ("topic", "group", "cycle")},
        "school": _attributes(joined["group"]._state.fields_cache["school"]),
    }


def _attributes(instance, *besides: str) -> dict:
    return {k: v for k, v in vars(instance).items() if not k.startswith("_") and k not in besides}


def test_the_activity_reads_answer_what_the_orm_answers_for_everyone(cast):
    """Every person of the world against every activity (drafts too): the
    compiled reads find the same activity with the same joined rows and the
    same figures about the person, or nothing where the ORM finds nothing."""
    from activities import access

    world = w.build(cast)
    s = world.s
    draft = fa.activity(s, "discussion", publish=False)
    Extension.objects.create(
        scope="activity",
        activity=world.objects["discussion"],
        teacher=s.member,
        school=cast.school,
        cycle=cast.cycle,
        until=cast.cycle.ends_on,
        granted_by=s.leader,
        reason="病假",
    )
    people = {*world.pure_here.values(), *world.pure_there.values(), world.nobody}
    people |= {s.leader, s.member, s.member2, s.other_leader, cast.outsider}
    people.discard(world.pure_here[Role.OPERATOR])  # the operator reads through the ORM
    seen = 0
    for user in people:
        for activity in Activity.objects.all():
            orm_page = access._with_mine(
                access.activities_visible_to(user), user=user.pk, activity=activity.pk
            ).first()
            orm = access.activities_visible_to(user).filter(pk=activity.pk).first()
            assert _as_read(access._ACTIVITY_PAGE.get(user=user.pk, activity=activity.pk)) == (
                _as_read(orm_page)
            ), (user, activity)
            assert _as_read(access._ACTIVITY.get(user=user.pk, activity=activity.pk)) == (
                _as_read(orm)
            ), (user, activity)
            orm_member = access._with_member(
                access.activities_visible_to(user), user=user.pk, activity=activity.pk
            ).first()
            member = access._ACTIVITY_MEMBER.get(user=user.pk, activity=activity.pk)
            assert _as_read(member) == _as_read(orm_member), (user, activity)
            seen += orm is not None
    assert seen > 10  # the comparison saw activities found, not only 404s
    page = access.get_activity_page_for(s.member, world.objects["discussion"].pk)
    assert page.my_member and page.my_extension == cast.cycle.ends_on
    assert page.my_participation.joined_at is not None
    for outsider in (cast.outsider, s.other_leader):
        with pytest.raises(Http404):
            access.get_activity_for(outsider, draft.pk)
    assert access.get_activity_for(s.leader, draft.pk) == draft  # the leader sees drafts


def test_an_activity_id_beyond_any_row_is_missing(cast, as_user):
    """Not an error: the same 404 as any id that names nothing."""
    s = fa.group_setup(cast)
    client = as_user(s.member)
    for url in ("/activities/99999999999999999999/", "/activities/9223372036854775808/"):
        assert client.get(url).status_code == 404


def test_a_compiled_get_refuses_what_one_query_cannot_read(cast):
    fa.group_setup(cast)
    prefetching = CompiledModels(
        lambda school: School.objects.filter(pk=school).prefetch_related("memberships"), "school"
    )
    with pytest.raises(ValueError, match="cannot prefetch"):
        prefetching.get(school=cast.school.pk)
    several = CompiledModels(
        lambda school: SchoolMembership.objects.filter(school=school), "school"
    )
    with pytest.raises(ValueError, match="more than one"):
        several.get(school=cast.school.pk)


def test_a_teachers_ledger_rows_are_what_the_orm_reads(cast):
    """我的学时's rows (hours.selectors.hours_entries, compiled): a credit standing,
    a credit reversed (with who reversed it), each with its ability points."""
    from groups.models import AbilityPoint
    from hours.models import HoursEntry
    from hours.selectors import hours_entries
    from hours.services import hours_credit, hours_reverse

    s = fa.group_setup(cast)
    points = list(AbilityPoint.objects.order_by("pk")[:2])
    kept, taken_back = fa.activity(s, "discussion"), fa.activity(s, "homework")
    for source in (kept, taken_back):
        hours_credit(
            teacher=cast.teacher,
            cycle=cast.cycle,
            school=cast.school,
            source=source,
            hours=2,
            category="教学研讨",
            ability_points=points,
            by=s.leader,
        )
    hours_reverse(teacher=cast.teacher, source=taken_back, reason="撤回", by=s.leader)
    orm = list(
        HoursEntry.objects.filter(teacher=cast.teacher, cycle=cast.cycle)
        .select_related("reversed_by__by", "by")
        .prefetch_related("ability_points")
        .order_by("at", "pk")
    )
    compiled = hours_entries(teacher=cast.teacher, cycle=cast.cycle)
    assert [_attributes(e, "points") for e in compiled] == [_attributes(e) for e in orm]
    assert len(compiled) == 3  # two credits, one reversal
    credit = next(e for e in compiled if e.object_id == taken_back.pk and e.kind == "credit")
    assert credit.reversed_by.by == s.leader and credit.reversed_by.reason == "撤回"
    assert [e.points for e in compiled] == [list(e.ability_points.all()) for e in orm]
    assert compiled[0].points == points and compiled[-1].points == []  # the reversal has none


def test_a_teachers_groups_are_what_the_orm_reads(cast):
    """The home card and 我的教研组 (groups.selectors.groups_of_user_read,
    compiled): led and joined groups alike, member counts, no archived group,
    read afresh."""
    from django.utils import timezone

    from groups.models import GroupMember, ResearchGroup
    from groups.selectors import groups_of_user, groups_of_user_read

    s = fa.group_setup(cast)
    old = ResearchGroup.objects.create(school=cast.school, name="旧组", leader=s.leader)
    old.archived_at = timezone.now()
    old.save()
    for user in (s.leader, s.member, s.other_leader, cast.outsider):
        for school in (cast.school, cast.other_school):
            orm = list(groups_of_user(user=user, school_id=school.pk))
            read = groups_of_user_read(user=user, school_id=school.pk)
            assert [(_attributes(g), _attributes(g.leader)) for g in read] == [
                (_attributes(g), _attributes(g.leader)) for g in orm
            ]
    assert [
        g.member_count for g in groups_of_user_read(user=s.member, school_id=cast.school.pk)
    ] == [3]
    GroupMember.objects.create(group=s.other_group, user=s.member)
    mine = groups_of_user_read(user=s.member, school_id=cast.school.pk)
    assert [(g.name, g.member_count) for g in mine] == [("数学组", 2), ("语文组", 3)]


def test_a_teachers_waiting_claims_are_what_the_orm_reads(cast):
    """我的学时's claims (hours.selectors.hours_claims_of, compiled): the leader's
    own work waiting for the school admin; nobody else's."""
    from hours.selectors import hours_claims_of, hours_claims_pending

    world = w.build(cast)
    for user in (world.s.leader, world.s.member, cast.outsider):
        orm = list(hours_claims_pending(teacher=user).filter(cycle=cast.cycle))
        assert [_attributes(c) for c in hours_claims_of(teacher=user, cycle=cast.cycle)] == [
            _attributes(c) for c in orm
        ]
    assert len(hours_claims_of(teacher=world.s.leader, cycle=cast.cycle)) == 1


def test_a_schools_groups_and_teachers_without_one_are_what_the_orm_reads(cast):
    """The school homes' group progress (groups.selectors.group_progress, its
    two reads compiled): live groups with leaders and member counts, the
    teachers in no live group and how many they are."""
    from django.db.models import Window
    from django.utils import timezone

    from groups.models import ResearchGroup
    from groups.selectors import group_progress, groups_of_school, teachers_without_group

    s = fa.group_setup(cast)
    ResearchGroup.objects.create(
        school=cast.school, name="旧组", leader=s.leader, archived_at=timezone.now()
    )
    for school in (cast.school, cast.other_school):
        progress = group_progress(school_id=school.pk)
        orm_groups = list(groups_of_school(school_id=school.pk))
        assert [(_attributes(g), _attributes(g.leader)) for g in progress.groups] == [
            (_attributes(g), _attributes(g.leader)) for g in orm_groups
        ]
        orm_without = list(
            teachers_without_group(school_id=school.pk).annotate(without_total=Window(Count("pk")))[
                :50
            ]
        )
        assert [(_attributes(m), _attributes(m.user)) for m in progress.without_group] == [
            (_attributes(m), _attributes(m.user)) for m in orm_without
        ]
    progress = group_progress(school_id=cast.school.pk)
    assert [g.name for g in progress.groups] == ["数学组", "语文组"]  # not the archived one
    assert [m.user for m in progress.without_group] == [cast.info_team]
    assert progress.not_joined == 1


def test_a_discussions_posts_are_what_the_orm_reads(cast):
    """The discussion page's posts (activities.selectors.discussion_posts,
    compiled): every post of that activity only, in order, with its author and
    whether the person reading liked it, read afresh."""
    from activities import selectors
    from activities.models import Post
    from activities.services import like_set

    world = w.build(cast)
    s = world.s
    discussion = world.objects["discussion"]
    Post.objects.create(activity=discussion, author=s.member2, body="第二条观点，写得足够长了。")
    other = fa.activity(s, "discussion")
    Post.objects.create(activity=other, author=s.member, body="别的研讨里的观点，不应出现。")
    for user in (s.leader, s.member, s.member2, cast.outsider):
        orm = list(selectors._posts(activity=discussion.pk, user=user.pk))
        read = selectors.discussion_posts(activity=discussion, user=user)
        assert [(_attributes(p), _attributes(p.author)) for p in read] == [
            (_attributes(p), _attributes(p.author)) for p in orm
        ]
    mine = selectors.discussion_posts(activity=discussion, user=s.member)
    assert len(mine) == 2 and not any(p.liked for p in mine)
    like_set(post=mine[1], user=s.member, liked=True)
    again = selectors.discussion_posts(activity=discussion, user=s.member)
    assert [p.liked for p in again] == [False, True]
    assert again[1].like_count == 1


def test_an_observation_pages_reads_are_what_the_orm_reads(cast):
    """听课评课 (activities.selectors and selectors_moments, compiled): the
    form's questions with its header, the person's own response, and the
    moments' comments as each person may read them (all, or their own and how
    many others wrote), read afresh."""
    from activities import selectors, selectors_moments
    from activities.models import ObservationQuestion, ObservationResponse, VideoComment

    world = w.build(cast)
    s = world.s
    lesson = world.objects["observation"]
    other = fa.activity(s, "observation")
    for user, second in ((s.member, 30), (s.member2, 5), (s.leader, 70), (s.member, 90)):
        VideoComment.objects.create(activity=lesson, author=user, second=second, body="这里不错")
    VideoComment.objects.create(activity=other, author=s.member, second=1, body="别的课")
    orm_questions = list(
        ObservationQuestion.objects.filter(form__activity=lesson)
        .select_related("form")
        .order_by("position", "pk")
    )
    read = selectors.observation_questions(activity=lesson)
    assert [(_attributes(q), _attributes(q.form)) for q in read] == [
        (_attributes(q), _attributes(q.form)) for q in orm_questions
    ]
    assert any(q.choices for q in read)  # the JSON column read as Django reads it
    for user in (s.leader, s.member, s.member2, cast.outsider):
        orm = ObservationResponse.objects.filter(activity=lesson, user=user).first()
        mine = selectors.observation_response_of(activity=lesson, user=user)
        assert _attributes(mine) == _attributes(orm) if orm else mine is None
        for seen in (True, False):
            board = selectors_moments.video_comments_for(
                activity=lesson, user=user, leader=seen, answered=False
            )
            orm_board = selectors_moments._comments(lesson)
            if not seen:
                orm_board = orm_board.filter(author=user)
            assert [(_attributes(c), _attributes(c.author)) for c in board.comments] == [
                (_attributes(c), _attributes(c.author)) for c in orm_board
            ]
            others = VideoComment.objects.filter(activity=lesson).exclude(author=user).count()
            assert board.hidden == (0 if seen else others)
    assert (
        selectors_moments.video_comments_for(
            activity=lesson, user=s.member, leader=False, answered=False
        ).hidden
        == 2
    )


def test_an_offline_pages_reads_are_what_the_orm_reads(cast):
    """线下活动 (compiled): its evidence (withdrawn last) with who uploaded it,
    the designated members by name, and the person's own check-in."""
    from activities import selectors, selectors_checkin
    from activities.models import CheckIn, Evidence

    world = w.build(cast)
    s = world.s
    offline = world.objects["offline"]
    for user in (s.leader, s.member, cast.outsider):
        orm = CheckIn.objects.filter(activity=offline, user=user).first()
        mine = selectors_checkin.checkin_of(activity=offline, user=user)
        assert (_attributes(mine) == _attributes(orm)) if orm else mine is None
    orm_evidence = list(
        Evidence.objects.filter(activity=offline)
        .select_related("uploaded_by")
        .order_by("withdrawn_at", "uploaded_at", "pk")
    )
    assert orm_evidence  # the world's offline activity has evidence
    read = selectors.evidence_of(activity=offline)
    assert [(_attributes(e), _attributes(e.uploaded_by)) for e in read] == [
        (_attributes(e), _attributes(e.uploaded_by)) for e in orm_evidence
    ]
    orm_people = list(selectors.activity_participants(activity=offline))
    assert orm_people
    people = selectors.activity_participants_read(activity=offline)
    assert [(_attributes(p), _attributes(p.user)) for p in people] == [
        (_attributes(p), _attributes(p.user)) for p in orm_people
    ]


def test_a_schools_setup_is_what_the_orm_reads(cast):
    """The school's home (groups.selectors.school_setup, compiled): the
    cycle's theme with its key points in the catalogue's order, and the plan;
    nothing for a school without them, and another cycle's never."""
    from groups.models import AbilityPoint, SchoolPlan, SchoolTheme
    from groups.selectors import school_plan_for, school_setup, theme_for

    points = list(AbilityPoint.objects.order_by("-code")[:3])
    theme = SchoolTheme.objects.create(school=cast.school, cycle=cast.cycle, title="微能力点")
    theme.key_points.set(points)
    SchoolPlan.objects.create(school=cast.school, cycle=cast.cycle)
    later = Cycle.objects.create(
        name="下一周期",
        starts_on=cast.cycle.ends_on + datetime.timedelta(days=1),
        ends_on=cast.cycle.ends_on + datetime.timedelta(days=365),
    )
    for school in (cast.school, cast.other_school):
        for cycle in (cast.cycle, later):
            setup = school_setup(school=school, cycle=cycle)
            orm_theme = theme_for(school=school, cycle=cycle)
            orm_plan = school_plan_for(school=school, cycle=cycle)
            assert (
                _attributes(setup.theme) == _attributes(orm_theme)
                if orm_theme
                else (setup.theme is None)
            )
            orm_points = list(orm_theme.key_points.all()) if orm_theme else []
            assert [_attributes(p) for p in setup.theme_points] == [
                _attributes(p) for p in orm_points
            ]
            assert (
                (_attributes(setup.plan), _attributes(setup.plan.cycle))
                == (_attributes(orm_plan), _attributes(orm_plan.cycle))
                if orm_plan
                else setup.plan is None
            )
    mine = school_setup(school=cast.school, cycle=cast.cycle)
    assert len(mine.theme_points) == 3 and mine.plan is not None


def test_what_a_school_published_reads_as_its_live_groups_do(cast):
    """The plan check's reads of the school (activities.consistency, compiled
    by school) give what the same reads of its live groups give: topics with
    their points in order, the months and kinds of activities; an archived
    group's and another school's never."""
    from django.utils import timezone

    from activities.consistency import _published
    from groups.models import ResearchGroup

    world = w.build(cast)
    s = world.s
    fa.activity(s, "homework")
    archived = ResearchGroup.objects.create(school=cast.school, name="旧组", leader=s.leader)
    old_topic = fa.activity(s, "discussion").topic
    old_topic.group = archived
    old_topic.save()
    archived.archived_at = timezone.now()
    archived.save()
    live = list(
        ResearchGroup.objects.filter(school=cast.school, archived_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    for school in (cast.school, cast.other_school):
        ids = live if school == cast.school else []
        read = _published(school_id=school.pk, cycle=cast.cycle)
        orm = _published(group_ids=ids, cycle=cast.cycle)
        assert read == orm
    mine = _published(school_id=cast.school.pk, cycle=cast.cycle)
    assert mine.topics and mine.kinds and archived.pk not in mine.topics
    assert any(t.points for ts in mine.topics.values() for t in ts)


def test_a_schools_list_reads_are_what_the_orm_reads(cast):
    """教师学时 and the homes (compiled): the live groups a filter offers,
    the school's 学时登记 batch with who started it, and its kept figures."""
    from django.utils import timezone

    from assessment.models import SchoolStats
    from assessment.services.stats import school_stats_read
    from groups.models import ResearchGroup
    from groups.selectors import groups_to_choose
    from hours.models import RegistrationBatch
    from hours.selectors import registration_batch

    s = fa.group_setup(cast)
    gone = ResearchGroup.objects.create(school=cast.school, name="旧组", leader=s.leader)
    gone.archived_at = timezone.now()
    gone.save()
    RegistrationBatch.objects.create(school=cast.school, cycle=cast.cycle, by=cast.school_admin)
    for school in (cast.school, cast.other_school):
        orm_groups = ResearchGroup.objects.filter(school=school, archived_at__isnull=True)
        assert [(g.pk, g.name) for g in groups_to_choose(school_id=school.pk)] == [
            (g.pk, g.name) for g in orm_groups.order_by("name", "pk")
        ]
        orm_batch = RegistrationBatch.objects.filter(school=school, cycle=cast.cycle).first()
        batch = registration_batch(school_id=school.pk, cycle=cast.cycle)
        assert (
            (_attributes(batch), _attributes(batch.by))
            == (_attributes(orm_batch), _attributes(orm_batch.by))
            if orm_batch
            else batch is None
        )
        kept = school_stats_read(school_id=school.pk, cycle=cast.cycle)  # made when missing
        assert _attributes(kept) == _attributes(
            SchoolStats.objects.get(school=school, cycle=cast.cycle)
        )
    assert registration_batch(school_id=cast.school.pk, cycle=cast.cycle).by == cast.school_admin


def test_the_plan_checks_reads_of_a_school_are_what_the_orm_reads(cast):
    """The plan check's other reads of the school (compiled): the 两案's points
    in the school's order, the theme's key points, and the live groups' plan
    points — an archived group's and another school's never."""
    from django.utils import timezone

    from activities.consistency import _PLAN_POINTS, _THEME_KEYS, _group_plan_points
    from groups.models import ResearchGroup, SchoolPlan, SchoolPlanPoint, SchoolTheme
    from groups.services import school_plan_save

    s = fa.group_setup(cast)
    a, b, c = s.points
    school_plan_save(
        school=cast.school,
        cycle=cast.cycle,
        fields={"theme": "多技术融合"},
        team=[],
        points=[{"point": p, "reason": "需求"} for p in (c, a)],
        schedule=[],
        by=cast.school_admin,
    )
    s.group.plan_points.set([b, a])
    s.other_group.plan_points.set([c])
    gone = ResearchGroup.objects.create(school=cast.school, name="旧组", leader=s.leader)
    gone.plan_points.set([a])
    gone.archived_at = timezone.now()
    gone.save()
    elsewhere = ResearchGroup.objects.create(school=cast.other_school, name="外校组")
    elsewhere.plan_points.set([b])
    plan = SchoolPlan.objects.get(school=cast.school, cycle=cast.cycle)
    orm_rows = SchoolPlanPoint.objects.filter(plan=plan).order_by("position", "pk")
    assert (
        [r.point for r in _PLAN_POINTS.all(plan=plan.pk)]
        == [r.point for r in orm_rows]
        == [
            c,
            a,
        ]
    )
    for school in (cast.school, cast.other_school):
        keys = {r["point"] for r in _THEME_KEYS.rows(school=school.pk, cycle=cast.cycle.pk)}
        orm_keys = SchoolTheme.key_points.through.objects.filter(
            schooltheme__school=school, schooltheme__cycle=cast.cycle
        ).values_list("abilitypoint_id", flat=True)
        assert keys == set(orm_keys)
        live = ResearchGroup.objects.filter(school=school, archived_at__isnull=True)
        assert _group_plan_points(school_id=school.pk) == _group_plan_points([g.pk for g in live])
    mine = _group_plan_points(school_id=cast.school.pk)
    assert set(mine) == {s.group.pk, s.other_group.pk} and len(mine[s.group.pk]) == 2


def test_a_school_read_by_id_is_what_the_orm_reads(cast):
    from accounts.selectors import school_of

    for school in (cast.school, cast.other_school):
        assert _attributes(school_of(school.pk)) == _attributes(School.objects.get(pk=school.pk))
    assert school_of(-1) is None


def test_a_leaders_count_of_members_lacking_is_what_their_list_holds(cast):
    """The leader's home counts members lacking something (compiled, counted
    as a FILTER): the same as the list the leader opens, for each leader, one
    who leads nothing, and after a member completes everything."""
    from assessment.selectors import members_lacking, members_lacking_count
    from assessment.services import evaluation_assess

    from . import factories_assessment as fm

    mats = fm.mats_setup(cast)
    fm.complete(cast, cast.teacher, mats.keys[:3])
    fm.give_hours(cast, cast.teacher2, 10)

    def both(user):
        listed = members_lacking(user=user, school_id=cast.school.pk, cycle=cast.cycle).count()
        counted = members_lacking_count(user=user, school_id=cast.school.pk, cycle=cast.cycle)
        assert counted == listed
        return counted

    assert both(mats.leader) == 2  # complete, but no evaluation yet: still lacking
    assert both(mats.maths_leader) == 1
    assert both(cast.teacher) == 0
    for point in mats.keys[:3]:
        evaluation = fm.submit_evaluation(cast, cast.teacher, point)
        evaluation_assess(evaluation=evaluation, by=cast.info_team, result="passed")
    assert both(mats.leader) == 1
