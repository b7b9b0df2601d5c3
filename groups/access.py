"""Which groups, themes and removals a grant may see: the first line of every view.

Another school's objects answer 404, exactly like missing ones. A group a person
may see but not manage (a member looking at it as 教研组长 of another group)
answers 403 on the manage pages.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.access import schools_visible_to
from accounts.roles import Grant, Role

from .models import ResearchGroup, TeacherRemoval

SCHOOL_WIDE = (Role.SCHOOL_ADMIN, Role.INFO_TEAM)


def groups_visible_to(grant: Grant, user):
    """School admin and info team see every group of their school (archived too);
    a leader or teacher sees the live groups they lead or belong to, and its
    leader an archived one too (read-only: get_group_for_leader answers 403
    to every action on it)."""
    qs = ResearchGroup.objects.select_related("leader", "school")
    if grant.role in SCHOOL_WIDE:
        return qs.filter(school_id=grant.school_id)
    if grant.role in (Role.LEADER, Role.TEACHER):
        return (
            qs.filter(school_id=grant.school_id)
            .filter(Q(leader=user) | Q(members__user=user, archived_at__isnull=True))
            .distinct()
        )
    return qs.none()


def get_group_for(grant: Grant, user, group_id: int) -> ResearchGroup:
    return get_object_or_404(groups_visible_to(grant, user), pk=group_id)


def get_group_for_admin(grant: Grant, group_id: int) -> ResearchGroup:
    """A group of the school admin's own school; 404 for any other."""
    qs = ResearchGroup.objects.select_related("leader").filter(school_id=grant.school_id)
    return get_object_or_404(qs, pk=group_id)


def get_group_for_leader(grant: Grant, user, group_id: int) -> ResearchGroup:
    """A live group the user leads. A group they only belong to, or an archived
    one (read-only, issue 8 §6): 403; others: 404."""
    group = get_group_for(grant, user, group_id)
    if group.leader_id != user.pk:
        raise PermissionDenied("只有本组的教研组长可以管理本组。")
    if group.archived_at is not None:
        raise PermissionDenied("该教研组已归档，只能查看，不能再修改。")
    return group


def group_filtered(groups, value: str) -> ResearchGroup | None:
    """The group a list's ?group= names, taken from `groups` (the choices the
    page offers, already read): None when none is named; any other id answers
    404, as a missing group does (another school's, or one not offered)."""
    if not value:
        return None
    group = next((g for g in groups if str(g.pk) == value), None)
    if group is None:
        raise Http404
    return group


def removals_visible_to(grant: Grant):
    qs = TeacherRemoval.objects.select_related("school", "teacher", "by").order_by("-at", "-pk")
    if grant.role == Role.OPERATOR:
        return qs
    if grant.role == Role.DISTRICT_ADMIN:
        return qs.filter(school__in=schools_visible_to(grant).values("pk"))
    if grant.role == Role.SCHOOL_ADMIN:
        return qs.filter(school_id=grant.school_id)
    return qs.none()
