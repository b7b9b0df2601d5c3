"""典型案例 (seed 001 职责(三)3, seed 003 §9): each group's leader uploads at least
one — 教学设计 with 教学反思 in one document, and the classroom recording as a
file, a link or handed in offline; the school rates them."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Cycle, User
from accounts.notices import notify
from groups.models import GroupMember, ResearchGroup

from ..files import CASE_DESIGN, CASE_RECORDING
from ..models import TypicalCase
from ..selectors.acceptance import CASES
from .common import (
    checked,
    discard,
    discard_on_commit,
    require_open,
    require_results_open,
    store,
)

Recording = TypicalCase.Recording
Rating = TypicalCase.Rating


def case_create(
    *,
    group: ResearchGroup,
    cycle: Cycle,
    by: User,
    title: str,
    design,
    recording: str,
    recording_upload=None,
    recording_url: str = "",
) -> TypicalCase:
    title = title.strip()
    recording_url = (recording_url or "").strip()
    if not title:
        raise ValidationError("请填写案例名称。")
    if group.archived_at is not None:
        raise ValidationError("该教研组已归档，不能上传典型案例。")
    require_open(teacher=by, cycle=cycle)
    if recording not in Recording.values:
        raise ValidationError("请选择课堂实录的提交方式。")
    if recording == Recording.FILE and not recording_upload:
        raise ValidationError("请上传课堂实录视频，或改选“视频链接”“线下提交”。")
    if recording == Recording.LINK and not recording_url:
        raise ValidationError("请填写课堂实录的视频链接。")
    if not design:
        raise ValidationError("请上传教学设计（含教学反思）文档。")
    design_type = checked(design, CASE_DESIGN)
    video = recording_upload if recording == Recording.FILE else None
    video_type = checked(video, CASE_RECORDING) if video else ""
    design_name = store(design, "cases")
    video_name = store(video, "cases") if video else ""
    try:
        with transaction.atomic():
            require_results_open(school_id=group.school_id, cycle=cycle, what=CASES)
            return TypicalCase.objects.create(
                group=group,
                cycle=cycle,
                title=title[:120],
                file=design_name,
                original_name=(design.name or "")[:200],
                size=design.size,
                content_type=design_type,
                recording=recording,
                recording_file=video_name,
                recording_name=(video.name or "")[:200] if video else "",
                recording_size=video.size if video else 0,
                recording_type=video_type,
                recording_url=recording_url if recording == Recording.LINK else "",
                uploaded_by=by,
            )
    except IntegrityError:
        # A double click: the first request stored it. Or a real second case
        # under the same name, which would be confusing in the school's list.
        discard([design_name, video_name])
        raise ValidationError(
            f"本组已有名为“{title}”的典型案例，未重复保存；如需替换，请先删除原案例。"
        ) from None
    except BaseException:
        discard([design_name, video_name])
        raise


@transaction.atomic
def case_delete(*, case: TypicalCase, by: User) -> None:
    require_results_open(school_id=case.group.school_id, cycle=case.cycle_id, what=CASES)
    case = TypicalCase.objects.select_for_update().get(pk=case.pk)
    if case.rating != Rating.UNRATED:
        raise ValidationError("学校已评定的典型案例不能删除。")
    discard_on_commit([case.file.name, case.recording_file.name])
    case.delete()


@transaction.atomic
def case_rate(*, case: TypicalCase, by: User, rating: str) -> TypicalCase:
    """评优: 一等 / 二等 / 三等, or back to 未评."""
    if rating not in Rating.values:
        raise ValidationError("请选择评定等级。")
    require_results_open(school_id=case.group.school_id, cycle=case.cycle_id, what=CASES)
    # Only the case's row (a joined group row would be locked too).
    case = (
        TypicalCase.objects.select_for_update(of=("self",)).select_related("group").get(pk=case.pk)
    )
    # Nobody rates their own work (DESIGN §2): an admin who uploaded the case,
    # leads the group or is one of its members leaves it to another admin.
    own = by.pk in (case.uploaded_by_id, case.group.leader_id) or (
        GroupMember.objects.filter(group_id=case.group_id, user=by).exists()
    )
    if own:
        raise ValidationError("不能评定自己教研组的典型案例，请由学校的其他管理员评定。")
    if case.rating == rating:
        return case
    case.rating = rating
    case.rated_by, case.rated_at = (
        (by, timezone.now()) if rating != Rating.UNRATED else (None, None)
    )
    case.save(update_fields=["rating", "rated_by", "rated_at"])
    if rating != Rating.UNRATED:
        notify(
            users=[case.uploaded_by_id],
            message=f"{case.group.name}的典型案例《{case.title}》被学校评为{case.get_rating_display()}。",
            link=reverse("assessment:cases"),
            kind="typical_case",
        )
    return case
