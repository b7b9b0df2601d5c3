"""Writes to the hours ledger. The only code that creates HoursEntry, HoursSummary
and HoursRegistration rows.

Callers (activities' completion services, removal, acceptance) say what to
credit or reverse; the ledger credits once, keeps the record and caps at 25 when
reading (selectors.Totals). It never learns what kind of activity a source is.
"""

from collections.abc import Callable, Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Cycle, School, SchoolMembership, User
from groups.models import AbilityPoint, TeacherRemoval
from groups.services import teacher_remove as groups_teacher_remove

from .models import HoursEntry, HoursRegistration, HoursSummary, RegistrationBatch
from .selectors import hours_totals_for

Kind = HoursEntry.Kind


def _lock_summary(*, teacher_id: int, cycle_id: int) -> HoursSummary:
    """The teacher's summary row for the cycle, created if missing, locked FOR UPDATE.

    Why the lock: every ledger write for one teacher and cycle queues on this
    row, so (1) the standing-credit check that follows sees any credit another
    request has just committed, and (2) the recorded total changes by exactly
    each entry's hours, never losing an update to a concurrent writer. Credits
    to other teachers lock other rows and run in parallel. (SQLite ignores
    FOR UPDATE but serialises writers anyway.)
    """
    # INSERT ... ON CONFLICT DO NOTHING: two first credits at once both succeed here.
    HoursSummary.objects.bulk_create(
        [HoursSummary(teacher_id=teacher_id, cycle_id=cycle_id)], ignore_conflicts=True
    )
    return HoursSummary.objects.select_for_update().get(teacher_id=teacher_id, cycle_id=cycle_id)


def _add_to_summary(summary: HoursSummary, hours: int) -> None:
    # F(): the arithmetic happens in the database, under the row lock taken above.
    HoursSummary.objects.filter(pk=summary.pk).update(
        recorded=F("recorded") + hours, updated_at=timezone.now()
    )


def _source_entries(*, teacher_id: int, source: models.Model):
    ct = ContentType.objects.get_for_model(source)
    return HoursEntry.objects.filter(teacher_id=teacher_id, content_type=ct, object_id=source.pk)


def _standing(qs):
    return qs.filter(kind=Kind.CREDIT, reversed_by__isnull=True)


@transaction.atomic
def hours_credit(
    *,
    teacher: User,
    cycle: Cycle,
    source: models.Model,
    hours: int,
    category: str,
    ability_points: Iterable[AbilityPoint] = (),
    reason: str = "",
    by: User | None = None,
) -> HoursEntry | None:
    """Credit `hours` to `teacher` for `source` (an activity, by generic key).

    Idempotent: returns None when a standing credit for (teacher, source)
    already exists, whether it was made earlier or by a request running at the
    same instant. `category` is the label shown, e.g. "教学研讨".
    """
    if hours <= 0:
        raise ValueError("学时必须为正数。")
    summary = _lock_summary(teacher_id=teacher.pk, cycle_id=cycle.pk)
    entries = _source_entries(teacher_id=teacher.pk, source=source)
    if _standing(entries).exists():
        return None
    generation = entries.filter(kind=Kind.REVERSAL).count()
    try:
        # Savepoint: the unique constraint (teacher, source, kind, generation) is
        # the last word, e.g. for a same-source credit racing in another cycle.
        with transaction.atomic():
            entry = HoursEntry.objects.create(
                teacher=teacher,
                cycle=cycle,
                kind=Kind.CREDIT,
                hours=hours,
                content_type=ContentType.objects.get_for_model(source),
                object_id=source.pk,
                generation=generation,
                title=str(source)[:200],
                category=category,
                reason=reason,
                by=by,
            )
    except IntegrityError:
        return None
    points = list(ability_points)
    if points:
        entry.ability_points.set(points)
    _add_to_summary(summary, hours)
    return entry


def _reverse_credit(*, credit: HoursEntry, reason: str, by: User | None) -> HoursEntry | None:
    """Reverse one credit; None if it was reversed meanwhile. Call inside atomic()."""
    summary = _lock_summary(teacher_id=credit.teacher_id, cycle_id=credit.cycle_id)
    # Re-read under the lock: another request may have reversed it since we looked.
    if not HoursEntry.objects.filter(pk=credit.pk, reversed_by__isnull=True).exists():
        return None
    try:
        with transaction.atomic():
            entry = HoursEntry.objects.create(
                teacher_id=credit.teacher_id,
                cycle_id=credit.cycle_id,
                kind=Kind.REVERSAL,
                hours=-credit.hours,
                content_type_id=credit.content_type_id,
                object_id=credit.object_id,
                generation=credit.generation,
                title=credit.title,
                category=credit.category,
                reverses=credit,
                reason=reason,
                by=by,
            )
    except IntegrityError:
        return None
    _add_to_summary(summary, -credit.hours)
    return entry


def _reverse_all(entries, *, reason: str, by: User | None) -> int:
    """Reverse every standing credit among `entries`; how many. Call inside atomic()."""
    # Teacher order: two bulk reversals lock summary rows in the same order (no deadlock).
    credits = _standing(entries).order_by("teacher_id", "cycle_id", "pk")
    return sum(1 for c in credits if _reverse_credit(credit=c, reason=reason, by=by))


@transaction.atomic
def hours_reverse(
    *, teacher: User, source: models.Model, reason: str, by: User | None = None
) -> HoursEntry | None:
    """Reverse the standing credit of `teacher` for `source`; None if there is none."""
    credit = _standing(_source_entries(teacher_id=teacher.pk, source=source)).first()
    if credit is None:
        return None
    return _reverse_credit(credit=credit, reason=reason, by=by)


@transaction.atomic
def hours_reverse_source(*, source: models.Model, reason: str, by: User | None = None) -> int:
    """Reverse every standing credit from `source` (e.g. an activity withdrawn)."""
    ct = ContentType.objects.get_for_model(source)
    credits = HoursEntry.objects.filter(content_type=ct, object_id=source.pk)
    return _reverse_all(credits, reason=reason, by=by)


@transaction.atomic
def hours_reverse_teacher(*, teacher: User, reason: str, by: User | None = None) -> int:
    """Reverse all of a teacher's standing credits (调岗移除)."""
    return _reverse_all(HoursEntry.objects.filter(teacher=teacher), reason=reason, by=by)


def teacher_remove(
    *,
    membership: SchoolMembership,
    by: User,
    reason: str,
    also_clear: Callable[[SchoolMembership, str], dict] | None = None,
) -> TeacherRemoval:
    """调岗移除: groups' removal (memberships, leaderships, the audit row) plus
    reversing every standing credit the teacher holds, all in one transaction.
    The number of reversed credits goes into the audit row's `cleared` as groups
    creates it (the audit row is append-only: never saved again afterwards).

    An app further right clears its own records through `also_clear`, called
    after the reversal with the same (locked place, reason); its keys join
    `cleared`. The removal view must call this (or a wrapper further right,
    assessment.services.teacher_remove), not groups'."""

    def clear(place: SchoolMembership, reason: str) -> dict:
        # Called by groups under its lock on the place, after its checks pass.
        reversed_ = hours_reverse_teacher(
            teacher=membership.user, reason=f"调岗移除：{reason}"[:200], by=by
        )
        cleared = {"hours_credits": reversed_}
        if also_clear is not None:
            cleared.update(also_clear(place, reason))
        return cleared

    return groups_teacher_remove(membership=membership, by=by, reason=reason, also_clear=clear)


# ---- 学时登记 ---------------------------------------------------------------

# Progress is saved after each chunk: small enough for a school's page to see it move.
REGISTER_CHUNK = 100


def _batch_for(
    *, school: School, cycle: Cycle, by: User | None, total: int = 0
) -> RegistrationBatch:
    """The school's one batch for the cycle, created on first use."""
    try:
        with transaction.atomic():
            batch, _ = RegistrationBatch.objects.get_or_create(
                school=school, cycle=cycle, defaults={"by": by, "total": total}
            )
    except IntegrityError:  # a concurrent run created it first
        batch = RegistrationBatch.objects.get(school=school, cycle=cycle)
    return batch


def hours_register_school(
    *, school: School, cycle: Cycle, by: User | None = None
) -> RegistrationBatch:
    """Register the counted hours of every active teacher of `school` for `cycle`.

    Idempotent: one batch per school and cycle, one registration per teacher and
    cycle (both unique in the database); a second run, or a run resuming after a
    crash, registers only the teachers still missing. Progress is saved after
    each chunk so a page can show it.
    """
    batch = _batch_for(school=school, cycle=cycle, by=by)
    teacher_ids = list(
        SchoolMembership.objects.teachers()
        .filter(school=school)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    done = set(
        HoursRegistration.objects.filter(cycle=cycle, teacher_id__in=teacher_ids).values_list(
            "teacher_id", flat=True
        )
    )
    todo = [t for t in teacher_ids if t not in done]
    batch.status = RegistrationBatch.Status.RUNNING
    batch.total = len(teacher_ids)
    batch.done = len(teacher_ids) - len(todo)
    batch.save(update_fields=["status", "total", "done"])
    for start in range(0, len(todo), REGISTER_CHUNK):
        chunk = todo[start : start + REGISTER_CHUNK]
        with transaction.atomic():
            totals = hours_totals_for(teacher_ids=chunk, cycle=cycle)
            now = timezone.now()
            HoursRegistration.objects.bulk_create(
                [
                    HoursRegistration(
                        teacher_id=t,
                        cycle=cycle,
                        school=school,
                        batch=batch,
                        hours=totals[t].counted,
                        recorded=totals[t].recorded,
                        registered_at=now,
                    )
                    for t in chunk
                ],
                # A concurrent run may have registered some: the constraint keeps one.
                ignore_conflicts=True,
            )
            RegistrationBatch.objects.filter(pk=batch.pk).update(done=F("done") + len(chunk))
    batch.status = RegistrationBatch.Status.DONE
    batch.registered = HoursRegistration.objects.filter(batch=batch).count()
    batch.finished_at = timezone.now()
    batch.done = batch.total
    batch.save(update_fields=["status", "registered", "finished_at", "done"])
    return batch


def hours_register_school_later(
    *, school: School, cycle: Cycle, by: User | None = None
) -> RegistrationBatch:
    """Queue 学时登记 for a school as a Celery task, fired once the caller commits."""
    from .tasks import register_school_hours

    # The total is known now, so the progress shows "0/n" while the task waits.
    total = SchoolMembership.objects.teachers().filter(school=school).count()
    batch = _batch_for(school=school, cycle=cycle, by=by, total=total)
    by_id = by.pk if by else None
    transaction.on_commit(lambda: register_school_hours.delay(school.pk, cycle.pk, by_id))
    return batch
