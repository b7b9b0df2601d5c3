"""提醒: reminders sent by hand (提醒 on the lists of who lacks what) and by
themselves (the daily job), at most one per person, kind and day.

- `reminders_send` is the one way a reminder goes out. The database keeps the
  once-a-day rule (accounts.Reminder's unique constraint on person, kind and
  day): every call inserts its rows with ON CONFLICT DO NOTHING under a batch
  id of its own, reads back which rows are its own, and notifies those people
  only. Twenty clicks at the same moment store one row and send one notice;
  the daily job run twice sends nothing the second time. A fixed number of
  queries for any number of people and kinds.

- The daily job (`reminders_run`, run by the Celery beat schedule in settings
  and by `manage.py send_reminders --date`) asks every registered
  ReminderSource, school by school, who is due today, and sends through
  `reminders_send`.

  **Adding a kind of reminder** is the extension point: an app (to the right of
  accounts) writes `due(*, school_id, day) -> list[Due]`, costing a fixed
  number of queries per school, and registers it in its AppConfig.ready():

      reminder_source_register(ReminderSource("acceptance_deadline", "验收截止", due))

  Nothing here changes. The kind in each Due ("acceptance:7") is what the
  once-a-day rule counts; use one per thing the person is reminded about.
  activities registers "activity_closing" and assessment "cycle_end".
"""

import datetime
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .models import Cycle, Reminder, School
from .notices import Notice, notify

log = logging.getLogger("xiaoben")

# What reminder notices are called in the inbox (Notification.kind).
NOTICE_KIND = "reminder"
# How long a reminder may be: the inbox holds 300 characters.
MESSAGE_MAX = 300


@dataclass(frozen=True)
class Due:
    """One person to remind about one thing today."""

    user_id: int
    kind: str  # what about, e.g. "activity:12": once per person, kind and day
    message: str
    link: str = ""


@dataclass(frozen=True)
class ReminderDay:
    """What every source is told: the day (Asia/Shanghai) and the cycle then."""

    today: datetime.date
    cycle: Cycle | None


@dataclass(frozen=True)
class ReminderSource:
    name: str
    label: str  # what the command prints, e.g. "活动即将截止"
    # due(*, school_id, day: ReminderDay) -> list[Due]: who in the school is
    # due today; a fixed number of queries whatever the school's size.
    due: Callable[..., list[Due]]


REMINDER_SOURCES: list[ReminderSource] = []


def reminder_source_register(source: ReminderSource) -> None:
    """Add a kind of automatic reminder (idempotent: ready() may run twice)."""
    if all(s.name != source.name for s in REMINDER_SOURCES):
        REMINDER_SOURCES.append(source)


# ---- the text ------------------------------------------------------------------


def fields_help(*names: str) -> str:
    """The form's note on the fields a sender may write in braces, each filled
    in for each person: fields_help("姓名", "截止")."""
    return "可使用 " + "、".join("{" + n + "}" for n in names) + "，发送时按每人的情况填入。"


def reminder_text(template: str, values: dict[str, str]) -> str:
    """`template` with {姓名}, {截止}… replaced by `values` (other braces stay as
    typed: a sender's text is never interpreted)."""
    text = template
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text[:MESSAGE_MAX]


# ---- sending -------------------------------------------------------------------


@dataclass
class Sent:
    """What one call sent: to whom, and who had already been reminded today
    about the same thing (with that earlier reminder)."""

    sent: list[tuple[int, str]] = field(default_factory=list)  # (user_id, kind)
    already: dict[tuple[int, str], Reminder] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.sent)

    @property
    def line(self) -> str:
        """What the person who clicked 提醒 is told."""
        parts = [f"已向 {self.count} 人发送提醒。"] if self.sent else []
        if self.already:
            last = max(r.sent_at for r in self.already.values())
            parts.append(
                f"{len(self.already)} 人今天已经提醒过（最近一次 "
                f"{timezone.localtime(last):%H:%M}），每人每天只提醒一次，未重复发送。"
            )
        return "".join(parts) or "没有需要提醒的人。"


def reminders_send(*, items: Iterable[Due], by=None, today: datetime.date | None = None) -> Sent:
    """Send each Due once per person, kind and day. Four queries whatever the
    number (insert, read back our rows, the inbox insert, earlier reminders of
    those skipped); fewer when there is nothing to send or skip."""
    today = today or timezone.localdate()
    wanted: dict[tuple[int, str], Due] = {}
    for item in items:
        wanted.setdefault((item.user_id, item.kind), item)
    if not wanted:
        return Sent()
    keys = sorted(wanted)  # one order for every caller: no deadlock between two
    batch = uuid.uuid4()
    with transaction.atomic():
        Reminder.objects.bulk_create(
            [
                Reminder(
                    user_id=u,
                    kind=k,
                    day=today,
                    by=by,
                    message=wanted[u, k].message[:MESSAGE_MAX],
                    batch=batch,
                )
                for u, k in keys
            ],
            ignore_conflicts=True,
        )
        mine = set(Reminder.objects.filter(batch=batch).values_list("user_id", "kind"))
        notify(
            notices=[
                Notice(u, wanted[u, k].message, wanted[u, k].link)
                for u, k in keys
                if (u, k) in mine
            ],
            kind=NOTICE_KIND,
        )
    result = Sent(sent=[key for key in keys if key in mine])
    lost = {key for key in keys if key not in mine}
    if lost:
        # Who was reminded earlier today about the same thing, and when: what
        # the person clicking 提醒 again is told.
        earlier = Reminder.objects.filter(
            day=today, kind__in={k for _, k in lost}, user_id__in={u for u, _ in lost}
        )
        result.already = {(r.user_id, r.kind): r for r in earlier if (r.user_id, r.kind) in lost}
    return result


def reminders_last(*, kind: str, user_ids: Iterable[int]) -> dict[int, datetime.datetime]:
    """{user_id: when they were last reminded about `kind`}, for the lists'
    "上次提醒" column. One query."""
    rows = (
        Reminder.objects.filter(kind=kind, user_id__in=list(user_ids))
        .values("user_id")
        .annotate(last=Max("sent_at"))
        .order_by()
    )
    return {r["user_id"]: r["last"] for r in rows}


# ---- the daily job ---------------------------------------------------------------


def reminders_due(*, school_id: int, day: ReminderDay) -> list[Due]:
    """Everyone in the school every source says is due today."""
    due: list[Due] = []
    for source in REMINDER_SOURCES:
        due += source.due(school_id=school_id, day=day)
    return due


def reminders_run_school(*, school_id: int, day: ReminderDay) -> Sent:
    """The job for one school: a fixed number of queries (each source's, and
    reminders_send's) whatever its number of teachers and activities."""
    return reminders_send(items=reminders_due(school_id=school_id, day=day), today=day.today)


def reminder_day(today: datetime.date | None = None) -> ReminderDay:
    from .selectors import cycle_current

    today = today or timezone.localdate()
    return ReminderDay(today=today, cycle=cycle_current(today))


def reminders_run(
    *, today: datetime.date | None = None, school_ids: Iterable[int] | None = None
) -> int:
    """The daily job over the given schools (every school by default); returns
    how many reminders went out. Each school commits on its own, so a failure
    in one leaves the others sent (and a rerun sends only what is missing)."""
    day = reminder_day(today)
    if school_ids is None:
        school_ids = School.objects.order_by("pk").values_list("pk", flat=True).iterator()
    total = 0
    for school_id in school_ids:
        try:
            total += reminders_run_school(school_id=school_id, day=day).count
        except Exception:  # one school's bad data must not stop the province's reminders
            log.exception("reminders failed for school %s on %s", school_id, day.today)
    return total
