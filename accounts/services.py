"""Writes for people and places. Views, commands and the demo call these."""

from dataclasses import dataclass

from django.db import transaction

from .idnumbers import normalize_id_number
from .models import School, SchoolMembership, User


def initial_password(id_number: str) -> str:
    """Imported teachers start with the last six characters of their ID number
    and must change it at first login (a common practice schools already know)."""
    return normalize_id_number(id_number)[-6:]


@dataclass
class TeacherData:
    real_name: str
    phone: str
    id_number: str
    subject: str = ""
    stage: str = ""
    is_full_time: bool = True


def _new_user(data: TeacherData) -> User:
    user = User(
        username=data.phone,
        real_name=data.real_name,
        phone=data.phone,
        id_number=data.id_number,
        must_change_password=True,
    )
    # The initial password (last six of the ID number) is checked by the login
    # backend, not hashed here (see backends.PhoneOrUsernameBackend): hashing
    # is slow by design and a roster holds hundreds of teachers.
    user.set_unusable_password()
    return user


@transaction.atomic
def teachers_add(*, school: School, rows: list[TeacherData]) -> list[SchoolMembership]:
    """Adds teachers to the school, creating the people who are new to the
    platform; a few queries for any number of rows (a roster import)."""
    known = {u.id_number: u for u in User.objects.filter(id_number__in=[d.id_number for d in rows])}
    for data in rows:  # people already on the platform, e.g. transferred from another school
        user = known.get(data.id_number)
        if user and (user.real_name, user.phone) != (data.real_name, data.phone):
            user.real_name, user.phone = data.real_name, data.phone
            user.save(update_fields=["real_name", "phone"])
    created = User.objects.bulk_create([_new_user(d) for d in rows if d.id_number not in known])
    users = {**known, **{u.id_number: u for u in created}}
    return SchoolMembership.objects.bulk_create(
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


def teacher_add(*, school: School, data: TeacherData) -> SchoolMembership:
    """Adds one teacher to the school (creating the person if new)."""
    return teachers_add(school=school, rows=[data])[0]


def teacher_password_reset(*, membership: SchoolMembership) -> str:
    """Back to the initial password (last six of the ID number), to be changed at
    the next login; any login lockout for the account is lifted. Returns a hint
    of the password for the admin to pass on, never the password in full."""
    from axes.utils import reset as axes_reset

    user = membership.user
    user.set_unusable_password()  # the login backend accepts the initial password again
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    for login in {user.username, user.phone} - {None, ""}:
        axes_reset(username=login)
    return "身份证号后 6 位"


def teacher_update(*, membership: SchoolMembership, data: TeacherData) -> bool:
    """Updates a teacher's details; returns whether anything changed."""
    user = membership.user
    user_fields = {"real_name": data.real_name, "phone": data.phone, "id_number": data.id_number}
    place_fields = {"subject": data.subject, "stage": data.stage, "is_full_time": data.is_full_time}
    changed_user = [f for f, v in user_fields.items() if getattr(user, f) != v]
    changed_place = [f for f, v in place_fields.items() if getattr(membership, f) != v]
    if not (changed_user or changed_place):
        return False  # no transaction: a re-imported roster is mostly unchanged rows
    for f in changed_user:
        setattr(user, f, user_fields[f])
    for f in changed_place:
        setattr(membership, f, place_fields[f])
    with transaction.atomic():
        if changed_user:
            user.save(update_fields=changed_user)
        if changed_place:
            membership.save(update_fields=changed_place)
    return True
