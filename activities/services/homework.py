"""研修作业: a member submits text and/or files; submitting completes it."""

from django.db import transaction
from django.utils import timezone

from groups.models import GroupMember

from ..files import HOMEWORK, UploadRefused, check_upload
from ..models import Activity, Submission, SubmissionFile
from ..selectors import participation_of
from .common import ActivityError, lock_member, require_kind, require_window
from .completion import participation_complete, participation_enter

MAX_FILES = 5


def homework_submit(*, activity: Activity, user, text: str = "", files=()) -> Submission:
    """Submit, or replace while the activity is open. New files replace the old ones;
    with no new files the earlier files stay. A double submit stores one
    submission (unique (activity, user) in the database) and completes once."""
    require_kind(activity, Activity.Kind.HOMEWORK)
    require_window(activity, user)
    if not GroupMember.objects.filter(group_id=activity.group_id, user=user).exists():
        raise ActivityError("只有本教研组的组员可以提交作业。")
    text = text.strip()
    files = list(files)
    if len(files) > MAX_FILES:
        raise ActivityError(f"一次最多上传 {MAX_FILES} 个文件。")
    checked = []
    for upload in files:
        try:
            checked.append((upload, check_upload(upload, HOMEWORK)))
        except UploadRefused as refusal:
            raise ActivityError(str(refusal)) from None
    participation = participation_of(activity=activity, user=user)
    if participation is None:
        raise ActivityError("请先点击“参与活动”，再提交作业。")
    submission = Submission.objects.filter(activity=activity, user=user).first()
    if not text and not files and not (submission and submission.files.exists()):
        raise ActivityError("请填写作业内容或上传作业文件。")
    # Storage writes (maybe S3, maybe large) happen before the transaction opens.
    stored = []
    for upload, content_type in checked:
        row = SubmissionFile(
            original_name=upload.name[:200], size=upload.size, content_type=content_type
        )
        row.file.save(upload.name, upload, save=False)
        stored.append(row)
    old_names = []
    try:
        with transaction.atomic():
            submission = _store_submission(activity, user, text, stored, participation, old_names)
    except Exception:
        _delete_stored([row.file.name for row in stored])  # nothing refers to them
        raise
    transaction.on_commit(lambda: _delete_stored(old_names))
    return submission


def _store_submission(activity, user, text, stored, participation, old_names) -> Submission:
    lock_member(activity, user)
    now = timezone.now()
    # A double submit racing: get_or_create inserts under its own savepoint and,
    # when the other request's row wins the unique (activity, user), reads it.
    submission, created = Submission.objects.get_or_create(
        activity=activity, user=user, defaults={"text": text}
    )
    if not created:
        # Lock it: two replacements at once must not both keep their files.
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        submission.text = text or submission.text
        submission.updated_at = now
        submission.save(update_fields=["text", "updated_at"])
        if stored:
            old_names.extend(f.file.name for f in submission.files.all())
            submission.files.all().delete()
    for row in stored:
        row.submission = submission
    SubmissionFile.objects.bulk_create(stored)
    participation_enter(participation=participation)
    participation.activity, participation.user = activity, user
    participation_complete(
        participation=participation,
        by=user,
        place_locked=True,  # lock_member above
        reason=f"提交研修作业《{activity.title}》",
    )
    return submission


def _delete_stored(names):
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)
