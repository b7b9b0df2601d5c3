"""What every write of teacher materials shares: the place lock, the time rule,
the review lock, the acceptance's hold on the school's results, and storing
files outside the transaction."""

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction

from accounts.models import Cycle, School, User
from accounts.services import teacher_place_lock
from activities.files import UploadPolicy, UploadRefused, check_upload

from ..models import Acceptance, AcceptanceEvent, TeacherReview, generated_name
from ..selectors import materials_closed_message_for, materials_open
from ..selectors.acceptance import RESULTS, acceptance_status, results_hold

LOCKED = "研修考核已通过，个人提升计划、能力点和提升总结已锁定；如需修改，请联系学校管理员。"


def lock_place(*, teacher: User, school: School) -> None:
    """Lock the teacher's active place in the school (hours.services.
    teacher_place_lock, the one place lock), or refuse if they have none.

    Why the lock: every write of one teacher's materials queues on this row, so
    a double submit sees what the first one stored (one plan, one set of
    choices), and a 调岗 removal, which locks the same row before its clearers
    run, never interleaves with a write to the records it archives."""
    if not teacher_place_lock(teacher_id=teacher.pk, school_id=school.pk):
        raise ValidationError("你已不是本校在职教师，不能提交材料。")


def results_held(*, school_id: int, cycle: Cycle | int, what: str = RESULTS) -> str | None:
    """selectors.acceptance.results_hold for a write: why the school's review
    and evaluation results may not change now, or None.

    Locks the acceptance's row (call inside atomic()): a submit racing a change
    either commits first, and the change is refused, or waits for it."""
    status = acceptance_status(school_id=school_id, cycle=cycle).select_for_update().first()
    return results_hold(status, what)


def held_record(
    *, school_id: int, cycle: Cycle | int, kind: str, lines: list[str], by: User | None
) -> None:
    """accounts.holds' record: the changes the hold lets through (a teacher who
    leaves or joins, a new 组长, an operator's edit) are kept in the
    acceptance's history as lines of their `kind`, whose status does not
    move, so the district sees what changed after 提交验收. Locks the
    acceptance's row (call inside atomic()); one insert for all the lines."""
    acceptance = (
        Acceptance.objects.select_for_update().filter(school_id=school_id, cycle=cycle).first()
    )
    if acceptance is None or results_hold(acceptance.status) is None:
        return
    AcceptanceEvent.objects.bulk_create(
        AcceptanceEvent(
            acceptance=acceptance,
            from_status=acceptance.status,
            to_status=acceptance.status,
            kind=kind,
            reason=line[:500],
            by=by,
        )
        for line in lines
    )


def require_results_open(*, school_id: int, cycle: Cycle | int, what: str = RESULTS) -> None:
    """results_held, as a refusal."""
    if held := results_held(school_id=school_id, cycle=cycle, what=what):
        raise ValidationError(held)


def require_open(*, teacher: User, cycle: Cycle) -> None:
    """The time rule, as a refusal (selectors.materials_open decides)."""
    if not materials_open(teacher=teacher, cycle=cycle):
        raise ValidationError(materials_closed_message_for(teacher=teacher, cycle=cycle))


def require_editable(*, teacher: User, cycle: Cycle) -> None:
    """Plan, points and summaries: open in time, and not yet passed (a pass
    is about the materials the school saw)."""
    require_open(teacher=teacher, cycle=cycle)
    passed = TeacherReview.objects.filter(
        teacher=teacher, cycle=cycle, result=TeacherReview.Result.PASSED
    )
    if passed.exists():
        raise ValidationError(LOCKED)


def checked(upload, policy: UploadPolicy) -> str:
    """The upload's content type, or a ValidationError saying why it is refused."""
    try:
        return check_upload(upload, policy)
    except UploadRefused as refusal:
        raise ValidationError(str(refusal)) from None


def store(upload, folder: str) -> str:
    """Save the upload under a generated name; return that name. Called before
    the transaction opens: storage (maybe S3, maybe large) is slow I/O."""
    upload.seek(0)
    return default_storage.save(generated_name(folder, upload.name or "file"), upload)


def discard(names) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


def discard_on_commit(names) -> None:
    """Delete replaced files once the new row is committed (never before)."""
    names = [n for n in names if n]
    if names:
        transaction.on_commit(lambda: discard(names))


class stored_or_discarded:
    """`with stored_or_discarded(name):` deletes the freshly stored file if the
    block fails, so a refused or rolled-back write leaves nothing behind."""

    def __init__(self, *names):
        self.names = names

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            discard(self.names)
        return False
