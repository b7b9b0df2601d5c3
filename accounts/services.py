"""Writes for people and places. Views, commands and the demo call these.

A school's forms and imports act only on people whose every role is in that
school (accounts.access.people_beyond_school): they never attach, change or
reset anyone else, and never overwrite an existing person's name or phone."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .access import BEYOND_SCHOOL_MESSAGE, people_beyond_school, person_within_school
from .compiled import CompiledRead
from .figures import school_figures_changed
from .holds import (
    CORRECTED,
    FULL_TIME,
    ID_NUMBER,
    JOINED,
    held,
    held_record,
    person_line,
    require_not_held,
)
from .idnumbers import mask_id_number, mask_phone
from .models import IdNumberRefusal, PasswordReset, School, SchoolMembership, User
from .notices import notify
from .passwords import password_generate, password_hash_initial
from .selectors import cycle_current


class PersonBeyondSchool(Exception):
    """The person holds a role outside the school: its forms may not touch them."""

    def __init__(self, message: str = BEYOND_SCHOOL_MESSAGE):
        super().__init__(message)


# ---- the number oracle (attack report 1 §1, outside test 8 F1) -----------------------
#
# "This number belongs to someone the school may not touch" cannot go unsaid:
# ID numbers are unique and an outsider may not be attached; a phone is a login
# name and belongs to one person. But each such answer tells that the number
# exists on the platform, so a school gets a small number of them a day;
# beyond it nothing is checked at all that day.

ID_REFUSALS_PER_DAY = 10
ID_CHECKS_SPENT = (
    "今天本校已多次填写不由本校管理的人员的身份证号或手机号，为保护个人信息，今天不能再"
    "添加、修改或导入教师。请明天再试；如确需办理，请联系区县教育局管理员（教育局）。"
)


@dataclass(frozen=True)
class IdScreen:
    # Nothing may be said about any of the numbers today (the budget is used up,
    # or these numbers would exceed it): the caller refuses as a whole.
    spent: bool = False
    # The ID numbers that belong to people the school may not touch; each refusal
    # is recorded. Within the budget the caller may say so, row by row.
    beyond: frozenset[str] = frozenset()


def _day_start():
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


@transaction.atomic
def numbers_screen(
    *,
    school: School,
    by: User | None,
    id_numbers: Iterable[str] = (),
    phones: Iterable[tuple[str, str]] = (),
    via: str,
) -> IdScreen:
    """Before a roster form or import says anything about numbers: count and
    record the ones it would refuse because they tell of people outside the
    school. An ID number of someone the school may not touch
    (people_beyond_school, not its own teachers); a phone, given as (phone, the
    ID number beside it), held as phone or login name by someone who is not
    the school's and not the person that ID number names. The whole set is
    judged before anything is reported, so the answer never depends on the
    order of the rows.

    Why the lock: the school row is locked while counting and recording, so
    twenty requests at once cannot each find budget left."""
    list(School.objects.select_for_update().filter(pk=school.pk).values_list("pk"))
    used = IdNumberRefusal.objects.filter(school=school, at__gte=_day_start()).count()
    if used >= ID_REFUSALS_PER_DAY:
        return IdScreen(spent=True)
    refused = _id_numbers_beyond(school, set(id_numbers))
    taken = _phones_outside(school, list(phones))
    IdNumberRefusal.objects.bulk_create(
        [
            IdNumberRefusal(school=school, by=by, masked_id_number=mask_id_number(n), via=via)
            for n in sorted(refused)
        ]
        + [
            IdNumberRefusal(school=school, by=by, masked_phone=mask_phone(p), via=via)
            for p in sorted(taken)
        ]
    )
    spent = used + len(refused) + len(taken) > ID_REFUSALS_PER_DAY
    # Within the budget the callers say which phones are taken, row by row, as
    # they find them (accounts.roster, accounts.forms).
    return IdScreen(spent=spent, beyond=refused)


def _id_numbers_beyond(school: School, id_numbers: set[str]) -> frozenset[str]:
    if not id_numbers:
        return frozenset()
    holders = dict(User.objects.filter(id_number__in=id_numbers).values_list("pk", "id_number"))
    beyond = people_beyond_school(school_id=school.pk, user_ids=holders) - _own(school, holders)
    return frozenset(holders[pk] for pk in beyond)


def _phones_outside(school: School, phones: list[tuple[str, str]]) -> frozenset[str]:
    wanted = {phone for phone, _ in phones if phone}
    if not wanted:
        return frozenset()
    holders = {}
    for pk, phone, username, id_number in User.objects.filter(
        Q(phone__in=wanted) | Q(username__in=wanted)
    ).values_list("pk", "phone", "username", "id_number"):
        # A phone is taken by whoever has it as phone or as login name.
        for number in {phone, username} & wanted:
            holders[number] = (pk, id_number)
    own = _own(school, [pk for pk, _ in holders.values()])
    return frozenset(
        phone
        for phone, beside in phones
        if phone in holders
        and holders[phone][0] not in own
        # The row's own person (the phone beside their ID number) is judged by the number.
        and not (beside and holders[phone][1] == beside)
    )


def _own(school: School, user_ids) -> set[int]:
    return set(
        SchoolMembership.objects.active()
        .filter(school=school, user_id__in=list(user_ids))
        .values_list("user_id", flat=True)
    )


@dataclass
class TeacherData:
    real_name: str
    phone: str
    id_number: str
    subject: str = ""
    stage: str = ""
    is_full_time: bool = True


@dataclass(frozen=True)
class IssuedPassword:
    """A generated password, to be shown once to the admin who issued it."""

    real_name: str
    login: str
    password: str


@dataclass
class TeachersAdded:
    memberships: list[SchoolMembership] = field(default_factory=list)
    # New people only: a person already on the platform keeps their own password.
    passwords: list[IssuedPassword] = field(default_factory=list)
    # People already on the platform (a transfer), attached as they are.
    existing: list[User] = field(default_factory=list)


def _new_user(data: TeacherData, password: str) -> User:
    return User(
        username=data.phone,
        real_name=data.real_name,
        phone=data.phone,
        id_number=data.id_number,
        password=password_hash_initial(password),
        must_change_password=True,
    )


@transaction.atomic
def teachers_add(
    *, school: School, rows: list[TeacherData], by: User | None = None
) -> TeachersAdded:
    """Adds teachers to the school: new people get an account with a random
    initial password; people already on the platform (transferred, no place
    and no role anywhere else) are attached with their own name, phone and
    password unchanged, since the school's data must never overwrite them, and
    are told so in their inbox. Each place records who added it (`by`). A few
    queries for any number of rows (a roster import).

    Raises PersonBeyondSchool for anyone the school may not attach, and
    IntegrityError when another request added the same person meanwhile."""
    known = {u.id_number: u for u in User.objects.filter(id_number__in=[d.id_number for d in rows])}
    if people_beyond_school(school_id=school.pk, user_ids=[u.pk for u in known.values()]):
        raise PersonBeyondSchool()
    held_now = _rejoins_checked(school=school, rows=rows, known=known)
    new = [d for d in rows if d.id_number not in known]
    passwords = {d.id_number: password_generate() for d in new}
    created = User.objects.bulk_create([_new_user(d, passwords[d.id_number]) for d in new])
    users = {**known, **{u.id_number: u for u in created}}
    memberships = SchoolMembership.objects.bulk_create(
        [
            SchoolMembership(
                user=users[d.id_number],
                school=school,
                is_teacher=True,
                is_full_time=d.is_full_time,
                subject=d.subject,
                stage=d.stage,
                added_by=by,
            )
            for d in rows
        ]
    )
    school_figures_changed(school_ids=[school.pk])
    if held_now:
        counted = {True: "专任教师", False: "非专任"}
        lines = [
            f"加入本校 {person_line(users[d.id_number])}，{counted[d.is_full_time]}" for d in rows
        ]
        held_record(school_id=school.pk, cycle=held_now, kind=JOINED, lines=lines, by=by)
    _tell_transferred(
        school=school, users=[known[d.id_number] for d in rows if d.id_number in known], by=by
    )
    return TeachersAdded(
        memberships=memberships,
        passwords=[IssuedPassword(d.real_name, d.phone, passwords[d.id_number]) for d in new],
        existing=[known[d.id_number] for d in rows if d.id_number in known],
    )


def _rejoins_checked(*, school: School, rows: list[TeacherData], known: dict):
    """While the school's acceptance holds its 专任 flags: a 专任教师 who left
    the school this cycle comes back only as 专任 (leaving and joining again
    as 非专任 would take them out of the 95% gate). Returns the cycle when
    held (each joining is then kept in the acceptance's history), else None.
    Locks the acceptance's row (inside teachers_add's transaction)."""
    cycle = cycle_current()
    refusal = held(school_id=school.pk, cycle=cycle, what=FULL_TIME)
    if not refusal:
        return None
    part_time = {known[d.id_number].pk for d in rows if d.id_number in known and not d.is_full_time}
    left = (
        SchoolMembership.objects.filter(
            school=school,
            user_id__in=part_time,
            removed_at__isnull=False,
            removed_at__date__gte=cycle.starts_on,
            is_teacher=True,
            is_full_time=True,
        )
        .select_related("user")
        .first()
    )
    if left is not None:
        raise ValidationError(
            f"{left.user.display_name} 本周期曾以专任教师身份在本校调岗移除，"
            f"只能作为专任教师重新加入。{refusal}"
        )
    return cycle


def _tell_transferred(*, school: School, users: list[User], by: User | None) -> None:
    """A person already on the platform learns that a school placed them on its
    roster (attack report 1 §7): moving someone is never silent."""
    who = f"（操作人：{by.display_name}）" if by is not None else ""
    notify(
        users=users,
        message=(
            f"{school.name}于 {timezone.localtime():%Y-%m-%d %H:%M} 将你加入了本校教师名单{who}。"
            "你的账号、姓名、手机号和密码不变。如有疑问，请联系该校管理员。"
        ),
        kind="school_joined",
    )


def teacher_add(
    *, school: School, data: TeacherData, by: User | None = None
) -> TeachersAdded | None:
    """Adds one teacher (see teachers_add). Returns None when the same person
    was added to the school by a request running at the same moment (a double
    click): the first request's page shows the password, this one adds nothing."""
    try:
        return teachers_add(school=school, rows=[data], by=by)
    except IntegrityError:
        if (
            SchoolMembership.objects.active()
            .filter(school=school, user__id_number=data.id_number)
            .exists()
        ):
            return None
        raise


def teacher_password_reset(*, membership: SchoolMembership, by: User) -> str:
    """A new random one-time password for a teacher of the school, returned to
    be shown once to the admin; the teacher must change it at the next login,
    is told in their inbox, and an audit row records who reset whom. Any login
    lockout of the account is lifted. Refused (PersonBeyondSchool) for anyone
    with a role outside the school."""
    from axes.utils import reset as axes_reset

    if not person_within_school(school_id=membership.school_id, user=membership.user):
        raise PersonBeyondSchool()
    password = password_generate()
    with transaction.atomic():
        # The row lock orders two resets of one person (a double click): each
        # stores its password and its audit row whole.
        user = User.objects.select_for_update().get(pk=membership.user_id)
        user.password = password_hash_initial(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        PasswordReset.objects.create(user=user, by=by, school_id=membership.school_id)
        notify(
            users=[user],
            message=(
                f"你的登录密码已于 {timezone.localtime():%Y-%m-%d %H:%M} 由本校管理员"
                f"{by.display_name}重置，下次登录时须设置新密码。如非你本人要求，请联系本校管理员。"
            ),
            kind="password_reset",
        )
    axes_reset(username=user.get_username())
    return password


def _corrected(changed: list[str], user: User, data: TeacherData) -> str:
    """The name and phone corrections of a teacher, as the history says them
    (read before the user's fields are set)."""
    parts = []
    if "real_name" in changed:
        parts.append(f"姓名：{user.real_name} → {data.real_name}")
    if "phone" in changed:
        parts.append(f"手机号：{mask_phone(user.phone or '')} → {mask_phone(data.phone)}")
    return "，".join(parts)


def teacher_update(
    *, membership: SchoolMembership, data: TeacherData, by: User | None = None
) -> bool:
    """Updates a teacher's details; returns whether anything changed. The
    person's own name, phone and ID number change only for people whose every
    role is in this school (PersonBeyondSchool otherwise); the place's subject,
    stage and 专任 flag are the school's to set, the 专任 flag not while the
    school's acceptance holds it (ValidationError)."""
    user = membership.user
    user_fields = {"real_name": data.real_name, "phone": data.phone, "id_number": data.id_number}
    place_fields = {"subject": data.subject, "stage": data.stage, "is_full_time": data.is_full_time}
    changed_user = [f for f, v in user_fields.items() if getattr(user, f) != v]
    changed_place = [f for f, v in place_fields.items() if getattr(membership, f) != v]
    if not (changed_user or changed_place):
        return False  # no transaction: a re-imported roster is mostly unchanged rows
    if changed_user and not person_within_school(school_id=membership.school_id, user=user):
        raise PersonBeyondSchool()
    if "phone" in changed_user and user.username == user.phone:
        # Teachers log in with their phone: a login made from the old number
        # moves with it, so the old number no longer logs in and is free for
        # its real owner (attack report 1 §6).
        user_fields["username"] = data.phone
        changed_user.append("username")
    corrected = _corrected(changed_user, user, data)
    for f in changed_user:
        setattr(user, f, user_fields[f])
    for f in changed_place:
        setattr(membership, f, place_fields[f])
    with transaction.atomic():
        # Only what the acceptance may hold asks for the cycle (an import
        # updates up to 3,000 rows, most changing a subject or nothing held).
        held_fields = {"is_full_time", "id_number"} & {*changed_place, *changed_user}
        cycle = cycle_current() if corrected or held_fields else None
        school_id = membership.school_id
        if "is_full_time" in changed_place:
            # The 95% gate counts 专任教师: held with the school's results
            # from 提交验收 on (accounts.holds), checked before any write.
            require_not_held(school_id=school_id, cycle=cycle, what=FULL_TIME)
        if "id_number" in changed_user:
            require_not_held(school_id=school_id, cycle=cycle, what=ID_NUMBER)
        if corrected:
            # The history names people by account; what the school renames
            # them to while held is kept beside it.
            line = f"更正 {person_line(user)} 的{corrected}"
            held_record(school_id=school_id, cycle=cycle, kind=CORRECTED, lines=[line], by=by)
        if changed_user:
            user.save(update_fields=changed_user)
        if changed_place:
            membership.save(update_fields=changed_place)
        if "is_full_time" in changed_place:
            school_figures_changed(school_ids=[membership.school_id])
    return True


def teachers_passwords_reissue(*, school: School, by: User) -> list[IssuedPassword]:
    """New random initial passwords for the school's teachers who have never
    logged in and still must choose a password: for a lost password file, and
    for teachers imported before passwords were random (they have none usable).
    Each is audited and told, like a reset; people with a role outside the
    school are left alone. Returns the passwords, to be shown once."""
    ids = list(
        SchoolMembership.objects.teachers()
        .filter(school=school, user__must_change_password=True, user__last_login__isnull=True)
        .values_list("user_id", flat=True)
    )
    ids = sorted(set(ids) - people_beyond_school(school_id=school.pk, user_ids=ids))
    with transaction.atomic():
        # Locked, so two admins re-issuing at once can't each hand out passwords
        # that the other's write replaced.
        users = list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        issued = []
        for user in users:
            password = password_generate()
            user.password = password_hash_initial(password)
            issued.append(IssuedPassword(user.real_name, user.phone or user.username, password))
        User.objects.bulk_update(users, ["password"], batch_size=500)
        PasswordReset.objects.bulk_create(
            [PasswordReset(user=u, by=by, school=school) for u in users], batch_size=500
        )
        notify(
            users=users,
            message=(
                f"本校管理员{by.display_name}于 {timezone.localtime():%Y-%m-%d %H:%M} "
                "为你重新生成了初始密码，请向本校管理员索取；首次登录时须设置新密码。"
            ),
            kind="password_reset",
        )
    return issued


def user_email_set(*, user: User, email: str) -> User:
    """The address the person's notices are also mailed to (empty: none)."""
    user.email = (email or "").strip()
    user.save(update_fields=["email"])
    return user


# The place lock ----------------------------------------------------------------


def teacher_place_lock(*, teacher_id: int, school_id: int) -> bool:
    """Lock the teacher's active place in the school FOR UPDATE; False if they hold
    none (removed, never placed there, not a teacher). Call inside atomic().

    Why the lock: 调岗移除 locks the same row before it clears and reverses, so a
    credit and a removal of the same teacher run one after the other. A credit
    that started first commits first and is then reversed by the removal; one
    that comes second finds the place removed and credits nothing. Completion
    paths call this before touching any other row, in the order removal takes
    its locks (place first), so the two never deadlock."""
    return bool(_PLACE_LOCK.rows(teacher=teacher_id, school=school_id))


def teacher_places_lock(*, teacher_ids: Iterable[int], school_id: int) -> set[int]:
    """teacher_place_lock for many teachers in one query: locks the active
    teacher places of `teacher_ids` in the school FOR UPDATE, in user order (so
    two callers locking overlapping sets queue instead of deadlocking), and
    returns the ids that hold one. Call inside atomic()."""
    ids = sorted(set(teacher_ids))
    if not ids:
        return set()
    return set(
        _places_locked(school_id)
        .filter(user_id__in=ids)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def _places_locked(school_id: int):
    return SchoolMembership.objects.teachers().select_for_update().filter(school_id=school_id)


# Every member action and every credit takes it: compiled once per process
# (accounts.compiled), on its first call, which is inside a transaction.
_PLACE_LOCK = CompiledRead(
    lambda teacher, school: _places_locked(school).filter(user_id=teacher).values("user_id"),
    "teacher",
    "school",
)
