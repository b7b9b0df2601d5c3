"""Who has not completed an activity (the leader's and school admin's list
behind 提醒 and 延期): every member of its group (its leader aside) who
teaches in the school and has no completion, with their own last day and
when they were last reminded. A fixed number of queries whatever the
group's size."""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from accounts.dates import countdown
from accounts.models import SchoolMembership
from accounts.reminders import reminders_last
from groups.models import GroupMember

from .models import Activity, Participation
from .reminders import activity_reminder_kind
from .selectors_extensions import activity_extensions
from .window import activity_last_day


@dataclass(frozen=True)
class MemberLine:
    user: object
    joined_at: datetime.datetime | None
    entered_at: datetime.datetime | None
    extended_until: datetime.date | None
    last_day: datetime.date
    last_reminded: datetime.datetime | None

    @property
    def state(self) -> str:
        if self.joined_at is None:
            return "未参与"
        return "已进入研修，未完成" if self.entered_at else "已参与，未进入研修"

    @property
    def countdown(self):
        return countdown(last_day=self.last_day)


def members_of_activity(*, activity: Activity):
    """Members of the activity's group teaching in its school, with their
    participation's joined / entered / completed times. One query. The
    group's leader is not among them: they run the activity (their hours are
    confirmed by the school), so nobody chases them to complete it."""
    mine = Participation.objects.filter(activity=activity, user_id=OuterRef("user_id"))
    teachers = SchoolMembership.objects.teachers().filter(school_id=activity.group.school_id)
    members = GroupMember.objects.filter(
        group_id=activity.group_id, user_id__in=teachers.values("user_id")
    )
    if activity.group.leader_id is not None:
        members = members.exclude(user_id=activity.group.leader_id)
    return (
        members.select_related("user")
        .annotate(
            joined_at=Subquery(mine.values("joined_at")[:1]),
            entered_at=Subquery(mine.values("entered_at")[:1]),
            completed_at=Subquery(mine.values("completed_at")[:1]),
        )
        .order_by("user__real_name", "pk")
    )


def activity_not_completed(*, activity: Activity) -> tuple[list[MemberLine], int]:
    """The members who have not completed the activity, and how many have.
    Three queries (members, extensions, last reminders)."""
    members = list(members_of_activity(activity=activity))
    waiting = [m for m in members if m.completed_at is None]
    extensions = activity_extensions(activity=activity)
    last = reminders_last(
        kind=activity_reminder_kind(activity.pk), user_ids=[m.user_id for m in waiting]
    )
    lines = [
        MemberLine(
            user=m.user,
            joined_at=m.joined_at,
            entered_at=m.entered_at,
            extended_until=extensions.get(m.user_id),
            last_day=activity_last_day(
                activity=activity, teacher=m.user, extended=extensions.get(m.user_id)
            ),
            last_reminded=last.get(m.user_id),
        )
        for m in waiting
    ]
    return lines, len(members) - len(waiting)
