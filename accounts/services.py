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


def _user_for(data: TeacherData) -> User:
    user = User.objects.filter(id_number=data.id_number).first()
    if user is None:
        user = User(username=data.phone, id_number=data.id_number, must_change_password=True)
        user.set_password(initial_password(data.id_number))
    user.real_name = data.real_name
    user.phone = data.phone
    user.save()
    return user


@transaction.atomic
def teacher_add(*, school: School, data: TeacherData) -> SchoolMembership:
    """Adds a teacher to the school (creating the person if new)."""
    user = _user_for(data)
    return SchoolMembership.objects.create(
        user=user,
        school=school,
        is_teacher=True,
        is_full_time=data.is_full_time,
        subject=data.subject,
        stage=data.stage,
    )


def teacher_password_reset(*, membership: SchoolMembership) -> str:
    """Back to the initial password (last six of the ID number), to be changed at
    the next login; any login lockout for the account is lifted. Returns a hint
    of the password for the admin to pass on, never the password in full."""
    from axes.utils import reset as axes_reset

    user = membership.user
    user.set_password(initial_password(user.id_number or ""))
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    for login in {user.username, user.phone} - {None, ""}:
        axes_reset(username=login)
    return "身份证号后 6 位"


@transaction.atomic
def teacher_update(*, membership: SchoolMembership, data: TeacherData) -> bool:
    """Updates a teacher's details; returns whether anything changed."""
    user = membership.user
    user_fields = {"real_name": data.real_name, "phone": data.phone, "id_number": data.id_number}
    place_fields = {"subject": data.subject, "stage": data.stage, "is_full_time": data.is_full_time}
    changed_user = [f for f, v in user_fields.items() if getattr(user, f) != v]
    changed_place = [f for f, v in place_fields.items() if getattr(membership, f) != v]
    for f in changed_user:
        setattr(user, f, user_fields[f])
    for f in changed_place:
        setattr(membership, f, place_fields[f])
    if changed_user:
        user.save(update_fields=changed_user)
    if changed_place:
        membership.save(update_fields=changed_place)
    return bool(changed_user or changed_place)
