"""Writes to the hours ledger. The only code that creates HoursEntry, HoursSummary,
HoursClaim and HoursRegistration rows, and the one place that tells a teacher
their hours changed (DESIGN §2: every credit and reversal leaves a notice saying
what, how many hours, why and by whom).

Callers (activities' completion services, removal, acceptance) say what to
credit or reverse; the ledger credits once, keeps the record and caps at 25 when
reading (selectors.Totals). It never learns what kind of activity a source is.
It credits only an active teacher of the school the hours are earned in: after
调岗移除 nothing anyone does can credit the removed teacher for that school.
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from accounts.figures import HoursMove, school_hours_moved
from accounts.models import EXTENSION_DAYS_AFTER_CYCLE, Cycle, School, SchoolMembership, User
from accounts.notices import notify, notify_each
from accounts.services import teacher_place_lock, teacher_places_lock
from groups.models import AbilityPoint
from groups.removal import Clearer, Clearing

from .acceptance import acceptance_passed
from .models import HoursClaim, HoursEntry, HoursRegistration, HoursSummary, RegistrationBatch
from .passed import review_passed_names
from .selectors import HOURS_CAP, REMOVAL_REASON, hours_totals_for, standing_hours

Kind = HoursEntry.Kind
log = logging.getLogger("xiaoben")


class CreditRefused(ValidationError):
    """The ledger will not credit this person here (not an active teacher of the school)."""


class RegistrationRefused(ValidationError):
    """学时登记 before the school's whole-school acceptance has passed (DESIGN §2)."""


def _lock_summaries(
    *, pairs: Iterable[tuple[int, int]], create: bool = True
) -> dict[tuple[int, int], int]:
    """The summary rows of (teacher_id, cycle_id) pairs, created if missing (a
    reversal finds them made by its credit: `create=False`), locked FOR UPDATE
    in (teacher, cycle) order; returns their recorded hours under the lock
    ({(teacher_id, cycle_id): recorded}). Two queries, whatever the number.

    Why the lock: every ledger write for one teacher and cycle queues on this
    row, so (1) the standing-credit check that follows sees any credit another
    request has just committed, and (2) the recorded total changes by exactly
    each entry's hours, never losing an update to a concurrent writer. Credits
    to other teachers lock other rows and run in parallel. (SQLite ignores
    FOR UPDATE but serialises writers anyway.)
    """
    pairs = sorted(set(pairs))
    if not pairs:
        return {}
    if create:
        # INSERT ... ON CONFLICT DO NOTHING: two first credits at once both succeed here.
        HoursSummary.objects.bulk_create(
            [HoursSummary(teacher_id=t, cycle_id=c) for t, c in pairs], ignore_conflicts=True
        )
    teachers = {t for t, _ in pairs}
    cycles = {c for _, c in pairs}
    # Rows of other cycles of the same teachers may be locked too: harmless, and
    # one statement whatever the mix (a removal reverses several cycles at once).
    locked = (
        HoursSummary.objects.select_for_update()
        .filter(teacher_id__in=teachers, cycle_id__in=cycles)
        .order_by("teacher_id", "cycle_id")
        .values_list("teacher_id", "cycle_id", "recorded")
    )
    return {(t, c): recorded for t, c, recorded in locked}


def _add_to_summaries(entries: list[HoursEntry], *, before: dict[tuple[int, int], int]) -> None:
    """recorded += the entries' hours for each (teacher_id, cycle_id), in one
    UPDATE, under the locks taken by _lock_summaries (F(): the arithmetic
    happens in the database). `before` (what _lock_summaries returned) moves on
    with it, and each school's figures follow (accounts.figures: the district's
    dashboard counts teachers per hours bucket without recounting the ledger)."""
    deltas: dict[tuple[int, int], int] = defaultdict(int)
    schools: dict[tuple[int, int], int | None] = {}
    for e in entries:
        deltas[(e.teacher_id, e.cycle_id)] += e.hours
        schools.setdefault((e.teacher_id, e.cycle_id), e.school_id)
    if not deltas:
        return
    by_delta: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pair, delta in deltas.items():
        by_delta[delta].append(pair)
    if len(by_delta) == 1:  # a credit, or one source's: the same hours for everyone
        (change,) = by_delta
    else:
        change = Case(
            *(When(_pairs_q(pairs), then=Value(d)) for d, pairs in sorted(by_delta.items())),
            default=Value(0),
            output_field=models.IntegerField(),
        )
    HoursSummary.objects.filter(_pairs_q(list(deltas))).update(
        recorded=F("recorded") + change, updated_at=timezone.now()
    )
    moves = []
    for pair, delta in deltas.items():
        was = before.get(pair, 0)
        before[pair] = was + delta
        moves.append(HoursMove(schools[pair], pair[1], was, was + delta))
    school_hours_moved(moves=moves)


def _pairs_q(pairs: Iterable[tuple[int, int]]) -> Q:
    """(teacher, cycle) pairs as a filter: usually one cycle, so one IN list each."""
    by_cycle: dict[int, list[int]] = defaultdict(list)
    for teacher_id, cycle_id in pairs:
        by_cycle[cycle_id].append(teacher_id)
    q = Q()
    for cycle_id, teacher_ids in sorted(by_cycle.items()):
        q |= Q(cycle_id=cycle_id, teacher_id__in=sorted(teacher_ids))
    return q


def _source_entries(*, teacher_id: int, source: models.Model):
    ct = ContentType.objects.get_for_model(source)
    return HoursEntry.objects.filter(teacher_id=teacher_id, content_type=ct, object_id=source.pk)


def _standing(qs):
    return qs.filter(kind=Kind.CREDIT, reversed_by__isnull=True)


# ---- notices: what, how many hours, why, by whom -------------------------------


def _actor(by: User | None, teacher_id: int) -> str:
    if by is None:
        return "平台"
    return "本人" if by.pk == teacher_id else by.display_name


def _what(entry) -> str:
    return f"{entry.category}《{entry.title}》" if entry.category else f"《{entry.title}》"


def _tell(*, teacher_id: int, message: str, kind: str) -> None:
    notify(users=[teacher_id], message=message, link=reverse("hours:mine"), kind=kind)


def _tell_each(messages: dict[int, str], kind: str) -> None:
    """Each teacher their own message, one INSERT for all of them."""
    notify_each(messages=messages, link=reverse("hours:mine"), kind=kind)


def _tell_credits(entries: list[HoursEntry], by: User | None) -> None:
    _tell_each(
        {
            e.teacher_id: f"计入 {e.hours} 学时：{_what(e)}。原因：{e.reason or '完成活动'}；"
            f"操作人：{_actor(by, e.teacher_id)}。"
            for e in entries
        },
        "hours_credit",
    )


def _tell_reversals(entries: list[HoursEntry], by: User | None, reason: str) -> None:
    """One notice per teacher: a removal reversing ten credits sends one, not ten."""
    by_teacher: dict[int, list[HoursEntry]] = defaultdict(list)
    for e in entries:
        by_teacher[e.teacher_id].append(e)
    messages = {}
    for teacher_id, rows in by_teacher.items():
        total = -sum(e.hours for e in rows)
        what = _what(rows[0]) if len(rows) == 1 else f"{len(rows)} 条学时记录"
        messages[teacher_id] = (
            f"撤销 {total} 学时：{what}。原因：{reason or '—'}；操作人：{_actor(by, teacher_id)}。"
        )
    _tell_each(messages, "hours_reversal")


# ---- credits and reversals ---------------------------------------------------


def hours_credit(
    *,
    teacher: User,
    cycle: Cycle,
    school: School,
    source: models.Model,
    hours: int,
    category: str,
    ability_points: Iterable[AbilityPoint] = (),
    reason: str = "",
    by: User | None = None,
    place_locked: bool = False,
) -> HoursEntry | None:
    """Credit `hours` to `teacher` for `source` (an activity, by generic key),
    earned in `school`, and tell the teacher.

    Idempotent: returns None when a standing credit for (teacher, source)
    already exists, whether it was made earlier or by a request running at the
    same instant. `category` is the label shown, e.g. "教学研讨". Raises
    CreditRefused when the teacher is not an active teacher of `school`.
    `place_locked`: the caller holds teacher_place_lock for this teacher and
    school in the current transaction and found the place (a completion),
    so it is not locked again.
    """
    if hours <= 0:
        raise ValueError("学时必须为正数。")
    # In the caller's transaction when there is one (a member's post or
    # homework, a claim confirmed): no savepoint of its own, two round trips
    # saved on every completion (issue 15). A failure while writing still
    # fails the caller's whole transaction; the refusal is raised after the
    # block, having written nothing, so a caller may catch it and go on.
    with transaction.atomic(savepoint=False):
        placed = place_locked or teacher_place_lock(teacher_id=teacher.pk, school_id=school.pk)
        entries = (
            _credit_placed(
                teacher_ids=[teacher.pk],
                cycle=cycle,
                school=school,
                source=source,
                hours=hours,
                category=category,
                ability_points=ability_points,
                reason=reason,
                by=by,
            )
            if placed
            else []
        )
    if not placed:
        raise CreditRefused(f"{teacher.display_name}不是{school.name}的在职教师，不能计入学时。")
    return entries[0] if entries else None


@transaction.atomic
def hours_credit_many(
    *,
    teachers: Iterable[User],
    cycle: Cycle,
    school: School,
    source: models.Model,
    hours: int,
    category: str,
    ability_points: Iterable[AbilityPoint] = (),
    reason: str = "",
    by: User | None = None,
) -> list[HoursEntry]:
    """hours_credit for many teachers and one source (a leader's offline evidence
    crediting every designated member) in a fixed number of queries, whatever
    their number. The same rules, teacher by teacher: only active teachers of
    `school` (the others are skipped: the caller has checked them and a removal
    may have just won the race), once per teacher (a standing credit is
    skipped; the unique constraint stays the last word), each told in their
    inbox. Returns the credits made, in teacher order."""
    if hours <= 0:
        raise ValueError("学时必须为正数。")
    placed = teacher_places_lock(teacher_ids=[t.pk for t in teachers], school_id=school.pk)
    return _credit_placed(
        teacher_ids=sorted(placed),
        cycle=cycle,
        school=school,
        source=source,
        hours=hours,
        category=category,
        ability_points=ability_points,
        reason=reason,
        by=by,
    )


def _source_state(*, teacher_ids: list[int], source: models.Model) -> dict[int, tuple[int, int]]:
    """{teacher_id: (standing credits, reversals)} for one source. One query.

    Every reversal reverses one credit of the same teacher and source
    (_reverse_all copies them; `reverses` is one-to-one), so the standing
    credits are the credits less the reversals: counted from the rows' kinds,
    without joining each credit to its reversal (issue 15: this read is on
    every completion)."""
    ct = ContentType.objects.get_for_model(source)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for teacher_id, kind in HoursEntry.objects.filter(
        content_type_id=ct.pk, object_id=source.pk, teacher_id__in=teacher_ids
    ).values_list("teacher_id", "kind"):
        counts[teacher_id][kind == Kind.REVERSAL] += 1
    return {t: (credits - reversals, reversals) for t, (credits, reversals) in counts.items()}


def _credit_placed(
    *,
    teacher_ids: list[int],
    cycle: Cycle,
    school: School,
    source: models.Model,
    hours: int,
    category: str,
    ability_points: Iterable[AbilityPoint],
    reason: str,
    by: User | None,
) -> list[HoursEntry]:
    """Credit teachers whose places are locked. Call inside atomic()."""
    if not teacher_ids:
        return []
    before = _lock_summaries(pairs=[(t, cycle.pk) for t in teacher_ids])
    state = _source_state(teacher_ids=teacher_ids, source=source)
    ct = ContentType.objects.get_for_model(source)
    now = timezone.now()
    entries = [
        HoursEntry(
            teacher_id=t,
            cycle=cycle,
            school=school,
            kind=Kind.CREDIT,
            hours=hours,
            content_type=ct,
            object_id=source.pk,
            # The number of earlier reversals: with the unique constraint on
            # (teacher, source, kind, generation), one standing credit at a time.
            generation=state.get(t, (0, 0))[1],
            title=str(source)[:200],
            category=category,
            reason=reason[:200],
            by=by,
            at=now,
        )
        for t in teacher_ids
        if not state.get(t, (0, 0))[0]
    ]
    if not entries:
        return []
    try:
        # Savepoint: the unique constraint (teacher, source, kind, generation) is
        # the last word, e.g. for a same-source credit racing in another cycle
        # (which the summary lock does not queue).
        with transaction.atomic():
            HoursEntry.objects.bulk_create(entries)
    except IntegrityError:
        return _credit_one_by_one(entries, ability_points=ability_points, by=by, before=before)
    points = list(ability_points)
    if points:
        link = HoursEntry.ability_points.through
        link.objects.bulk_create(
            [link(hoursentry_id=e.pk, abilitypoint_id=p.pk) for e in entries for p in points]
        )
    _tell_credits(entries, by)
    # Last: the school's figures row (SchoolStats) is one row for every credit
    # in the school, locked from this UPDATE to the commit; nothing else is
    # written in between, so credits of one school queue for the commit only.
    _add_to_summaries(entries, before=before)
    return entries


def _credit_one_by_one(
    entries: list[HoursEntry], *, ability_points, by, before: dict
) -> list[HoursEntry]:
    """The rare path after a bulk insert lost a race: each entry on its own, each
    under its own savepoint, so the one that conflicts is skipped and the rest stand."""
    points = list(ability_points)
    done = []
    for entry in entries:
        entry.pk = None
        try:
            with transaction.atomic():
                entry.save(force_insert=True)
        except IntegrityError:
            continue
        if points:
            entry.ability_points.set(points)
        _add_to_summaries([entry], before=before)
        done.append(entry)
    _tell_credits(done, by)
    return done


class ReversalRefused(ValidationError):
    """The reversal would take a teacher whose 研修考核 passed below 25 hours
    (hours.passed); nothing is reversed."""


def _refuse_below_a_pass(reversals: list[HoursEntry], before: dict) -> None:
    """hours.passed: refuse when a teacher who passed would fall below 25."""
    after, school = dict(before), {}
    for r in reversals:
        after[(r.teacher_id, r.cycle_id)] += r.hours
        school[(r.teacher_id, r.cycle_id)] = r.school_id
    falling = [(*p, school[p]) for p, was in before.items() if was >= HOURS_CAP > after[p]]
    if names := review_passed_names(falling):
        raise ReversalRefused(
            f"{'、'.join(names)} 已通过研修考核，撤销后学时将不足 {HOURS_CAP} 学时，未撤销。"
            "如确需撤销，请先由学校管理员在研修考核中将其改为“不通过”（写明原因）；"
            "本校整校推进验收已提交时，考核结果随验收材料一起评审，须先请区县教育局退回验收。"
        )


def _reverse_all(
    entries, *, reason: str, by: User | None, keep_passes: bool = True
) -> list[HoursEntry]:
    """Reverse every standing credit among `entries` (a queryset) and tell each
    teacher once. A fixed number of queries, however many credits and teachers.
    Refused (ReversalRefused, nothing written) when it would take a teacher
    whose review passed below 25 hours, unless not `keep_passes` (调岗移除,
    which clears the review). Call inside atomic()."""
    credits = list(_standing(entries).order_by("teacher_id", "cycle_id", "pk"))
    if not credits:
        return []
    before = _lock_summaries(pairs=[(c.teacher_id, c.cycle_id) for c in credits], create=False)
    # Re-read under the locks: another request may have reversed some since we looked.
    still = set(
        _standing(HoursEntry.objects.filter(pk__in=[c.pk for c in credits])).values_list(
            "pk", flat=True
        )
    )
    now = timezone.now()
    reversals = [
        HoursEntry(
            teacher_id=c.teacher_id,
            cycle_id=c.cycle_id,
            school_id=c.school_id,
            kind=Kind.REVERSAL,
            hours=-c.hours,
            content_type_id=c.content_type_id,
            object_id=c.object_id,
            generation=c.generation,
            title=c.title,
            category=c.category,
            reverses=c,
            reason=reason[:200],
            by=by,
            at=now,
        )
        for c in credits
        if c.pk in still
    ]
    if not reversals:
        return []
    if keep_passes:
        _refuse_below_a_pass(reversals, before)
    try:
        # reverses is one-to-one: a credit is reversed once, whoever races.
        with transaction.atomic():
            HoursEntry.objects.bulk_create(reversals)
    except IntegrityError:
        reversals = _reverse_one_by_one(reversals)
    _tell_reversals(reversals, by, reason)
    _add_to_summaries(reversals, before=before)  # last, as in _credit_placed
    return reversals


def _reverse_one_by_one(reversals: list[HoursEntry]) -> list[HoursEntry]:
    done = []
    for entry in reversals:
        entry.pk = None
        try:
            with transaction.atomic():
                entry.save(force_insert=True)
        except IntegrityError:
            continue
        done.append(entry)
    return done


@transaction.atomic
def hours_reverse(
    *, teacher: User, source: models.Model, reason: str, by: User | None = None
) -> HoursEntry | None:
    """Reverse the standing credit of `teacher` for `source` (and withdraw a claim
    still waiting for it); None if there is no credit."""
    _withdraw_claims(_source_claims(source).filter(teacher=teacher), reason=reason, by=by)
    done = _reverse_all(_source_entries(teacher_id=teacher.pk, source=source), reason=reason, by=by)
    return done[0] if done else None


@transaction.atomic
def hours_reverse_source(*, source: models.Model, reason: str, by: User | None = None) -> int:
    """Reverse every standing credit from `source` (e.g. an activity's evidence
    withdrawn) and withdraw the claims still waiting for it: in bulk, a fixed
    number of queries whatever the number of teachers."""
    _withdraw_claims(_source_claims(source), reason=reason, by=by)
    ct = ContentType.objects.get_for_model(source)
    credits = HoursEntry.objects.filter(content_type=ct, object_id=source.pk)
    return len(_reverse_all(credits, reason=reason, by=by))


@transaction.atomic
def hours_reverse_teacher(*, teacher: User, reason: str, by: User | None = None) -> int:
    """Reverse all of a teacher's standing credits and withdraw their waiting claims
    (调岗移除)."""
    _withdraw_claims(HoursClaim.objects.filter(teacher=teacher), reason=reason, by=by)
    entries = HoursEntry.objects.filter(teacher=teacher)
    return len(_reverse_all(entries, reason=reason, by=by, keep_passes=False))


# ---- claims: a leader's own hours wait for the school admin ------------------


def _source_claims(source: models.Model):
    ct = ContentType.objects.get_for_model(source)
    return HoursClaim.objects.filter(content_type=ct, object_id=source.pk)


def _withdraw_claims(claims, *, reason: str, by: User | None) -> int:
    pending = list(claims.filter(status=HoursClaim.Status.PENDING).select_for_update())
    if not pending:
        return 0
    now = timezone.now()
    HoursClaim.objects.filter(pk__in=[c.pk for c in pending]).update(
        status=HoursClaim.Status.WITHDRAWN,
        decided_at=now,
        decided_by=by,
        decision_note=reason[:200],
    )
    by_teacher: dict[int, list[HoursClaim]] = defaultdict(list)
    for claim in pending:
        by_teacher[claim.teacher_id].append(claim)
    messages = {}
    for teacher_id, claims_ in by_teacher.items():
        hours = sum(c.hours for c in claims_)
        what = _what(claims_[0]) if len(claims_) == 1 else f"{len(claims_)} 条待确认学时"
        messages[teacher_id] = (
            f"待确认的 {hours} 学时已撤回：{what}。原因：{reason or '—'}；"
            f"操作人：{_actor(by, teacher_id)}。"
        )
    _tell_each(messages, "hours_claim")
    return len(pending)


@transaction.atomic
def hours_claim(
    *,
    teacher: User,
    cycle: Cycle,
    school: School,
    source: models.Model,
    hours: int,
    category: str,
    ability_points: Iterable[AbilityPoint] = (),
    reason: str = "",
    by: User | None = None,
    place_locked: bool = False,
) -> HoursClaim | None:
    """Record hours that wait for a school admin's confirmation instead of
    crediting them (a leader's own hours from their group's activity). Same
    arguments as hours_credit. Idempotent: None when a claim is already waiting
    or the hours already stand."""
    if hours <= 0:
        raise ValueError("学时必须为正数。")
    if not place_locked and not teacher_place_lock(teacher_id=teacher.pk, school_id=school.pk):
        raise CreditRefused(f"{teacher.display_name}不是{school.name}的在职教师，不能计入学时。")
    _lock_summaries(pairs=[(teacher.pk, cycle.pk)])  # queue with credits of this teacher
    if _standing(_source_entries(teacher_id=teacher.pk, source=source)).exists():
        return None
    try:
        with transaction.atomic():
            claim = HoursClaim.objects.create(
                teacher=teacher,
                cycle=cycle,
                school=school,
                content_type=ContentType.objects.get_for_model(source),
                object_id=source.pk,
                hours=hours,
                title=str(source)[:200],
                category=category,
                reason=reason[:200],
            )
    except IntegrityError:  # one is already waiting
        return None
    points = list(ability_points)
    if points:
        claim.ability_points.set(points)
    _tell(
        teacher_id=teacher.pk,
        message=f"{hours} 学时待学校管理员确认：{_what(claim)}。原因：组长本人在本组活动中的学时"
        f"须经学校管理员确认后计入。",
        kind="hours_claim",
    )
    return claim


def _lock_pending_claim(claim: HoursClaim, by: User) -> HoursClaim | None:
    if claim.teacher_id == by.pk:
        raise ValidationError("不能确认或驳回自己的学时，请由本校其他学校管理员处理。")
    # The row lock makes twenty confirms of one claim run one after another;
    # only the first still finds it pending.
    return (
        HoursClaim.objects.select_for_update(of=("self",))  # not the joined rows
        .filter(pk=claim.pk, status=HoursClaim.Status.PENDING)
        .select_related("teacher", "cycle", "school")
        .first()
    )


@transaction.atomic
def hours_claim_confirm(*, claim: HoursClaim, by: User) -> HoursEntry | None:
    """The school admin confirms a leader's own hours: the ledger credits them (and
    tells the leader). None if the claim was already decided."""
    locked = _lock_pending_claim(claim, by)
    if locked is None:
        return None
    entry = hours_credit(
        teacher=locked.teacher,
        cycle=locked.cycle,
        school=locked.school,
        source=locked.source,
        hours=locked.hours,
        category=locked.category,
        ability_points=list(locked.ability_points.all()),
        reason=f"学校管理员确认：{locked.reason}"[:200],
        by=by,
    )
    locked.status = HoursClaim.Status.CONFIRMED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.credit = entry
    locked.save(update_fields=["status", "decided_by", "decided_at", "credit"])
    return entry


@transaction.atomic
def hours_claim_reject(*, claim: HoursClaim, by: User, note: str) -> bool:
    """The school admin rejects a leader's own hours, saying why; the leader is told."""
    note = note.strip()
    if not note:
        raise ValidationError("请填写不予确认的原因。")
    locked = _lock_pending_claim(claim, by)
    if locked is None:
        return False
    locked.status = HoursClaim.Status.REJECTED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.decision_note = note[:200]
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    _tell(
        teacher_id=locked.teacher_id,
        message=f"{locked.hours} 学时未予确认：{_what(locked)}。原因：{note}；"
        f"操作人：{by.display_name}。",
        kind="hours_claim",
    )
    return True


# ---- 调岗移除: reverse every credit, withdraw every claim ------------------------


def _clear_hours(clearing: Clearing) -> dict:
    """Called by groups.services.teacher_remove under its lock on the place."""
    reversed_ = hours_reverse_teacher(
        teacher=clearing.place.user, reason=f"{REMOVAL_REASON}{clearing.reason}", by=clearing.by
    )
    return {"hours_credits": reversed_}


def _preview_hours(place: SchoolMembership) -> list[str]:
    standing = standing_hours(teacher=place.user)
    if standing["credits"]:
        return [
            f"研修学时：{standing['credits']} 条学时记录、共 {standing['hours']} 学时将被冲销"
            "（账本保留冲销记录）"
        ]
    return ["研修学时：暂无学时记录"]


# Registered by HoursConfig.ready(): every removal, whoever calls it, reverses hours.
def _hours_in_use(place: SchoolMembership) -> bool:
    """Credits earned at the place's school that stand (a removal reverses them)."""
    return HoursEntry.objects.filter(
        teacher_id=place.user_id,
        school_id=place.school_id,
        kind=HoursEntry.Kind.CREDIT,
        reversed_by__isnull=True,
    ).exists()


REMOVAL_CLEARER = Clearer(
    name="hours", clear=_clear_hours, preview=_preview_hours, in_use=_hours_in_use
)


# ---- 学时登记 ---------------------------------------------------------------

# Progress is saved after each chunk: small enough for a school's page to see it move.
REGISTER_CHUNK = 100


def registration_check(*, school: School, cycle: Cycle) -> None:
    """Hours are registered only once the school's acceptance has passed
    (DESIGN §2): every way in (the pass, the task, the operator's command)
    asks here, so no page can read 已登记 for a school still 待验收."""
    if not acceptance_passed(school_id=school.pk, cycle=cycle):
        raise RegistrationRefused(
            f"{school.name}的整校推进验收（{cycle.name}）尚未通过，不能登记学时；"
            "验收通过后会自动登记。"
        )


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
    """Register the counted hours of every active teacher of `school` for `cycle`,
    and bring earlier registrations up to date.

    The pass registers everyone; the daily refresh (registrations_refresh) runs
    this again while hours can still change, so a teacher who joins after the
    pass is registered and one whose counted hours moved since is updated
    (updated_at). Idempotent: one batch per school and cycle, one registration
    per teacher and cycle (both unique in the database); a run resuming after a
    crash, or a second run at once, registers nobody twice. Progress is saved
    after each chunk so a page can show it. Refused (RegistrationRefused) until
    the school's acceptance has passed.
    """
    registration_check(school=school, cycle=cycle)
    batch = _batch_for(school=school, cycle=cycle, by=by)
    teacher_ids = list(
        SchoolMembership.objects.teachers()
        .filter(school=school)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    batch.status = RegistrationBatch.Status.RUNNING
    batch.total, batch.done = len(teacher_ids), 0
    batch.save(update_fields=["status", "total", "done"])
    for start in range(0, len(teacher_ids), REGISTER_CHUNK):
        chunk = teacher_ids[start : start + REGISTER_CHUNK]
        with transaction.atomic():
            _register_chunk(chunk, school=school, cycle=cycle, batch=batch)
            RegistrationBatch.objects.filter(pk=batch.pk).update(done=F("done") + len(chunk))
    batch.status = RegistrationBatch.Status.DONE
    batch.registered = HoursRegistration.objects.filter(batch=batch).count()
    batch.finished_at = timezone.now()
    batch.done = batch.total
    batch.save(update_fields=["status", "registered", "finished_at", "done"])
    return batch


def _register_chunk(chunk: list[int], *, school: School, cycle: Cycle, batch) -> None:
    """Register the chunk's teachers not yet registered and update those whose
    counted or recorded hours changed since. A fixed number of queries."""
    totals = hours_totals_for(teacher_ids=chunk, cycle=cycle)
    now = timezone.now()
    existing = {
        r.teacher_id: r
        for r in HoursRegistration.objects.select_for_update().filter(
            cycle=cycle, teacher_id__in=chunk
        )
    }
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
            if t not in existing
        ],
        # A concurrent run may have registered some: the constraint keeps one.
        ignore_conflicts=True,
    )
    changed = []
    for teacher_id, registration in existing.items():
        now_counted, now_recorded = totals[teacher_id].counted, totals[teacher_id].recorded
        if (registration.hours, registration.recorded) != (now_counted, now_recorded):
            registration.hours, registration.recorded = now_counted, now_recorded
            registration.updated_at = now
            changed.append(registration)
    HoursRegistration.objects.bulk_update(changed, ["hours", "recorded", "updated_at"])


def registrations_refresh(*, today=None) -> int:
    """The daily refresh: re-run 学时登记 for every registered school whose
    cycle's hours can still change (the cycle has not ended, or ended within
    the extensions' reach); how many schools. Each school on its own, so one
    failure leaves the others done."""
    today = today or timezone.localdate()
    reach = datetime.timedelta(days=EXTENSION_DAYS_AFTER_CYCLE)
    batches = RegistrationBatch.objects.filter(
        cycle__starts_on__lte=today, cycle__ends_on__gte=today - reach
    ).select_related("school", "cycle")
    done = 0
    for batch in batches.order_by("pk").iterator():
        try:
            hours_register_school(school=batch.school, cycle=batch.cycle)
            done += 1
        except Exception:  # one school's bad data must not stop the others
            log.exception("registration refresh failed for school %s", batch.school_id)
    return done


def hours_register_school_later(
    *, school: School, cycle: Cycle, by: User | None = None
) -> RegistrationBatch:
    """Queue 学时登记 for a school as a Celery task, fired once the caller commits.
    Refused, like the registration itself, until the acceptance has passed."""
    from .tasks import register_school_hours

    registration_check(school=school, cycle=cycle)
    # The total is known now, so the progress shows "0/n" while the task waits.
    total = SchoolMembership.objects.teachers().filter(school=school).count()
    batch = _batch_for(school=school, cycle=cycle, by=by, total=total)
    by_id = by.pk if by else None
    transaction.on_commit(lambda: register_school_hours.delay(school.pk, cycle.pk, by_id))
    return batch
