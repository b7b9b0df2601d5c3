"""What a teacher's place in a school carries that only 调岗移除 may clear.

A place ends by 调岗移除 (groups.services.teacher_remove), which hands back the
teacher's groups, reverses their credits and archives their work at the
school, with an audit row. The operator deleting a place in the admin would
end it without any of that: the person would keep leading and seeing the
school's groups and their hours would go on counting. So the admin refuses
to delete a place that carries such records, naming them.

The records live in the apps to the right of accounts, which may not be
imported here; groups registers how to find them in its AppConfig.ready()
(groups.removal.place_records, which asks every removal clearer). Without
one, no place carries any.
"""

from collections.abc import Callable

_FINDER: list[Callable] = []


def place_records_register(finder: Callable) -> None:
    """Idempotent (ready() may run twice in tests): the last one wins."""
    _FINDER[:] = [finder]


def place_records(place) -> list[str]:
    """What the active `place` carries that 调岗移除 would clear, as lines for
    the operator (empty: nothing; a removed place carries nothing any more)."""
    if not _FINDER or place.removed_at is not None:
        return []
    return _FINDER[0](place)
