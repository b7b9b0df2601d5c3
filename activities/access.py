"""Who may see and do what with topics and activities.

`activities_visible_to(user)` is the one visibility rule; every get_* helper
builds on it: outside it → 404 (the same answer as "missing"), visible but not
allowed (a member trying a leader action) → 403.

Visible: everything in groups the user leads (drafts too); published
activities of groups the user belongs to; published activities of the school
the user administers or supports (学校管理员, 信息化管理团队); everything for the
platform operator.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.compiled import CompiledModels
from accounts.models import SchoolMembership
from accounts.roles import Role
from groups.models import GroupMember, ResearchGroup

from .models import Activity, Evidence, Participation, Post, Status, Topic
from .selectors_extensions import activity_extension_subquery

LEADER_ONLY = "只有本教研组的教研组长可以进行此操作。"
MEMBER_ONLY = "只有本教研组的组员可以参与此活动。"
ARCHIVED = "该教研组已归档，只能查看，不能再修改或参与。"


def _writable(group, write: bool) -> None:
    # An archived group is read-only (issue 8 §6): its pages still show, no
    # action goes through (the services refuse too).
    if write and group.archived_at is not None:
        raise PermissionDenied(ARCHIVED)


def _admin_school_ids(user):
    return (
        SchoolMembership.objects.active()
        .filter(user=user)
        .filter(Q(is_school_admin=True) | Q(is_info_team=True))
        .values("school_id")
    )


def groups_led_by(user):
    return ResearchGroup.objects.filter(leader=user, archived_at__isnull=True)


def groups_visible_to(user):
    if user.is_superuser:
        return ResearchGroup.objects.all()
    return ResearchGroup.objects.filter(
        Q(leader=user)
        | Q(pk__in=GroupMember.objects.filter(user=user).values("group_id"))
        | Q(school_id__in=_admin_school_ids(user))
    )


def _scope(user, *, group_field: str, status_field: str) -> Q:
    led = ResearchGroup.objects.filter(leader=user).values("pk")
    member_of = GroupMember.objects.filter(user=user).values("group_id")
    published = ~Q(**{status_field: Status.DRAFT})
    return Q(**{f"{group_field}__in": led}) | (
        published
        & (
            Q(**{f"{group_field}__in": member_of})
            | Q(**{f"{group_field}__school_id__in": _admin_school_ids(user)})
        )
    )


def activities_visible_to(user):
    if not user.is_authenticated:
        return Activity.objects.none()
    if user.is_superuser:
        return _activities()
    return _visible(user.pk)


def _activities():
    # The school too: a completion credits hours earned in it (the ledger's row).
    return Activity.objects.select_related("topic", "group__school", "cycle")


def _visible(user_id: int):
    """activities_visible_to for someone other than the operator, by id."""
    return _activities().filter(_scope(user_id, group_field="group", status_field="status"))


def topics_visible_to(user):
    qs = Topic.objects.select_related("group", "cycle")
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(_scope(user, group_field="group", status_field="status"))


def is_leader(user, group) -> bool:
    return group.leader_id == user.pk


def is_member(user, group) -> bool:
    return GroupMember.objects.filter(group=group, user=user).exists()


def get_group_for(user, group_id: int) -> ResearchGroup:
    return get_object_or_404(groups_visible_to(user).select_related("school"), pk=group_id)


def get_group_for_leader(user, group_id: int, *, write: bool = True) -> ResearchGroup:
    """A group the user leads; `write=False` for pages that only read."""
    group = get_group_for(user, group_id)
    if not is_leader(user, group):
        raise PermissionDenied(LEADER_ONLY)
    _writable(group, write)
    return group


def get_topic_for_leader(user, topic_id: int) -> Topic:
    topic = get_object_or_404(topics_visible_to(user), pk=topic_id)
    if not is_leader(user, topic.group):
        raise PermissionDenied(LEADER_ONLY)
    _writable(topic.group, True)
    return topic


def get_activity_for(user, activity_id: int) -> Activity:
    return _one(_ACTIVITY, user, activity_id, _by_pk)


def get_activity_page_for(user, activity_id: int) -> Activity:
    """get_activity_for, with what the activity's page asks about `user`, in
    the same query: `my_member` (in the activity's group), `my_participation`
    (a Participation or None) and `my_extension` (their latest 延期, or None)."""
    activity = _one(_ACTIVITY_PAGE, user, activity_id, _with_mine)
    values = {name: getattr(activity, f"my_{name}") for name in _PARTICIPATION_FIELDS}
    activity.my_participation = None
    if values["id"] is not None:
        activity.my_participation = Participation(activity=activity, user=user, **values)
    return activity


# A Participation's own columns, all of them (none left to load later).
_PARTICIPATION_FIELDS = ("id", "joined_at", "entered_at", "completed_at", "designated_by_id")


def _by_pk(qs, *, activity: int, **_):
    return qs.filter(pk=activity)


def _with_member(qs, *, user: int, activity: int):
    """`qs` narrowed to the activity `activity`, with `my_member`: is the person
    `user` in the activity's group."""
    return qs.annotate(
        my_member=Exists(GroupMember.objects.filter(group=OuterRef("group_id"), user=user))
    ).filter(pk=activity)


def _with_mine(qs, *, user: int, activity: int):
    """`qs` narrowed to the activity `activity`, with the page's my_* about the person `user`."""
    mine = FilteredRelation("participations", condition=Q(participations__user=user))
    return qs.annotate(
        my_member=Exists(GroupMember.objects.filter(group=OuterRef("group_id"), user=user)),
        mine=mine,
        **{f"my_{name}": F(f"mine__{name}") for name in _PARTICIPATION_FIELDS},
        my_extension=activity_extension_subquery(teacher=user),
    ).filter(pk=activity)


# Every activity page and action starts with one of these reads: compiled
# once per process (accounts.compiled), where building the visibility rule's
# query cost twice what running it does (issue 15). The operator, who sees
# everything, reads through the ORM.
_ACTIVITY = CompiledModels(
    lambda user, activity: _by_pk(_visible(user), activity=activity), "user", "activity"
)
_ACTIVITY_MEMBER = CompiledModels(
    lambda user, activity: _with_member(_visible(user), user=user, activity=activity),
    "user",
    "activity",
)
_ACTIVITY_PAGE = CompiledModels(
    lambda user, activity: _with_mine(_visible(user), user=user, activity=activity),
    "user",
    "activity",
)


# Beyond any row's id (and what SQLite can bind): 404, as for a missing one.
_NO_SUCH_ID = 2**63


def _one(compiled: CompiledModels, user, activity_id: int, narrow) -> Activity:
    """The activity if `user` may see it, else 404 (the same answer as missing)."""
    if not user.is_authenticated or not 0 < activity_id < _NO_SUCH_ID:
        raise Http404
    if user.is_superuser:
        activity = narrow(_activities(), user=user.pk, activity=activity_id).first()
    else:
        activity = compiled.get(user=user.pk, activity=activity_id)
    if activity is None:
        raise Http404
    return activity


def get_activity_for_leader(user, activity_id: int, *, write: bool = True) -> Activity:
    """An activity of a group the user leads; `write=False` for pages that only read."""
    activity = get_activity_for(user, activity_id)
    if not is_leader(user, activity.group):
        raise PermissionDenied(LEADER_ONLY)
    _writable(activity.group, write)
    return activity


def get_activity_for_member(user, activity_id: int) -> Activity:
    """An activity of a group the user is a member of (one query: the member
    check comes with the activity)."""
    activity = _one(_ACTIVITY_MEMBER, user, activity_id, _with_member)
    if not activity.my_member:
        raise PermissionDenied(MEMBER_ONLY)
    _writable(activity.group, True)
    return activity


def get_post_for_member(user, post_id: int) -> Post:
    post = get_object_or_404(
        Post.objects.select_related("activity__group").filter(
            activity__in=activities_visible_to(user).values("pk")
        ),
        pk=post_id,
    )
    if not is_member(user, post.activity.group):
        raise PermissionDenied(MEMBER_ONLY)
    _writable(post.activity.group, True)
    return post


def get_evidence_for(user, grant, evidence_id: int) -> Evidence:
    """A piece of offline evidence to download: whoever may see the activity may
    open its evidence. A withdrawn piece is no longer shown to members (404, as
    if missing); it stays part of the record for the group's leader, a school
    admin of its school (acting as one) and the operator."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("activity__group").filter(
            activity__in=activities_visible_to(user).values("pk")
        ),
        pk=evidence_id,
    )
    if evidence.withdrawn_at is not None:
        group = evidence.activity.group
        school_admin = grant.role == Role.SCHOOL_ADMIN and grant.school_id == group.school_id
        if not (user.is_superuser or is_leader(user, group) or school_admin):
            raise Http404
    return evidence


def get_evidence_for_leader(user, evidence_id: int) -> Evidence:
    # The cycle too: withdrawing asks the time rule (activities.window).
    evidence = get_object_or_404(
        Evidence.objects.select_related("activity__group", "activity__cycle").filter(
            activity__in=activities_visible_to(user).values("pk")
        ),
        pk=evidence_id,
    )
    if not is_leader(user, evidence.activity.group):
        raise PermissionDenied(LEADER_ONLY)
    _writable(evidence.activity.group, True)
    return evidence


SUPERVISOR_ONLY = "只有本组组长或本校学校管理员可以进行此操作。"


def get_activity_for_supervisor(
    user, activity_id: int, *, admin_school_id: int | None, write: bool = True
) -> Activity:
    """An activity whose members the person may remind and give more time:
    its group's leader, or a school admin of its school (`admin_school_id`,
    the school of their 学校管理员 grant, if any). Outside their sight → 404;
    seen but neither (a member) → 403; an archived group → 403, unless
    `write=False` (the page that only lists who has not completed)."""
    activity = get_activity_for(user, activity_id)
    if not (is_leader(user, activity.group) or admin_school_id == activity.group.school_id):
        raise PermissionDenied(SUPERVISOR_ONLY)
    _writable(activity.group, write)
    return activity


def get_member_for(activity: Activity, user_id: int):
    """A member of the activity's group who teaches in its school; anyone else
    (a non-member, another school's teacher) → 404, like a missing person."""
    from accounts.models import User

    teachers = SchoolMembership.objects.teachers().filter(school_id=activity.group.school_id)
    return get_object_or_404(
        User.objects.filter(
            group_memberships__group_id=activity.group_id,
            pk__in=teachers.values("user_id"),
        ),
        pk=user_id,
    )
