"""整校推进验收 (DESIGN §2; seed 001 校本推进安排 rows 4–7): the school uploads
its proof checklist and scores itself, submits; the district assigns experts,
who score each rubric item and submit; the district returns the school for
more material or confirms 通过 / 不通过; a pass registers every teacher's hours.

Every change of status goes through _move, checked against TRANSITIONS, and
leaves an AcceptanceEvent. Every write locks the acceptance's row first
(_locked): a double click, twenty identical requests or two people acting at
once queue there, and each sees what the one before it stored.
"""

import uuid
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Cycle, RegionRole, School, SchoolMembership, User
from accounts.notices import notify
from activities.services.common import create_once
from hours.services import hours_register_school_later

from ..files import PROOF, PROOF_FILES_PER_ITEM
from ..models import (
    Acceptance,
    AcceptanceEvent,
    AcceptanceScheme,
    ExpertAssignment,
    ExpertScore,
    ProofFile,
    ProofItem,
    RubricItem,
    SelfScore,
)
from ..selectors.acceptance import (
    DECIDED,
    EDITABLE,
    acceptance_checklist,
    acceptance_missing,
    expert_scores_of,
    platform_evidence,
    proof_items_of,
    recusal_refusal,
    rubric_of,
    scheme_of_school,
    score_table,
    self_scores_of,
)
from ..selectors.evaluation import evaluation_gate
from ..selectors.rules import GATE_PERCENT
from .common import checked, discard_on_commit, store, stored_or_discarded

Status = Acceptance.Status
SCHOOL, DISTRICT, PLATFORM = "school", "district", "platform"

# (from, to) -> who may make that move.
TRANSITIONS = {
    (Status.DRAFT, Status.SUBMITTED): SCHOOL,
    (Status.RETURNED, Status.SUBMITTED): SCHOOL,
    (Status.SUBMITTED, Status.RETURNED): DISTRICT,
    (Status.SCORED, Status.RETURNED): DISTRICT,
    # The last assigned expert submitted their scores.
    (Status.SUBMITTED, Status.SCORED): PLATFORM,
    # An expert was added after every other had submitted: they score too.
    (Status.SCORED, Status.SUBMITTED): PLATFORM,
    (Status.SCORED, Status.PASSED): DISTRICT,
    (Status.SCORED, Status.FAILED): DISTRICT,
}

FROZEN = "验收材料已提交，正在评审，不能修改；如需补充，请等待教育局退回。"
DECIDED_MESSAGE = "该校验收结果已确认，不能再修改。"


def acceptance_check_transition(*, current: str, to: str, actor: str) -> None:
    """The one check of a status change; refuses with a message."""
    if TRANSITIONS.get((current, to)) != actor:
        raise ValidationError(f"验收状态不能由“{Status(current).label}”改为“{Status(to).label}”。")


def _move(
    *,
    acceptance: Acceptance,
    to: str,
    by: User | None,
    actor: str,
    reason: str = "",
    **fields,
) -> None:
    """Change the status and `fields` with it, in one save (the row is locked
    by the caller), and record the move."""
    acceptance_check_transition(current=acceptance.status, to=to, actor=actor)
    AcceptanceEvent.objects.create(
        acceptance=acceptance, from_status=acceptance.status, to_status=to, reason=reason, by=by
    )
    acceptance.status = to
    for name, value in fields.items():
        setattr(acceptance, name, value)
    acceptance.save(update_fields=["status", *fields])


def _locked(acceptance_id: int) -> Acceptance:
    """The acceptance's row FOR UPDATE (only its own row: "of self", so the
    school, cycle and scheme read with it stay unlocked for everyone else).
    Call inside atomic()."""
    return (
        Acceptance.objects.select_for_update(of=("self",))
        .select_related("school", "cycle", "scheme")
        .get(pk=acceptance_id)
    )


def _school_admin_ids(school_id: int) -> list[int]:
    return list(
        SchoolMembership.objects.active()
        .filter(school_id=school_id, is_school_admin=True)
        .values_list("user_id", flat=True)
    )


def _tell_school(acceptance: Acceptance, message: str, kind: str) -> None:
    notify(
        users=_school_admin_ids(acceptance.school_id),
        message=message,
        link=reverse("assessment:acceptance"),
        kind=kind,
    )


# ---- the school ---------------------------------------------------------------------


def acceptance_open(*, school: School, cycle: Cycle) -> Acceptance:
    """The school's acceptance for the cycle, made (准备中) on first use. Needs
    the district's published scheme."""
    scheme = scheme_of_school(school=school, cycle=cycle)
    if scheme is None:
        raise ValidationError("区县教育局尚未发布本周期的整校推进验收方案。")
    # INSERT ... ON CONFLICT DO NOTHING: two first uses at once both get here.
    Acceptance.objects.bulk_create(
        [Acceptance(school=school, cycle=cycle, scheme=scheme)], ignore_conflicts=True
    )
    return Acceptance.objects.select_related("scheme").get(school=school, cycle=cycle)


def _require_editable(acceptance: Acceptance) -> None:
    if acceptance.status not in EDITABLE:
        raise ValidationError(DECIDED_MESSAGE if acceptance.status in DECIDED else FROZEN)


def _file_token(token, n: int):
    """One token per file of a form: a retry of the same POST gets the same ones."""
    return uuid.uuid5(token, str(n)) if token else None


def proof_files_add(
    *, school: School, cycle: Cycle, item: ProofItem, uploads: list, by: User, token=None
) -> list[ProofFile]:
    """Add the files to one item of the checklist. Each is checked by content
    and size first; one refused file stores none of them."""
    if not uploads:
        raise ValidationError("请选择要上传的文件。")
    acceptance = acceptance_open(school=school, cycle=cycle)
    if item.scheme_id != acceptance.scheme_id:
        raise ValidationError("该项不在本校的证明清单中。")
    types = [checked(upload, PROOF) for upload in uploads]
    names = [store(upload, "acceptance") for upload in uploads]
    made = []
    with stored_or_discarded(*names), transaction.atomic():
        acceptance = _locked(acceptance.pk)
        _require_editable(acceptance)
        have = ProofFile.objects.filter(acceptance=acceptance, item=item).count()
        if have + len(uploads) > PROOF_FILES_PER_ITEM:
            raise ValidationError(
                f"每项最多上传 {PROOF_FILES_PER_ITEM} 个文件，第 {item.number} 项已有 {have} 个。"
            )
        for n, (upload, name, content_type) in enumerate(zip(uploads, names, types, strict=True)):
            row, created = create_once(
                ProofFile,
                token=_file_token(token, n),
                owner={"uploaded_by": by},
                fields={
                    "acceptance": acceptance,
                    "item": item,
                    "file": name,
                    "original_name": (upload.name or "")[:200],
                    "size": upload.size,
                    "content_type": content_type,
                },
            )
            if not created:  # a retry of the same form: keep the first copy
                discard_on_commit([name])
            made.append(row)
    return made


def proof_file_delete(*, file: ProofFile, by: User) -> None:
    with transaction.atomic():
        acceptance = _locked(file.acceptance_id)
        _require_editable(acceptance)
        deleted, _ = ProofFile.objects.filter(pk=file.pk).delete()
        if deleted:
            discard_on_commit([file.file.name])


def parse_points(raw, item: RubricItem) -> Decimal | None:
    """A score typed for `item`: empty → None; refuses anything but a number
    from 0 to the item's maximum with at most one decimal."""
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValidationError(f"“{item.title}”的得分须是数字。") from None
    if not value.is_finite() or value < 0:
        raise ValidationError(f"“{item.title}”的得分不能小于 0。")
    if value > item.max_points:
        raise ValidationError(f"“{item.title}”的得分不能超过满分 {item.max_points} 分。")
    if value != value.quantize(Decimal("0.1")):
        raise ValidationError(f"“{item.title}”的得分最多保留一位小数。")
    return value


def _checked_scores(scheme: AcceptanceScheme, raw: dict[int, tuple]) -> dict:
    """{item: (points or None, text)} for the scheme's scored items named in `raw`."""
    items = {i.pk: i for i in rubric_of(scheme).items}
    out = {}
    for item_id, (points, text) in raw.items():
        item = items.get(item_id)
        if item is None:
            raise ValidationError("评分项不在本验收方案中。")
        out[item] = (parse_points(points, item), (text or "").strip()[:500])
    return out


def self_scores_save(*, school: School, cycle: Cycle, scores: dict[int, tuple], by: User) -> int:
    """自评: {rubric item id: (points, note)}; an empty score clears it. Returns
    how many items carry a self-score afterwards."""
    acceptance = acceptance_open(school=school, cycle=cycle)
    checked_scores = _checked_scores(acceptance.scheme, scores)
    with transaction.atomic():
        acceptance = _locked(acceptance.pk)
        _require_editable(acceptance)
        now = timezone.now()
        for item, (points, note) in checked_scores.items():
            if points is None:
                SelfScore.objects.filter(acceptance=acceptance, item=item).delete()
                continue
            SelfScore.objects.update_or_create(
                acceptance=acceptance,
                item=item,
                defaults={"points": points, "note": note, "updated_at": now},
            )
        return SelfScore.objects.filter(acceptance=acceptance).count()


def acceptance_submit(*, school: School, cycle: Cycle, by: User) -> Acceptance:
    """提交验收: only when every checklist item has material, the 95% gate is
    met and every rubric item is self-scored; the message names what is
    missing. Submitting twice stores once. Freezes the materials."""
    acceptance = acceptance_open(school=school, cycle=cycle)
    with transaction.atomic():
        acceptance = _locked(acceptance.pk)
        if acceptance.status not in EDITABLE:
            if acceptance.submitted_at is not None and acceptance.status not in DECIDED:
                return acceptance  # a second click: already submitted
            _require_editable(acceptance)
        rubric = rubric_of(acceptance.scheme)
        lines = acceptance_checklist(
            acceptance=acceptance,
            items=proof_items_of(acceptance.scheme),
            evidence=platform_evidence(school=school, cycle=cycle),
        )
        missing = acceptance_missing(
            lines=lines,
            rubric=rubric,
            self_scores=self_scores_of(acceptance),
            school=school,
            cycle=cycle,
        )
        if missing.blocking:
            raise ValidationError(missing.message)
        _move(
            acceptance=acceptance,
            to=Status.SUBMITTED,
            by=by,
            actor=SCHOOL,
            submitted_at=timezone.now(),
            submitted_by=by,
            return_reason="",
        )
        experts = list(acceptance.assignments.values_list("expert_id", flat=True))
        _settle_scored(acceptance)
        # In the transaction: the submission and the experts' notice stand or fall together.
        notify(
            users=experts,
            message=f"{school.name}已提交整校推进验收材料，请评分。",
            link=reverse("assessment:expert_score", args=[acceptance.pk]),
            kind="acceptance_submitted",
        )
    return acceptance


# ---- the district: experts ------------------------------------------------------------


def _settle_scored(acceptance: Acceptance) -> None:
    """已提交验收 ⇄ 已评分, from the assignments: scored when there is at least
    one expert and every one has submitted. The row is locked by the caller."""
    states = list(acceptance.assignments.values_list("submitted_at", flat=True))
    all_done = bool(states) and all(s is not None for s in states)
    if acceptance.status == Status.SUBMITTED and all_done:
        _move(acceptance=acceptance, to=Status.SCORED, by=None, actor=PLATFORM)
    elif acceptance.status == Status.SCORED and not all_done:
        _move(acceptance=acceptance, to=Status.SUBMITTED, by=None, actor=PLATFORM)


def _require_experts(*, experts: list[User], region_id: int) -> None:
    held = set(
        RegionRole.objects.filter(
            user__in=experts, region_id=region_id, kind=RegionRole.Kind.EXPERT
        ).values_list("user_id", flat=True)
    )
    strangers = [e.display_name for e in experts if e.pk not in held]
    if strangers:
        raise ValidationError(f"{'、'.join(strangers)} 不是本区县的考核专家。")


def experts_assign(
    *, schools: list[School], experts: list[User], cycle: Cycle, region_id: int, by: User
) -> int:
    """Assign each expert to each school (one school or many at once). Each
    expert is told, in one notice, the schools newly theirs. Assigning again
    adds nothing. Returns how many assignments were new."""
    if not schools or not experts:
        raise ValidationError("请选择学校和考核专家。")
    _require_experts(experts=experts, region_id=region_id)
    refusal = recusal_refusal([e.pk for e in experts], [s.pk for s in schools])
    if refusal:
        raise ValidationError(refusal)
    opened = [acceptance_open(school=s, cycle=cycle) for s in schools]
    new: dict[int, list[str]] = {}
    with transaction.atomic():
        # Locked in id order: two assignments of overlapping schools never deadlock.
        locked = [_locked(a.pk) for a in sorted(opened, key=lambda a: a.pk)]
        decided = [a.school.name for a in locked if a.status in DECIDED]
        if decided:
            raise ValidationError(f"{'、'.join(decided)} 的验收结果已确认，不能再分配专家。")
        for acceptance in locked:
            have = set(acceptance.assignments.values_list("expert_id", flat=True))
            for expert in experts:
                if expert.pk in have:
                    continue
                ExpertAssignment.objects.create(
                    acceptance=acceptance, expert=expert, assigned_by=by
                )
                new.setdefault(expert.pk, []).append(acceptance.school.name)
            _settle_scored(acceptance)
        # In the transaction: an assignment is never kept without its notice.
        for expert_id, names in new.items():
            notify(
                users=[expert_id],
                message=f"教育局为你分配了 {len(names)} 所验收学校：{'、'.join(names)}。",
                link=reverse("assessment:expert_schools"),
                kind="acceptance_assigned",
            )
    return sum(len(names) for names in new.values())


def expert_unassign(*, assignment: ExpertAssignment, by: User) -> None:
    """Take an expert off a school before they submitted; their draft goes."""
    with transaction.atomic():
        acceptance = _locked(assignment.acceptance_id)
        if acceptance.status in DECIDED:
            raise ValidationError(DECIDED_MESSAGE)
        row = ExpertAssignment.objects.filter(pk=assignment.pk).first()
        if row is None:
            return
        if row.submitted_at is not None:
            raise ValidationError(f"{assignment.expert.display_name} 已提交评分，不能取消分配。")
        ExpertScore.objects.filter(assignment=row).delete()
        row.delete()
        _settle_scored(acceptance)


# ---- the expert -------------------------------------------------------------------------


def _require_can_score(acceptance: Acceptance, assignment: ExpertAssignment) -> None:
    if assignment.submitted_at is not None:
        raise ValidationError("你已提交对该校的评分，不能再修改。")
    if acceptance.status != Status.SUBMITTED:
        raise ValidationError(f"该校验收状态为“{acceptance.get_status_display()}”，现在不能评分。")
    refusal = recusal_refusal([assignment.expert_id], [acceptance.school_id])
    if refusal:
        raise ValidationError(refusal)


def _save_expert_scores(assignment: ExpertAssignment, scores: dict) -> None:
    now = timezone.now()
    for item, (points, comment) in scores.items():
        if points is None:
            ExpertScore.objects.filter(assignment=assignment, item=item).delete()
            continue
        ExpertScore.objects.update_or_create(
            assignment=assignment,
            item=item,
            defaults={"points": points, "comment": comment, "updated_at": now},
        )


def expert_scores_save(*, assignment: ExpertAssignment, scores: dict[int, tuple]) -> None:
    """保存草稿: {rubric item id: (points, comment)}; an empty score clears it."""
    checked_scores = _checked_scores(assignment.acceptance.scheme, scores)
    with transaction.atomic():
        acceptance = _locked(assignment.acceptance_id)
        assignment.refresh_from_db()
        _require_can_score(acceptance, assignment)
        _save_expert_scores(assignment, checked_scores)


def expert_scores_submit(*, assignment: ExpertAssignment, scores: dict[int, tuple]) -> bool:
    """提交评分: saves, then requires a score for every rubric item; the
    scores are then final. The last expert to submit makes the school 已评分.
    A second submit (a double tap, a retry that queued on the lock) stores
    nothing and returns False, as a school's second 提交验收 does."""
    checked_scores = _checked_scores(assignment.acceptance.scheme, scores)
    with transaction.atomic():
        acceptance = _locked(assignment.acceptance_id)
        assignment.refresh_from_db()
        if assignment.submitted_at is not None:
            return False
        _require_can_score(acceptance, assignment)
        _save_expert_scores(assignment, checked_scores)
        given = expert_scores_of(assignment)
        unscored = [i for i in rubric_of(acceptance.scheme).items if i.pk not in given]
        if unscored:
            raise ValidationError(
                f"还有 {len(unscored)} 项未评分（{unscored[0].title} 等），不能提交；可先保存草稿。"
            )
        assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["submitted_at"])
        _settle_scored(acceptance)
    return True


# ---- the district: return and confirm -------------------------------------------------------


def _reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(f"请填写{what}。")
    return reason[:500]


def acceptance_return(*, acceptance: Acceptance, by: User, reason: str) -> Acceptance:
    """退回补充材料: the school sees the reason and may change its materials and
    submit again; the experts' scores stay as their drafts, to be submitted
    again for the new materials."""
    reason = _reason(reason, "退回原因")
    with transaction.atomic():
        acceptance = _locked(acceptance.pk)
        if acceptance.status == Status.RETURNED and acceptance.return_reason == reason:
            return acceptance  # a second click
        if acceptance.status in DECIDED:
            raise ValidationError(DECIDED_MESSAGE)
        _move(
            acceptance=acceptance,
            to=Status.RETURNED,
            by=by,
            actor=DISTRICT,
            reason=reason,
            return_reason=reason,
            returned_at=timezone.now(),
            returned_by=by,
        )
        acceptance.assignments.update(submitted_at=None)
        _tell_school(
            acceptance,
            f"你校的整校推进验收材料被教育局退回，请补充后重新提交。退回原因：{reason}",
            "acceptance_returned",
        )
    return acceptance


def acceptance_pass(*, acceptance: Acceptance, by: User) -> Acceptance:
    """确认通过: only once every assigned expert has scored and their average
    reaches the pass mark. Registers every teacher's hours (a Celery task,
    queued once the transaction commits); a second confirmation does nothing."""
    with transaction.atomic():
        acceptance = _locked(acceptance.pk)
        if acceptance.status == Status.PASSED:
            return acceptance
        _require_scored(acceptance)
        average = score_table(acceptance=acceptance, rubric=rubric_of(acceptance.scheme)).average
        pass_mark = acceptance.scheme.pass_mark
        if average is None or average < pass_mark:
            raise ValidationError(
                f"专家平均分 {average} 分，低于合格分 {pass_mark} 分，不能确认通过。"
            )
        # The 95% gate, again as of now: the school's teachers can change
        # after submitting (new full-time teachers, points chosen later).
        gate = evaluation_gate(school=acceptance.school, cycle=acceptance.cycle)
        if not gate.reached:
            raise ValidationError(
                f"该校专任教师能力点测评合格率现为 {gate.rate}%（{gate.passed}/"
                f"{gate.full_time_total}），未达到 {GATE_PERCENT}%，不能确认通过；"
                "可退回学校补充。"
            )
        _move(acceptance=acceptance, to=Status.PASSED, by=by, actor=DISTRICT, **_decided(by, ""))
        hours_register_school_later(school=acceptance.school, cycle=acceptance.cycle, by=by)
        _tell_school(
            acceptance,
            f"你校整校推进验收已通过（专家平均分 {average} 分）。平台正在为全校教师登记学时。",
            "acceptance_passed",
        )
    return acceptance


def acceptance_fail(*, acceptance: Acceptance, by: User, reason: str) -> Acceptance:
    """确认不通过, with the reason the school is told. Registers nothing."""
    reason = _reason(reason, "不通过的原因")
    with transaction.atomic():
        acceptance = _locked(acceptance.pk)
        if acceptance.status == Status.FAILED:
            return acceptance
        _require_scored(acceptance)
        _move(
            acceptance=acceptance,
            to=Status.FAILED,
            by=by,
            actor=DISTRICT,
            reason=reason,
            **_decided(by, reason),
        )
        _tell_school(
            acceptance,
            f"你校整校推进验收未通过。原因：{reason}",
            "acceptance_failed",
        )
    return acceptance


def _require_scored(acceptance: Acceptance) -> None:
    if acceptance.status in DECIDED:
        raise ValidationError(DECIDED_MESSAGE)
    if acceptance.status != Status.SCORED:
        raise ValidationError(
            f"该校验收状态为“{acceptance.get_status_display()}”：须所有分配的专家提交评分后才能确认结果。"
        )


def _decided(by: User, reason: str) -> dict:
    return {"decided_at": timezone.now(), "decided_by": by, "decision_reason": reason}


__all__ = [
    "TRANSITIONS",
    "acceptance_check_transition",
    "acceptance_fail",
    "acceptance_open",
    "acceptance_pass",
    "acceptance_return",
    "acceptance_submit",
    "expert_scores_save",
    "expert_scores_submit",
    "expert_unassign",
    "experts_assign",
    "parse_points",
    "proof_file_delete",
    "proof_files_add",
    "self_scores_save",
]
