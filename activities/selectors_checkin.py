"""Reads of 扫码签到: the live list on the leader's screen, the 签到表.

Each costs a fixed number of queries whatever the number of people."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Subquery

from accounts.compiled import CompiledModels
from accounts.models import SchoolMembership

from .models import Activity, CheckIn, CheckInSheet, Participation


@dataclass
class CheckInBoard:
    sheet: CheckInSheet | None
    # In the order they checked in; each with .subject and .designated.
    rows: list = field(default_factory=list)
    # Designated participants who have not checked in (Participation, with .user).
    waiting: list = field(default_factory=list)

    @property
    def undesignated(self) -> list:
        return [r for r in self.rows if not r.designated]

    @property
    def designated_count(self) -> int:
        return len(self.waiting) + sum(1 for r in self.rows if r.designated)

    @property
    def is_open(self) -> bool:
        return self.sheet is not None and self.sheet.closed_at is None

    @property
    def is_closed(self) -> bool:
        return self.sheet is not None and self.sheet.closed_at is not None


def checkin_sheet_of(*, activity: Activity) -> CheckInSheet | None:
    return CheckInSheet.objects.filter(activity=activity).first()


def checkin_rows(*, activity: Activity):
    """Every check-in in time order, with the person's subject in the school and
    whether they are designated (one query)."""
    subject = SchoolMembership.objects.active().filter(
        user=OuterRef("user_id"), school_id=activity.group.school_id
    )
    return (
        CheckIn.objects.filter(activity=activity)
        .select_related("user", "by")
        .annotate(
            subject=Subquery(subject.values("subject")[:1]),
            designated=Exists(
                Participation.objects.filter(activity=activity, user=OuterRef("user_id"))
            ),
        )
        .order_by("checked_in_at", "pk")
    )


def checkin_board(*, activity: Activity) -> CheckInBoard:
    """The sheet, the check-ins, and the designated who have not come: three
    queries."""
    waiting = (
        Participation.objects.filter(activity=activity)
        .exclude(user__in=CheckIn.objects.filter(activity=activity).values("user"))
        .select_related("user")
        .order_by("user__real_name", "pk")
    )
    return CheckInBoard(
        sheet=checkin_sheet_of(activity=activity),
        rows=list(checkin_rows(activity=activity)),
        waiting=list(waiting),
    )


def checkin_of(*, activity: Activity, user) -> CheckIn | None:
    return _CHECKIN.get(activity=activity.pk, user=user.pk)


# A member's 线下活动 page reads it: compiled once per process (accounts.compiled).
_CHECKIN = CompiledModels(
    lambda activity, user: CheckIn.objects.filter(activity=activity, user=user),
    "activity",
    "user",
)
