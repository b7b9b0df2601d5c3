"""Writes for people and places. Views, commands and the demo call these.

A school's forms and imports act only on people whose every role is in that
school (accounts.access.people_beyond_school): they never attach, change or
reset anyone else, and never overwrite an existing person's name or phone."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from .access import BEYOND_SCHOOL_MESSAGE, people_beyond_school, person_within_school
from .figures import school_figures_changed
from .models import PasswordReset, School, SchoolMembership, User
from .notices import notify
from .passwords import password_generate, password_hash_initial


class PersonBeyondSchool(Exception):
    """The person holds a role outside the school: its forms may not touch them."""

    def __init__(self, message: str = BEYOND_SCHOOL_MESSAGE):
        super().__init__(message)


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
def teachers_add(*, school: School, rows: list[TeacherData]) -> TeachersAdded:
    """Adds teachers to the school: new people get an account with a random
    initial password; people already on the platform (transferred, no place
    and no role anywhere else) are attached with their own name, phone and
    password unchanged, since the school's data must never overwrite them.
    A few queries for any number of rows (a roster import).

    Raises PersonBeyondSchool for anyone the school may not attach, and
    IntegrityError when another request added the same person meanwhile."""
    known = {u.id_number: u for u in User.objects.filter(id_number__in=[d.id_number for d in rows])}
    if people_beyond_school(school_id=school.pk, user_ids=[u.pk for u in known.values()]):
        raise PersonBeyondSchool()
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
            )
            for d in rows
        ]
    )
    school_figures_changed(school_ids=[school.pk])
    return TeachersAdded(
        memberships=memberships,
        passwords=[IssuedPassword(d.real_name, d.phone, passwords[d.id_number]) for d in new],
        existing=[known[d.id_number] for d in rows if d.id_number in known],
    )


def teacher_add(*, school: School, data: TeacherData) -> TeachersAdded | None:
    """Adds one teacher (see teachers_add). Returns None when the same person
    was added to the school by a request running at the same moment (a double
    click): the first request's page shows the password, this one adds nothing."""
    try:
        return teachers_add(school=school, rows=[data])
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


def teacher_update(*, membership: SchoolMembership, data: TeacherData) -> bool:
    """Updates a teacher's details; returns whether anything changed. The
    person's own name, phone and ID number change only for people whose every
    role is in this school (PersonBeyondSchool otherwise); the place's subject,
    stage and 专任 flag are the school's to set."""
    user = membership.user
    user_fields = {"real_name": data.real_name, "phone": data.phone, "id_number": data.id_number}
    place_fields = {"subject": data.subject, "stage": data.stage, "is_full_time": data.is_full_time}
    changed_user = [f for f, v in user_fields.items() if getattr(user, f) != v]
    changed_place = [f for f, v in place_fields.items() if getattr(membership, f) != v]
    if not (changed_user or changed_place):
        return False  # no transaction: a re-imported roster is mostly unchanged rows
    if changed_user and not person_within_school(school_id=membership.school_id, user=user):
        raise PersonBeyondSchool()
    for f in changed_user:
        setattr(user, f, user_fields[f])
    for f in changed_place:
        setattr(membership, f, place_fields[f])
    with transaction.atomic():
        if changed_user:
            user.save(update_fields=changed_user)
        if changed_place:
            membership.save(update_fields=changed_place)
        if "is_full_time" in changed_place:  # the 95% gate counts 专任教师
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
