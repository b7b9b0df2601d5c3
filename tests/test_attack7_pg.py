"""Outside test 7, on PostgreSQL where the races are real:

- 调岗移除 racing a school admin who makes the teacher a group's leader, or a
  leader who adds them to a group: whichever goes first, a removed teacher
  ends leading no group and in no group of the school (both writes lock the
  teacher's place, the row the removal locks first);
- the info team's 合格/不合格 locks only the evaluation's row, not the ability
  point a teacher's new point choices need a key share of at commit (it
  deadlocked with the school figures' lock: 500s).
"""

import threading
import time
from unittest import mock

from django.core.exceptions import ValidationError
from django.db import connections, transaction

from accounts.models import User
from assessment.services.evaluation import _locked
from groups.models import AbilityPoint, GroupMember, ResearchGroup
from groups.services import group_member_add, group_update, teacher_remove

from . import factories as f
from . import factories_assessment as fm
from .concurrency import postgres_only, run_at_once

pytestmark = postgres_only("a removal and an assignment cannot interleave there")

ROUNDS = 3
# How long each assignment waits between its check and its write: long enough
# for the removal to run whole in between, when the check takes no lock.
PAUSE = 0.3


def _refused(call):
    """The call, or "refused" when it refuses (a removed teacher is)."""

    def run():
        try:
            return call()
        except ValidationError:
            return "refused"

    return run


def _slowed(method):
    """`method` that pauses first: the write after a check, held back."""

    def slow(*args, **kwargs):
        time.sleep(PAUSE)
        return method(*args, **kwargs)

    return slow


def test_a_teacher_removed_while_made_a_leader_leads_nothing(cast):
    admin = cast.school_admin
    for n in range(ROUNDS):
        teacher = f.teacher(cast.school, f"调走老师{n}")
        group = ResearchGroup.objects.create(school=cast.school, name=f"组{n}")
        place = teacher.memberships.get(removed_at__isnull=True)

        def remove(place=place):
            time.sleep(PAUSE / 3)  # the assignment checks first
            teacher_remove(membership=place, by=admin, reason="调岗")

        def lead(group=group, teacher=teacher):
            fresh = ResearchGroup.objects.get(pk=group.pk)
            return group_update(group=fresh, name=fresh.name, leader=teacher, by=admin)

        with mock.patch.object(ResearchGroup, "save", _slowed(ResearchGroup.save)):
            run_at_once(remove, _refused(lead))
        place.refresh_from_db()
        assert place.removed_at is not None
        assert not ResearchGroup.objects.filter(leader=teacher).exists()
        assert not GroupMember.objects.filter(user=teacher).exists()


def test_a_teacher_removed_while_added_to_a_group_is_in_none(cast):
    leader = f.teacher(cast.school, "组长")
    group = ResearchGroup.objects.create(school=cast.school, name="语文组", leader=leader)
    members = GroupMember.objects
    for n in range(ROUNDS):
        teacher = f.teacher(cast.school, f"调走老师{n}")
        place = teacher.memberships.get(removed_at__isnull=True)

        def remove(place=place):
            time.sleep(PAUSE / 3)  # the addition checks first
            teacher_remove(membership=place, by=cast.school_admin, reason="调岗")

        def add(teacher=teacher):
            return group_member_add(group=group, users=[teacher], by=leader)

        with mock.patch.object(type(members), "bulk_create", _slowed(type(members).bulk_create)):
            run_at_once(remove, _refused(add))
        place.refresh_from_db()
        assert place.removed_at is not None
        assert not GroupMember.objects.filter(user=teacher).exists()


def test_assessing_an_evaluation_leaves_its_point_and_teacher_unlocked(cast):
    mats = fm.mats_setup(cast)
    fm.choose(cast, cast.teacher, mats.keys[:3])
    evaluation = fm.submit_evaluation(cast, cast.teacher, mats.keys[0])
    holding, done = threading.Event(), threading.Event()

    def assess():
        try:
            with transaction.atomic():
                _locked(evaluation)
                holding.set()
                done.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=assess)
    thread.start()
    try:
        assert holding.wait(10)
        with transaction.atomic():  # NOWAIT: an error at once if the row is locked
            point = AbilityPoint.objects.select_for_update(nowait=True).filter(
                pk=evaluation.point_id
            )
            teacher = User.objects.select_for_update(nowait=True).filter(pk=cast.teacher.pk)
            assert list(point) and list(teacher)
    finally:
        done.set()
        thread.join()
