"""The notifier: the one way the platform tells people something.

Every app calls `notify`; the inbox (站内消息) is the first channel. A channel is
a callable taking the Notification rows just stored; a second channel (e-mail,
a WeChat template message) is one more entry in CHANNELS, and no caller changes.
"""

from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from .models import Notification

# Rows per INSERT: a notice has six columns, so one statement carries a whole
# school's worth (PostgreSQL takes 65,535 parameters; SQLite's 999 cap its own).
INBOX_BATCH = 2000


def _inbox(rows: list[Notification]) -> None:
    Notification.objects.bulk_create(rows, batch_size=INBOX_BATCH)


# Channels after the inbox run once the caller's transaction commits, so a
# rolled-back action never sends anything outside the database.
CHANNELS: list[Callable[[list[Notification]], None]] = []


def notify(*, users: Iterable, message: str, link: str = "", kind: str = "") -> int:
    """Tell each of `users` (User objects or ids) `message`; returns how many."""
    ids = [getattr(u, "pk", u) for u in users]
    return _send(
        [Notification(user_id=uid, message=message[:300], link=link, kind=kind) for uid in ids]
    )


def notify_each(*, messages: dict, link: str = "", kind: str = "") -> int:
    """Tell each person their own message ({user or id: message}) in one write:
    a leader's evidence crediting 300 teachers tells each of them once, in one
    statement, not 300."""
    return _send(
        [
            Notification(user_id=getattr(u, "pk", u), message=m[:300], link=link, kind=kind)
            for u, m in messages.items()
        ]
    )


def _send(rows: list[Notification]) -> int:
    if not rows:
        return 0
    _inbox(rows)
    for channel in CHANNELS:
        transaction.on_commit(lambda channel=channel: channel(rows))
    return len(rows)


def notices_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notices read: all of them, or those among `ids`."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def inbox(*, user):
    return Notification.objects.filter(user=user)
