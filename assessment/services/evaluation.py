"""应用能力点测评 (seed 001 校本实践应用考核): per teacher and chosen point, the
teacher submits the evidence the catalogue asks for, the group leader checks it
(查看 / 退回 with a reason), the info team records 合格 / 不合格. Every status
change goes through _move, checked against TRANSITIONS."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Cycle, School, User
from accounts.notices import notify
from groups.models import AbilityPoint

from ..files import EVALUATION_EVIDENCE
from ..models import AbilityEvaluation, EvaluationEvidence, PointChoice
from ..selectors import evidence_requirement
from .common import (
    checked,
    discard_on_commit,
    lock_place,
    require_open,
    require_results_open,
    store,
    stored_or_discarded,
)
from .stats import school_stats_refresh

Status = AbilityEvaluation.Status
TEACHER, LEADER, INFO_TEAM = "teacher", "leader", "info_team"

# (from, to) -> who may make that move.
TRANSITIONS = {
    (Status.DRAFT, Status.SUBMITTED): TEACHER,
    (Status.RETURNED, Status.SUBMITTED): TEACHER,
    (Status.FAILED, Status.SUBMITTED): TEACHER,  # tries again after 不合格
    (Status.SUBMITTED, Status.VIEWED): LEADER,
    (Status.SUBMITTED, Status.RETURNED): LEADER,
    (Status.VIEWED, Status.RETURNED): LEADER,
    # The info team tests after the leader's check; a teacher in no group (or a
    # leader, whom nobody else checks) is tested straight from 已提交.
    (Status.SUBMITTED, Status.PASSED): INFO_TEAM,
    (Status.SUBMITTED, Status.FAILED): INFO_TEAM,
    (Status.VIEWED, Status.PASSED): INFO_TEAM,
    (Status.VIEWED, Status.FAILED): INFO_TEAM,
    (Status.PASSED, Status.FAILED): INFO_TEAM,  # a correction
    (Status.FAILED, Status.PASSED): INFO_TEAM,
}
# While the evaluation is in these states the teacher may change its evidence.
TEACHER_EDITABLE = (Status.DRAFT, Status.RETURNED, Status.FAILED)


def evaluation_check_transition(*, current: str, to: str, actor: str) -> None:
    """The one check of a status change; refuses with a message."""
    if TRANSITIONS.get((current, to)) != actor:
        raise ValidationError(f"测评状态不能由“{Status(current).label}”改为“{Status(to).label}”。")


def _locked(evaluation: AbilityEvaluation) -> AbilityEvaluation:
    """Re-read under a row lock: a leader and the info team (or two clicks)
    acting at once queue here, and the second sees the first's change. Only
    the evaluation's row: joined, PostgreSQL would lock the ability point and
    the teacher too, and a teacher's point choices (whose new rows need a key
    share of that point at commit) deadlocked with the school figures' lock
    (outside test 7)."""
    return (
        AbilityEvaluation.objects.select_for_update(of=("self",))
        .select_related("point", "teacher")
        .get(pk=evaluation.pk)
    )


def _move(*, evaluation: AbilityEvaluation, to: str, actor: str, by: User, **fields) -> bool:
    """Change the status and the fields that go with it; False if already there."""
    if evaluation.status == to:
        return False
    evaluation_check_transition(current=evaluation.status, to=to, actor=actor)
    was = evaluation.status
    evaluation.status = to
    for key, value in fields.items():
        setattr(evaluation, key, value)
    evaluation.save(update_fields=["status", *fields])
    # The district's figures count the gate's passes and the results decided.
    if {was, to} & {Status.PASSED, Status.FAILED}:
        school_stats_refresh(school_ids=[evaluation.school_id], cycle_id=evaluation.cycle_id)
    return True


def _notify(evaluation: AbilityEvaluation, message: str) -> None:
    notify(
        users=[evaluation.teacher_id],
        message=message,
        link=reverse("assessment:evaluation", args=[evaluation.point_id]),
        kind="evaluation",
    )


def _evaluation_for(
    *, teacher: User, school: School, cycle: Cycle, point: AbilityPoint
) -> AbilityEvaluation:
    """The teacher's evaluation of a point, created 待提交 with the catalogue's
    requirement if missing, locked FOR UPDATE."""
    slots, _ = evidence_requirement(point)
    AbilityEvaluation.objects.bulk_create(
        [
            AbilityEvaluation(
                teacher=teacher, school=school, cycle=cycle, point=point, requirement=slots
            )
        ],
        ignore_conflicts=True,
    )
    return AbilityEvaluation.objects.select_for_update().get(
        teacher=teacher, cycle=cycle, point=point
    )


def _require_chosen(*, teacher: User, cycle: Cycle, point: AbilityPoint) -> None:
    if not PointChoice.objects.filter(teacher=teacher, cycle=cycle, point=point).exists():
        raise ValidationError(f"请先选择能力点“{point}”，再提交它的测评材料。")


def evidence_save(
    *,
    teacher: User,
    school: School,
    cycle: Cycle,
    point: AbilityPoint,
    kind: str,
    position: int,
    upload=None,
    link: str = "",
) -> EvaluationEvidence:
    """Put one evidence item (a file or a link) into its slot, replacing what
    was there."""
    link = (link or "").strip()
    if bool(upload) == bool(link):
        raise ValidationError("请上传文件或填写链接，二选一。")
    require_open(teacher=teacher, cycle=cycle)
    _require_chosen(teacher=teacher, cycle=cycle, point=point)
    content_type = checked(upload, EVALUATION_EVIDENCE) if upload else ""
    name = store(upload, "evidence") if upload else ""
    with stored_or_discarded(name), transaction.atomic():
        lock_place(teacher=teacher, school=school)
        require_open(teacher=teacher, cycle=cycle)
        # The evidence behind a 测评 result is part of it (a 不合格 replaced and
        # submitted again would leave the submitted register).
        require_results_open(school_id=school.pk, cycle=cycle)
        _require_chosen(teacher=teacher, cycle=cycle, point=point)
        evaluation = _evaluation_for(teacher=teacher, school=school, cycle=cycle, point=point)
        if evaluation.status not in TEACHER_EDITABLE:
            raise ValidationError(
                f"测评材料{evaluation.get_status_display()}，不能修改；"
                "如需修改，请联系教研组长退回。"
            )
        slot = next((s for s in evaluation.requirement if s["kind"] == kind), None)
        if slot is None or not 1 <= position <= slot["count"]:
            raise ValidationError("该能力点没有这一项证据要求。")
        fields = {
            "file": name,
            "link": link,
            "original_name": (upload.name or "")[:200] if upload else "",
            "size": upload.size if upload else 0,
            "content_type": content_type,
            "uploaded_at": timezone.now(),
        }
        item = EvaluationEvidence.objects.filter(
            evaluation=evaluation, kind=kind, position=position
        ).first()
        if item is None:
            item = EvaluationEvidence.objects.create(
                evaluation=evaluation, kind=kind, position=position, **fields
            )
        else:
            discard_on_commit([item.file.name])
            for key, value in fields.items():
                setattr(item, key, value)
            item.save(update_fields=list(fields))
    return item


def missing_evidence(evaluation: AbilityEvaluation) -> list[str]:
    """Labels of the slots still empty, e.g. "学生成果及点评 第 2 份"."""
    given = {(i.kind, i.position) for i in evaluation.items.all()}
    return [
        f"{s['kind']} 第 {n} 份" if s["count"] > 1 else s["kind"]
        for s in evaluation.requirement
        for n in range(1, s["count"] + 1)
        if (s["kind"], n) not in given
    ]


def evaluation_submit(
    *, teacher: User, school: School, cycle: Cycle, point: AbilityPoint
) -> AbilityEvaluation:
    """提交: every slot must hold an item; the leader then sees it."""
    with transaction.atomic():
        lock_place(teacher=teacher, school=school)
        require_open(teacher=teacher, cycle=cycle)
        require_results_open(school_id=school.pk, cycle=cycle)
        _require_chosen(teacher=teacher, cycle=cycle, point=point)
        evaluation = _evaluation_for(teacher=teacher, school=school, cycle=cycle, point=point)
        if evaluation.status == Status.SUBMITTED:
            return evaluation  # a double click
        missing = missing_evidence(evaluation)
        if missing:
            raise ValidationError(f"还缺少：{'、'.join(missing)}。")
        _move(
            evaluation=evaluation,
            to=Status.SUBMITTED,
            actor=TEACHER,
            by=teacher,
            submitted_at=timezone.now(),
            return_reason="",
        )
    return evaluation


@transaction.atomic
def evaluation_view(*, evaluation: AbilityEvaluation, by: User) -> AbilityEvaluation:
    """查看: the group leader has checked the evidence."""
    evaluation = _locked(evaluation)
    _move(
        evaluation=evaluation,
        to=Status.VIEWED,
        actor=LEADER,
        by=by,
        viewed_by=by,
        viewed_at=timezone.now(),
    )
    return evaluation


@transaction.atomic
def evaluation_return(*, evaluation: AbilityEvaluation, by: User, reason: str) -> AbilityEvaluation:
    """退回, with a reason the teacher sees; they may change the evidence and resubmit."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("请填写退回原因（教师会看到）。")
    require_results_open(school_id=evaluation.school_id, cycle=evaluation.cycle_id)
    evaluation = _locked(evaluation)
    if _move(
        evaluation=evaluation,
        to=Status.RETURNED,
        actor=LEADER,
        by=by,
        return_reason=reason[:300],
        viewed_by=by,
        viewed_at=timezone.now(),
    ):
        _notify(evaluation, f"你的能力点 {evaluation.point.code} 测评材料被退回：{reason}")
    return evaluation


@transaction.atomic
def evaluation_assess(
    *, evaluation: AbilityEvaluation, by: User, result: str, remarks: str = ""
) -> AbilityEvaluation:
    """合格 / 不合格, recorded by the info team."""
    if result not in (Status.PASSED, Status.FAILED):
        raise ValidationError("请选择测评结果：合格或不合格。")
    require_results_open(school_id=evaluation.school_id, cycle=evaluation.cycle_id)
    evaluation = _locked(evaluation)
    if evaluation.teacher_id == by.pk:
        raise ValidationError("不能测评自己的材料，请由信息化管理团队的其他成员测评。")
    if _move(
        evaluation=evaluation,
        to=result,
        actor=INFO_TEAM,
        by=by,
        assessed_by=by,
        assessed_at=timezone.now(),
        remarks=remarks.strip()[:300],
    ):
        label = Status(result).label
        note = f"（{remarks.strip()}）" if remarks.strip() else ""
        _notify(evaluation, f"你的能力点 {evaluation.point.code} 测评结果：{label}{note}")
    return evaluation
