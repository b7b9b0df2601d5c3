"""延期 of one teacher's materials for the cycle (提升计划, 能力点, 提升总结, 测评
证据): the school admin only. The grant itself, its bounds, audit and notice are
activities.services.extensions'; the teacher's current last day is the
materials rule's (selectors.rules.materials_last_day), read under the lock on
their place so two grants are checked one after the other."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from accounts.models import Cycle, SchoolMembership
from accounts.services import teacher_place_lock
from activities.models import Extension
from activities.services import ActivityError, extension_grant

from ..selectors.rules import materials_last_day


def extension_grant_materials(
    *, membership: SchoolMembership, cycle: Cycle, until, reason: str, by, token=None
) -> Extension:
    teacher = membership.user
    if teacher.pk == by.pk:
        raise ValidationError("不能为自己延期，请联系本校其他学校管理员。")
    with transaction.atomic():
        if not teacher_place_lock(teacher_id=teacher.pk, school_id=membership.school_id):
            raise ValidationError("该教师已不是本校在职教师，不能延期。")
        try:
            return extension_grant(
                scope=Extension.Scope.MATERIALS,
                teacher=teacher,
                school=membership.school,
                cycle=cycle,
                current_last=materials_last_day(teacher=teacher, cycle=cycle),
                until=until,
                reason=reason,
                by=by,
                what=f"研修周期“{cycle.name}”个人材料（提升计划、能力点、提升总结、测评证据）",
                link=reverse("assessment:mine"),
                token=token,
            )
        except ActivityError as error:
            raise ValidationError(str(error)) from None
