"""调岗移除 is one transaction that every app with a teacher's records takes part in.

groups.services.teacher_remove locks the teacher's place, then runs each
registered Clearer, then clears group memberships and leaderships and writes
the audit row. An app to the right (hours reverses credits; activities archives
participations, posts, homework, observation forms; later assessment: plans,
summaries, evaluations) registers its Clearer in its AppConfig.ready(), so a
removal started from anywhere (the page, a command, the demo) clears all of it:
no caller can forget an app.

A Clearer archives the rows it deletes through `Clearing.archive`: each row's
fields are kept as JSON in a ClearedRecord of the removal (stored files stay in
storage, named in the record, reachable by the operator through the admin), so
the audit trail keeps what was cleared while no list, count, join or export can
ever see the row again.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core import serializers

from accounts.models import SchoolMembership, User

from .selectors import teacher_removal_preview


@dataclass
class Clearing:
    """One removal in progress, handed to each clearer under the lock on the place."""

    place: SchoolMembership
    by: User
    reason: str
    records: list = field(default_factory=list)  # unsaved ClearedRecords

    def archive(self, rows: Iterable, *, files: Callable[[object], list[str]] | None = None) -> int:
        """Snapshot `rows` (model instances) into the audit trail; the clearer then
        deletes them. `files(row)` names the stored files a row points at."""
        from .models import ClearedRecord

        n = 0
        for row in rows:
            data = serializers.serialize("python", [row])[0]["fields"]
            self.records.append(
                ClearedRecord(
                    model=row._meta.label_lower,
                    object_id=row.pk,
                    data=data,
                    files=files(row) if files else [],
                )
            )
            n += 1
        return n


@dataclass(frozen=True)
class Clearer:
    name: str
    # Clears (archives, deletes, reverses) and returns counts for the audit row.
    clear: Callable[[Clearing], dict]
    # Lines for the confirmation page: what this app will clear.
    preview: Callable[[SchoolMembership], list[str]] | None = None
    # Whether the place carries anything this app would clear (the admin
    # refuses to delete such a place: accounts.places).
    in_use: Callable[[SchoolMembership], bool] | None = None


REMOVAL_CLEARERS: list[Clearer] = []


def removal_clearer_register(clearer: Clearer) -> None:
    """Idempotent (ready() may run twice in tests)."""
    if all(c.name != clearer.name for c in REMOVAL_CLEARERS):
        REMOVAL_CLEARERS.append(clearer)


def removal_preview(place: SchoolMembership) -> list[str]:
    """What every app will clear, for the confirmation page."""
    return [line for c in REMOVAL_CLEARERS if c.preview for line in c.preview(place)]


def place_records(place: SchoolMembership) -> list[str]:
    """accounts.places: what the place carries that a removal would clear,
    as the confirmation page says it: the school's groups the teacher is in
    or leads, then each app's line where it has something."""
    found = teacher_removal_preview(membership=place)
    lines = []
    if found["groups"]:
        lines.append("所在教研组：" + "、".join(found["groups"]))
    if found["led_groups"]:
        lines.append("担任组长：" + "、".join(found["led_groups"]))
    for c in REMOVAL_CLEARERS:
        if c.in_use and c.preview and c.in_use(place):
            lines += c.preview(place)
    return lines
