"""Reads for topics and activities. Each costs a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    Subquery,
)
from django.utils import timezone

from accounts.compiled import CompiledModels
from groups.models import AbilityPoint, ResearchGroup, SchoolTheme

from .models import (
    Activity,
    Evidence,
    Like,
    ObservationQuestion,
    ObservationResponse,
    Participation,
    Post,
    Status,
    Submission,
    Topic,
)
from .selectors_extensions import activity_extension_subquery
from .window import activity_last_day, window_refusal


def group_activities(*, group: ResearchGroup):
    """The leader's list: every activity of the group with participation counts (1 query)."""
    return (
        Activity.objects.filter(group=group)
        .select_related("topic")
        .annotate(
            participant_count=Count("participations", distinct=True),
            completed_count=Count(
                "participations",
                filter=Q(participations__completed_at__isnull=False),
                distinct=True,
            ),
        )
        .order_by("-held_on", "-pk")
    )


def group_topics(*, group: ResearchGroup):
    """Topics with their points and activity counts (2 queries)."""
    return (
        Topic.objects.filter(group=group)
        .annotate(activity_count=Count("activities"))
        .prefetch_related("key_points")
        .order_by("-created_at")
    )


def activities_for_teacher(*, user, cycle) -> list[Activity]:
    """Published activities of the teacher's groups in `cycle`, each with the
    teacher's own participation state and extension (延期), if any (1 query).

    Published activities of the groups one belongs to is the member's branch
    of activities_visible_to, written out: the whole rule's OR of subqueries
    keeps the database from going by the group index. The groups are joined
    from the teacher's memberships (the teacher's few rows first, then each
    group's activities by index); as an IN subquery, a database without fresh
    statistics went through the whole cycle's activities of every school
    instead (issue 15: 150 ms at 300 schools). The participation is one LEFT
    JOIN (at most one row per teacher and activity); every row's cycle is
    `cycle`, so it is not joined again. Compiled once per process: building
    the query cost three times what running it does."""
    activities = _TEACHERS_ACTIVITIES.all(user=user.pk, cycle=cycle.pk)
    for activity in activities:
        activity.cycle = cycle
    return activities


def _teachers_activities(*, user: int, cycle: int):
    mine = FilteredRelation("participations", condition=Q(participations__user=user))
    return (
        Activity.objects.filter(group__members__user=user, cycle=cycle)
        .exclude(status=Status.DRAFT)
        .select_related("group")
        .annotate(
            mine=mine,
            joined_at=F("mine__joined_at"),
            completed_at=F("mine__completed_at"),
            designated=ExpressionWrapper(
                Q(mine__designated_by__isnull=False), output_field=BooleanField()
            ),
            extended_until=activity_extension_subquery(teacher=user),
        )
        .order_by("-held_on", "-pk")
    )


_TEACHERS_ACTIVITIES = CompiledModels(_teachers_activities, "user", "cycle")


@dataclass
class TeacherBoard:
    open: list = field(default_factory=list)  # can be done online now
    remaining: list = field(default_factory=list)  # not open yet; offline waiting for evidence
    done: list = field(default_factory=list)
    missed: list = field(default_factory=list)  # ended without being done


def teacher_board(*, user, cycle) -> TeacherBoard:
    """The teacher's activities of `cycle` (the current one on their pages: a
    board that took in every cycle would grow with the years) in four lists,
    each with `last_day`: the day it closes for this teacher (later with an
    extension), which the cards count down to; the open ones by that day,
    soonest first. Hours are not summed here: the ledger (hours app) is the
    only place that computes them. One query; none without a cycle."""
    today = timezone.localdate()
    board = TeacherBoard()
    if cycle is None:
        return board
    for activity in activities_for_teacher(user=user, cycle=cycle):
        extended = activity.extended_until
        activity.last_day = activity_last_day(activity=activity, teacher=user, extended=extended)
        refusal = window_refusal(activity=activity, teacher=user, today=today, extended=extended)
        ended = refusal is not None and today >= activity.opens_on
        if activity.completed_at:
            board.done.append(activity)
        elif activity.kind == Activity.Kind.OFFLINE:
            if activity.designated:
                # Evidence may come after the open period; closing or the
                # cycle's end stops it.
                late = window_refusal(
                    activity=activity, teacher=user, today=today, by_leader=True, extended=extended
                )
                if late:
                    board.missed.append(activity)
                else:
                    board.remaining.append(activity)
        elif refusal is None:
            board.open.append(activity)
        elif ended:
            board.missed.append(activity)
        else:
            board.remaining.append(activity)
    # What closes first comes first: the home page shows the first three.
    board.open.sort(key=lambda a: a.last_day)
    return board


def _posts(*, activity: int, user: int):
    return (
        Post.objects.filter(activity=activity)
        .select_related("author")
        .annotate(liked=Exists(Like.objects.filter(post=OuterRef("pk"), user=user)))
        .order_by("created_at", "pk")
    )


# Every discussion page reads them: compiled once per process (accounts.compiled).
_POSTS = CompiledModels(_posts, "activity", "user")


def discussion_posts(*, activity: Activity, user) -> list[Post]:
    """Posts with author and whether `user` liked each (1 query)."""
    return _POSTS.all(activity=activity.pk, user=user.pk)


def participation_of(*, activity: Activity, user) -> Participation | None:
    return _PARTICIPATION.get(activity=activity.pk, user=user.pk)


# Every member action reads it: compiled once per process (accounts.compiled).
_PARTICIPATION = CompiledModels(
    lambda activity, user: Participation.objects.filter(activity_id=activity, user_id=user),
    "activity",
    "user",
)


def activity_participants(*, activity: Activity | int):
    return (
        Participation.objects.filter(activity=activity)
        .select_related("user")
        .order_by("user__real_name", "pk")
    )


def activity_participants_read(*, activity: Activity) -> list[Participation]:
    """activity_participants, read: the same rows, without building the query each time."""
    return _PARTICIPANTS.all(activity=activity.pk)


def members_to_designate(*, activity: Activity):
    """Members of the activity's group not yet designated for it (designation
    adds participants; those already in stay)."""
    from accounts.models import User

    return (
        User.objects.filter(group_memberships__group_id=activity.group_id)
        .exclude(participations__activity=activity)
        .order_by("real_name", "pk")
    )


def homework_submissions(*, activity: Activity):
    return (
        Submission.objects.filter(activity=activity)
        .select_related("user")
        .prefetch_related("files")
        .order_by("user__real_name", "pk")
    )


def submission_of(*, activity: Activity, user) -> Submission | None:
    return Submission.objects.filter(activity=activity, user=user).prefetch_related("files").first()


def activity_has_completions(*, activity: Activity) -> bool:
    """Has anyone completed it? Then its hours can no longer change. One query."""
    return activity.participations.filter(completed_at__isnull=False).exists()


def activity_date_locked(*, activity: Activity) -> bool:
    """Once evidence stands or anyone completed it, its date (held_on) stays:
    evidence proves the activity happened on that day, and moving the date
    would get around "no evidence before the activity's date" (attack report 1
    §3). Two queries at most."""
    return Evidence.objects.filter(
        activity=activity, withdrawn_at__isnull=True
    ).exists() or activity_has_completions(activity=activity)


def observation_questions(*, activity: Activity) -> list[ObservationQuestion]:
    """The form's questions in order, each with the form (its header) joined."""
    return _QUESTIONS.all(activity=activity.pk)


def observation_response_of(*, activity: Activity, user) -> ObservationResponse | None:
    return _RESPONSE.get(activity=activity.pk, user=user.pk)


# Every 听课评课 page reads both: compiled once per process (accounts.compiled).
_QUESTIONS = CompiledModels(
    lambda activity: (
        ObservationQuestion.objects.filter(form__activity=activity)
        .select_related("form")
        .order_by("position", "pk")
    ),
    "activity",
)
_RESPONSE = CompiledModels(
    lambda activity, user: ObservationResponse.objects.filter(activity=activity, user=user),
    "activity",
    "user",
)


def observation_response_count(*, activity: Activity) -> int:
    return ObservationResponse.objects.filter(activity=activity).count()


@dataclass
class ObservationSummary:
    responses: list
    questions: list
    rows: list  # per response: (response, [answer per question])
    averages: dict  # question pk -> average score
    choice_counts: dict  # question pk -> {choice: n}
    average_total: float | None
    spreads: dict = field(default_factory=dict)  # question pk -> (lowest, highest) score

    @property
    def per_question(self) -> list:
        return [(q, self.averages.get(q.pk), self.choice_counts.get(q.pk)) for q in self.questions]

    @property
    def question_rows(self) -> list[tuple]:
        """[(question, average, (lowest, highest) or None, {choice: n} or None)]."""
        return [
            (q, self.averages.get(q.pk), self.spreads.get(q.pk), self.choice_counts.get(q.pk))
            for q in self.questions
        ]

    @property
    def score_questions(self) -> list[tuple]:
        """[(question, average, lowest, highest)] for the scored questions that
        have answers, in form order: the bars of the results page."""
        return [
            (q, self.averages[q.pk], *self.spreads[q.pk])
            for q in self.questions
            if q.kind == ObservationQuestion.Kind.SCORE and q.pk in self.averages
        ]

    @property
    def choice_questions(self) -> list[tuple]:
        """[(question, {choice: n})] for the single-choice questions."""
        return [(q, self.choice_counts[q.pk]) for q in self.questions if q.pk in self.choice_counts]


def observation_summary(*, activity: Activity) -> ObservationSummary:
    """Every response with its answers in form order, and per question the
    average and the lowest and highest score (or how often each choice was
    made). Two queries (questions, responses with their authors)."""
    questions = observation_questions(activity=activity)
    responses = list(
        ObservationResponse.objects.filter(activity=activity)
        .select_related("user")
        .order_by("submitted_at")
    )
    scores = defaultdict(list)
    choice_counts = {q.pk: {c: 0 for c in q.choices} for q in questions if q.choices}
    rows = []
    for r in responses:
        rows.append((r, [r.answers.get(str(q.pk), "") for q in questions]))
        for q in questions:
            value = r.answers.get(str(q.pk))
            if value in (None, ""):
                continue
            if q.kind == ObservationQuestion.Kind.SCORE:
                scores[q.pk].append(int(value))
            elif q.kind == ObservationQuestion.Kind.CHOICE and value in choice_counts[q.pk]:
                choice_counts[q.pk][value] += 1
    averages = {pk: round(sum(v) / len(v), 1) for pk, v in scores.items()}
    spreads = {pk: (min(v), max(v)) for pk, v in scores.items()}
    average_total = (
        round(sum(r.total_score for r in responses) / len(responses), 1) if responses else None
    )
    return ObservationSummary(
        responses, questions, rows, averages, choice_counts, average_total, spreads
    )


def evidence_would_credit(*, activity: Activity) -> int:
    """How many designated members the next evidence would complete (and credit):
    all those still waiting when there is no evidence yet, else none (they were
    completed with the first). Two queries."""
    if Evidence.objects.filter(activity=activity, withdrawn_at__isnull=True).exists():
        return 0
    return Participation.objects.filter(activity=activity, completed_at__isnull=True).count()


def evidence_of(*, activity: Activity) -> list[Evidence]:
    return _EVIDENCE.all(activity=activity.pk)


# Every 线下活动 page reads both: compiled once per process (accounts.compiled).
_PARTICIPANTS = CompiledModels(
    lambda activity: activity_participants(activity=activity), "activity"
)
_EVIDENCE = CompiledModels(
    lambda activity: (
        Evidence.objects.filter(activity=activity)
        .select_related("uploaded_by")
        .order_by("withdrawn_at", "uploaded_at", "pk")
    ),
    "activity",
)


# Coverage (DESIGN §2): all four types used; every key point covered.


@dataclass
class Coverage:
    group: ResearchGroup
    points: list  # [(point, {kind: n}, total)]
    kind_totals: dict  # kind -> n
    missing_kinds: list  # labels
    missing_points: list  # points


def _coverage_counts(*, group_ids, cycle):
    """{group_id: {(point_id, kind): n}} and {group_id: {kind: n}} in two queries."""
    published = Activity.objects.filter(group_id__in=group_ids, cycle=cycle).exclude(
        status=Status.DRAFT
    )
    by_point = defaultdict(dict)
    for row in published.values("group_id", "topic__key_points", "kind").annotate(
        n=Count("pk", distinct=True)
    ):
        by_point[row["group_id"]][(row["topic__key_points"], row["kind"])] = row["n"]
    by_kind = defaultdict(dict)
    for row in published.values("group_id", "kind").annotate(n=Count("pk")):
        by_kind[row["group_id"]][row["kind"]] = row["n"]
    return by_point, by_kind


def coverage_for_groups(*, groups, school_id: int, cycle) -> list[Coverage]:
    """The coverage board of each group: a fixed number of queries for any number
    of groups, points and activities (the key points, two counts)."""
    groups = list(groups)
    points = list(school_key_points(school_id=school_id, cycle=cycle))
    by_point, by_kind = _coverage_counts(group_ids=[g.pk for g in groups], cycle=cycle)
    kinds = Activity.Kind
    boards = []
    for group in groups:
        cells = by_point.get(group.pk, {})
        rows = []
        for point in points:
            counts = {k: cells.get((point.pk, k), 0) for k in kinds.values}
            rows.append((point, counts, sum(counts.values())))
        totals = {k: by_kind.get(group.pk, {}).get(k, 0) for k in kinds.values}
        boards.append(
            Coverage(
                group=group,
                points=rows,
                kind_totals=totals,
                missing_kinds=[kinds(k).label for k, n in totals.items() if n == 0],
                missing_points=[p for p, _, total in rows if total == 0],
            )
        )
    return boards


def school_groups(*, school_id: int):
    return ResearchGroup.objects.filter(school_id=school_id, archived_at__isnull=True).order_by(
        "name"
    )


def school_key_points(*, school_id: int, cycle):
    """The key ability points of the school's theme for `cycle` (1 query; none
    without a theme). Topics must aim at these; coverage is measured on them."""
    return AbilityPoint.objects.filter(
        pk__in=SchoolTheme.objects.filter(school_id=school_id, cycle=cycle).values("key_points")
    ).order_by("sort_key", "code")


# 组长本人学时确认 (DESIGN §2: nobody credits themselves unseen) --------------------


@dataclass
class ClaimRow:
    claim: object  # hours.HoursClaim
    activity: Activity | None
    evidence: list = field(default_factory=list)  # live evidence of an offline activity
    submission: Submission | None = None
    posts: list = field(default_factory=list)
    response: ObservationResponse | None = None


def claims_with_work(*, claims) -> list[ClaimRow]:
    """Each claim with the activity it comes from and what proves it: evidence,
    the leader's homework, posts or observation form. A fixed number of queries
    (claims, activities, evidence, submissions + files, posts, responses)."""
    from django.contrib.contenttypes.models import ContentType

    claims = list(claims)
    ct = ContentType.objects.get_for_model(Activity)
    ids = {c.object_id for c in claims if c.content_type_id == ct.pk}
    activities = Activity.objects.select_related("group", "topic").in_bulk(ids)
    pairs = {(c.object_id, c.teacher_id) for c in claims}
    teachers = {t for _, t in pairs}
    evidence = defaultdict(list)
    for e in Evidence.objects.filter(activity_id__in=ids, withdrawn_at__isnull=True):
        evidence[e.activity_id].append(e)
    subs = {
        (x.activity_id, x.user_id): x
        for x in Submission.objects.filter(
            activity_id__in=ids, user_id__in=teachers
        ).prefetch_related("files")
    }
    posts = defaultdict(list)
    for p in Post.objects.filter(activity_id__in=ids, author_id__in=teachers):
        posts[(p.activity_id, p.author_id)].append(p)
    responses = {
        (r.activity_id, r.user_id): r
        for r in ObservationResponse.objects.filter(activity_id__in=ids, user_id__in=teachers)
    }
    rows = []
    for c in claims:
        key = (c.object_id, c.teacher_id)
        rows.append(
            ClaimRow(
                claim=c,
                activity=activities.get(c.object_id) if c.content_type_id == ct.pk else None,
                evidence=evidence.get(c.object_id, []),
                submission=subs.get(key),
                posts=posts.get(key, []),
                response=responses.get(key),
            )
        )
    return rows


def offline_waiting_evidence(*, groups, today=None):
    """Offline activities of the given groups that took place (before today)
    and still have no evidence: nobody designated is credited until the
    leader uploads some (the leader's home lists them). One query."""
    today = today or timezone.localdate()
    live = Evidence.objects.filter(activity=OuterRef("pk"), withdrawn_at__isnull=True)
    return (
        Activity.objects.filter(
            group__in=list(groups),
            kind=Activity.Kind.OFFLINE,
            status=Status.PUBLISHED,
            held_on__lt=today,
        )
        .exclude(Exists(live))
        .select_related("group")
        .order_by("held_on", "pk")
    )


def with_open_not_done(
    qs, *, today=None, group_field: str = "group_id", user_field: str = "user_id"
):
    """Annotate rows naming a group member (GroupMember rows) with
    `open_not_done`: how many online activities of that group are open today
    and not completed by them — per member, what is still to do in the group.
    A subquery: still one query for the list."""
    from django.db.models.functions import Coalesce

    today = today or timezone.localdate()
    done = Participation.objects.filter(
        activity=OuterRef("pk"), user_id=OuterRef(OuterRef(user_field)), completed_at__isnull=False
    )
    open_here = (
        Activity.objects.filter(
            group_id=OuterRef(group_field),
            status=Status.PUBLISHED,
            opens_on__lte=today,
            closes_on__gte=today,
        )
        .exclude(kind=Activity.Kind.OFFLINE)
        .exclude(Exists(done))
        .order_by()
        .values("group_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return qs.annotate(open_not_done=Coalesce(Subquery(open_here), 0))
