"""The notifier: the one way the platform tells people something.

Every app calls `notify`. The inbox (站内消息) is the first channel and always
on: its rows are written in the caller's transaction, so a rolled-back action
leaves no notice. Further channels are named in settings.NOTICE_CHANNELS
(dotted paths to callables taking the Notification rows just stored) and run
once the caller's transaction commits, so nothing leaves the database for an
action that did not happen. E-mail (`email_channel`, Django's mail backends)
is the second; a WeChat template message would be a third entry in the
setting, and no caller changes.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Notification

MESSAGE_MAX = Notification._meta.get_field("message").max_length


@dataclass(frozen=True)
class Notice:
    """One message for one person, when messages differ per person (a reminder
    naming what each one lacks)."""

    user_id: int
    message: str
    link: str = ""


def _inbox(rows: list[Notification]) -> None:
    # One multi-row INSERT however many people (a school's reminders are a few
    # hundred): PostgreSQL takes them in one statement; on SQLite Django splits
    # it by that database's 999-parameter limit.
    Notification.objects.bulk_create(rows)


@cache
def _channels(paths: tuple[str, ...]) -> list[Callable[[list[Notification]], None]]:
    return [import_string(path) for path in paths]


def channels() -> list[Callable[[list[Notification]], None]]:
    """The channels after the inbox, as the settings name them."""
    return _channels(tuple(getattr(settings, "NOTICE_CHANNELS", ())))


def notify(
    *,
    users: Iterable = (),
    message: str = "",
    link: str = "",
    kind: str = "",
    notices: Iterable[Notice] = (),
) -> int:
    """Tell each of `users` (User objects or ids) `message`, or each Notice its
    own message; returns how many notices were stored. One INSERT, whatever the
    number; the other channels run after commit."""
    rows = [
        Notification(
            user_id=getattr(u, "pk", u), message=message[:MESSAGE_MAX], link=link, kind=kind
        )
        for u in users
    ]
    rows += [
        Notification(user_id=n.user_id, message=n.message[:MESSAGE_MAX], link=n.link, kind=kind)
        for n in notices
    ]
    if not rows:
        return 0
    _inbox(rows)
    for channel in channels():
        transaction.on_commit(lambda channel=channel: channel(rows))
    return len(rows)


def notify_each(*, messages: dict, link: str = "", kind: str = "") -> int:
    """Tell each person their own message ({user or id: message}) in one write:
    a leader's evidence crediting 300 teachers tells each of them once, in one
    statement, not 300 (the ledger's bulk credit, issue 15)."""
    return notify(
        notices=[Notice(getattr(u, "pk", u), m, link) for u, m in messages.items()], kind=kind
    )


# ---- e-mail ------------------------------------------------------------------


def email_channel(rows: list[Notification]) -> None:
    """Hands the notices to a task that mails those whose person has an
    address. Only when the deployment configured a mail backend (EMAIL_BACKEND
    in the settings; the console backend in the demo): without one, nothing."""
    if not getattr(settings, "NOTICE_EMAIL", False):
        return
    ids = [r.pk for r in rows if r.pk]
    if ids:
        from .tasks import notices_email

        notices_email.delay(ids)


def notices_email_send(*, ids: list[int]) -> int:
    """Mail each notice among `ids` to its person, if they have an address; one
    connection for all. Returns how many were sent. Two queries."""
    from django.core.mail import EmailMessage, get_connection

    rows = list(
        Notification.objects.filter(pk__in=ids)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    mails = [
        EmailMessage(
            subject=f"校本研修平台：{_subject(r.message)}",
            body=r.message + (f"\n\n{site}{r.link}" if r.link and site else ""),
            to=[r.user.email],
        )
        for r in rows
    ]
    if not mails:
        return 0
    return get_connection().send_messages(mails) or 0


def _subject(message: str) -> str:
    first = message.split("。")[0]
    return first if len(first) <= 40 else first[:39] + "…"


# ---- the inbox ---------------------------------------------------------------


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
