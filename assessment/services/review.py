"""研修考核 (seed 001 §十一): the school passes or fails each teacher; only
complete teachers pass; the teacher sees a failure's reason. Every change of a
result goes through _move, checked against TRANSITIONS, and leaves a
ReviewDecision row."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Cycle, School, SchoolMembership, User
from accounts.notices import notify

from ..models import ReviewDecision, TeacherReview
from ..selectors import review_teachers, teacher_progress, teacher_progress_for
from .common import require_results_open, results_held
from .stats import school_stats_refresh

Result = TeacherReview.Result
SCHOOL, TEACHER = "school", "teacher"

# (from, to) -> who may make that move.
TRANSITIONS = {
    (Result.PENDING, Result.PASSED): SCHOOL,
    (Result.PENDING, Result.FAILED): SCHOOL,
    (Result.FAILED, Result.PASSED): SCHOOL,
    (Result.FAILED, Result.FAILED): SCHOOL,  # a new reason
    (Result.PASSED, Result.FAILED): SCHOOL,  # revoked, with a reason: unlocks the materials
    # The teacher changed their materials after a 不通过: the school looks again.
    (Result.FAILED, Result.PENDING): TEACHER,
}


def review_check_transition(*, current: str, to: str, actor: str) -> None:
    """The one check of a result change; refuses with a message."""
    if TRANSITIONS.get((current, to)) != actor:
        raise ValidationError(f"考核结果不能由“{Result(current).label}”改为“{Result(to).label}”。")


def _locked_review(*, teacher_id: int, school_id: int, cycle: Cycle) -> TeacherReview:
    """The teacher's review row, created 待考核 if missing, locked FOR UPDATE:
    two admins (or a double click) deciding at once queue here, and the second
    sees the first's result."""
    # INSERT ... ON CONFLICT DO NOTHING: two first decisions at once both get here.
    TeacherReview.objects.bulk_create(
        [TeacherReview(teacher_id=teacher_id, school_id=school_id, cycle=cycle)],
        ignore_conflicts=True,
    )
    return TeacherReview.objects.select_for_update().get(teacher_id=teacher_id, cycle=cycle)


def _move(*, review: TeacherReview, to: str, by: User, reason: str, actor: str) -> bool:
    """Change the result; False when it is already there (a retry stores nothing).
    The review keeps a reason only while 不通过; the decision row keeps every one."""
    shown = reason if to == Result.FAILED else ""
    if review.result == to and review.reason == shown:
        return False
    review_check_transition(current=review.result, to=to, actor=actor)
    now = timezone.now()
    ReviewDecision.objects.create(
        review=review, from_result=review.result, to_result=to, reason=reason, by=by, at=now
    )
    was = review.result
    review.result, review.reason = to, shown
    review.decided_by, review.decided_at = by, now
    review.save(update_fields=["result", "reason", "decided_by", "decided_at"])
    if was != to:  # the district's figures count the passed and the decided
        school_stats_refresh(school_ids=[review.school_id], cycle_id=review.cycle_id)
    return True


def _teacher_of(membership: SchoolMembership, *, by: User) -> User:
    if not membership.is_teacher or membership.removed_at is not None:
        raise ValidationError("只能考核本校在职教师。")
    # Nobody decides their own case (DESIGN §2, as evaluations and extensions).
    if membership.user_id == by.pk:
        raise ValidationError("不能考核自己，请由学校的其他管理员考核。")
    return membership.user


def _link() -> str:
    return reverse("assessment:mine")


@transaction.atomic
def review_pass(*, membership: SchoolMembership, cycle: Cycle, by: User) -> TeacherReview:
    """通过: only a complete teacher (plan, 25 hours, a summary per point, ≥ 3)."""
    teacher = _teacher_of(membership, by=by)
    require_results_open(school_id=membership.school_id, cycle=cycle)
    review = _locked_review(teacher_id=teacher.pk, school_id=membership.school_id, cycle=cycle)
    if review.result == Result.PASSED:
        return review
    progress = teacher_progress(teacher=teacher, cycle=cycle)
    if not progress.complete:
        missing = progress.next_step
        raise ValidationError(
            f"{teacher.display_name} 尚未完成全部要求（{missing.label}：{missing.figure}），"
            "不能通过。"
        )
    if _move(review=review, to=Result.PASSED, by=by, reason="", actor=SCHOOL):
        notify(
            users=[teacher],
            message=f"你的研修考核（{cycle.name}）已通过。",
            link=_link(),
            kind="review_result",
        )
    return review


@transaction.atomic
def review_fail(
    *, membership: SchoolMembership, cycle: Cycle, by: User, reason: str
) -> TeacherReview:
    """不通过, with a reason the teacher sees in their inbox and on 我的研修."""
    teacher = _teacher_of(membership, by=by)
    reason = reason.strip()
    if not reason:
        raise ValidationError("请填写不通过的原因（教师会看到）。")
    require_results_open(school_id=membership.school_id, cycle=cycle)
    review = _locked_review(teacher_id=teacher.pk, school_id=membership.school_id, cycle=cycle)
    if _move(review=review, to=Result.FAILED, by=by, reason=reason[:300], actor=SCHOOL):
        notify(
            users=[teacher],
            message=f"你的研修考核（{cycle.name}）未通过：{reason}",
            link=_link(),
            kind="review_result",
        )
    return review


@transaction.atomic
def review_pass_complete(*, school: School, cycle: Cycle, by: User) -> int:
    """Pass every complete teacher of the school still 待考核 but the one
    passing them (nobody decides their own case); how many. A 不通过 stays as
    decided: the school passes those one by one. Fixed queries."""
    review_check_transition(current=Result.PENDING, to=Result.PASSED, actor=SCHOOL)
    require_results_open(school_id=school.pk, cycle=cycle)
    ids = list(
        review_teachers(
            school_id=school.pk, cycle=cycle, completion="complete", result=Result.PENDING
        )
        .exclude(user_id=by.pk)
        .values_list("user_id", flat=True)
    )
    if not ids:
        return 0
    TeacherReview.objects.bulk_create(
        [TeacherReview(teacher_id=t, school=school, cycle=cycle) for t in ids],
        ignore_conflicts=True,
    )
    locked = list(
        TeacherReview.objects.select_for_update()
        .filter(teacher_id__in=ids, cycle=cycle, result=Result.PENDING)
        .order_by("teacher_id")
    )
    # Re-read completion under the locks: a teacher may have changed something.
    progress = teacher_progress_for(teacher_ids=[r.teacher_id for r in locked], cycle=cycle)
    passing = [r for r in locked if progress[r.teacher_id].complete]
    now = timezone.now()
    ReviewDecision.objects.bulk_create(
        ReviewDecision(review=r, from_result=r.result, to_result=Result.PASSED, by=by, at=now)
        for r in passing
    )
    TeacherReview.objects.filter(pk__in=[r.pk for r in passing]).update(
        result=Result.PASSED, reason="", decided_by=by, decided_at=now
    )
    school_stats_refresh(school_ids=[school.pk], cycle_id=cycle.pk)
    notify(
        users=[r.teacher_id for r in passing],
        message=f"你的研修考核（{cycle.name}）已通过。",
        link=_link(),
        kind="review_result",
    )
    return len(passing)


def review_passed_of(places: list[tuple[int, int, int]]) -> list[str]:
    """hours.passed: of these (teacher_id, cycle_id, school_id), the names of
    those whose review in that cycle is 通过. Their review rows are made if
    missing and locked, as a decision takes them (_locked_review; call inside
    the ledger's transaction): a 通过 racing the reversal either committed
    first and is seen here, or waits, then reads the hours the reversal left
    and finds the teacher incomplete."""
    TeacherReview.objects.bulk_create(
        [TeacherReview(teacher_id=t, cycle_id=c, school_id=s) for t, c, s in places],
        ignore_conflicts=True,
    )
    q = Q()
    for teacher_id, cycle_id, _ in places:
        q |= Q(teacher_id=teacher_id, cycle_id=cycle_id)
    reviews = (
        TeacherReview.objects.select_for_update(of=("self",))  # not the user rows
        .filter(q)
        .select_related("teacher")
        .order_by("teacher_id", "cycle_id")
    )
    return [r.teacher.display_name for r in reviews if r.result == Result.PASSED]


def review_reopen(*, teacher: User, cycle: Cycle) -> None:
    """After a 不通过 the teacher changed their materials: back to 待考核 so the
    school looks again. Call inside the material write's transaction.

    Not while the school's acceptance holds its results (common.results_held):
    the material is stored, the 不通过 stands as submitted. The hold is asked
    (its row locked) before the review's row, in the order the school's own
    decisions take them."""
    failed = TeacherReview.objects.filter(teacher=teacher, cycle=cycle, result=Result.FAILED)
    school_id = failed.values_list("school_id", flat=True).first()
    if school_id is None or results_held(school_id=school_id, cycle=cycle):
        return
    review = failed.select_for_update().first()
    if review is not None:
        _move(review=review, to=Result.PENDING, by=teacher, reason="教师已更新材料", actor=TEACHER)
