"""The district's acceptance scheme (验收方案, seed 001 绩效考核: 市区教育局制定学校
整校验收与考核方案): pass mark, deadline, the rubric tree and the proof
checklist, then publishing it to the district's schools.

The rubric and the checklist are the terms schools are judged by: they change
only until the first school submits (selectors.scheme_frozen); the pass mark
only until the first school is confirmed. A new scheme starts from seed 001's
15 items and the reference rubric (assessment.checklist).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Cycle, Region, SchoolMembership, User
from accounts.notices import notify

from ..checklist import PROOF_ITEMS, REFERENCE_RUBRIC
from ..models import AcceptanceScheme, ExpertScore, ProofItem, RubricItem, SelfScore
from ..selectors.acceptance import proof_items_of, rubric_of, scheme_decided, scheme_frozen

FROZEN = "已有学校提交验收，评分细则和证明清单不能再修改。"


def scheme_create(*, region: Region, cycle: Cycle, by: User) -> AcceptanceScheme:
    """The district's scheme for the cycle, made once with the default checklist
    and the reference rubric as its draft; a second call returns it."""
    if region.level != Region.Level.DISTRICT:
        raise ValidationError("整校推进验收方案由区县教育局制定。")
    existing = AcceptanceScheme.objects.filter(region=region, cycle=cycle).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            scheme = AcceptanceScheme.objects.create(region=region, cycle=cycle, created_by=by)
            _fill_draft(scheme)
    except IntegrityError:  # a concurrent first call made it
        return AcceptanceScheme.objects.get(region=region, cycle=cycle)
    return scheme


def _fill_draft(scheme: AcceptanceScheme) -> None:
    ProofItem.objects.bulk_create(
        ProofItem(scheme=scheme, number=n, content=content, form=form, platform=platform)
        for n, (content, form, platform) in enumerate(PROOF_ITEMS, start=1)
    )
    for d_order, (title, items) in enumerate(REFERENCE_RUBRIC, start=1):
        dimension = RubricItem.objects.create(scheme=scheme, title=title, order=d_order)
        RubricItem.objects.bulk_create(
            RubricItem(
                scheme=scheme,
                parent=dimension,
                title=item_title,
                max_points=max_points,
                guidance=guidance,
                order=order,
            )
            for order, (item_title, max_points, guidance) in enumerate(items, start=1)
        )


def _locked(scheme: AcceptanceScheme) -> AcceptanceScheme:
    """The scheme's row FOR UPDATE: its edits and its publishing queue here."""
    return AcceptanceScheme.objects.select_for_update().get(pk=scheme.pk)


def _require_open(scheme: AcceptanceScheme) -> None:
    if scheme_frozen(scheme):
        raise ValidationError(FROZEN)


def _check_pass_mark(scheme: AcceptanceScheme, pass_mark: Decimal | None) -> None:
    total = rubric_of(scheme).max_points
    if pass_mark is not None and pass_mark > total:
        raise ValidationError(f"合格分 {pass_mark} 分高于评分细则的总分 {total} 分。")


def _check_deadline(deadline) -> None:
    """A deadline schools could never meet is refused: not before today
    (Asia/Shanghai, the project's time zone)."""
    today = timezone.localdate()
    if deadline is not None and deadline < today:
        raise ValidationError(
            f"验收截止日期 {deadline:%Y-%m-%d} 已过，请填写今天（{today:%Y-%m-%d}）或以后的日期。"
        )


def scheme_settings_save(
    *,
    scheme: AcceptanceScheme,
    pass_mark: Decimal | None,
    deadline,
    note: str,
) -> AcceptanceScheme:
    """合格分, 验收截止日期, 验收说明."""
    with transaction.atomic():
        scheme = _locked(scheme)
        if pass_mark != scheme.pass_mark and scheme_decided(scheme):
            raise ValidationError("已有学校确认了验收结果，合格分不能再修改。")
        if pass_mark is None and scheme.is_published:
            raise ValidationError("已发布的方案必须有合格分。")
        if pass_mark is not None and pass_mark <= 0:
            raise ValidationError("合格分须大于 0。")
        _check_pass_mark(scheme, pass_mark)
        if deadline != scheme.deadline:  # a deadline that has since passed may stay as it is
            _check_deadline(deadline)
        scheme.pass_mark, scheme.deadline, scheme.note = pass_mark, deadline, note.strip()
        scheme.save(update_fields=["pass_mark", "deadline", "note"])
    return scheme


def rubric_item_save(
    *,
    scheme: AcceptanceScheme,
    item: RubricItem | None = None,
    parent: RubricItem | None,
    title: str,
    max_points: Decimal,
    guidance: str,
    order: int,
) -> RubricItem:
    """Add (item None) or change a dimension (parent None) or a scored item."""
    title = title.strip()
    if parent is not None and (parent.scheme_id != scheme.pk or parent.parent_id is not None):
        raise ValidationError("二级指标只能放在本方案的一级指标下。")
    if parent is not None and max_points <= 0:
        raise ValidationError("二级指标的满分须大于 0。")
    with transaction.atomic():
        scheme = _locked(scheme)
        _require_open(scheme)
        if item is not None and item.is_dimension != (parent is None):
            raise ValidationError("一级指标和二级指标不能互换。")
        row = item or RubricItem(scheme=scheme)
        row.parent, row.title, row.guidance, row.order = parent, title, guidance.strip(), order
        row.max_points = max_points if parent is not None else Decimal(0)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            raise ValidationError(f"已有名为“{title}”的同级指标。") from None
        if scheme.is_published:
            _check_pass_mark(scheme, scheme.pass_mark)
    return row


def rubric_item_delete(*, item: RubricItem) -> None:
    """Delete an item (a dimension with its items). Refused once a school has
    self-scored it or an expert scored it, as a proof item with files is:
    deleting it would silently take their scores; it can still be changed."""
    with transaction.atomic():
        scheme = _locked(item.scheme)
        _require_open(scheme)
        ids = [item.pk, *item.children.values_list("pk", flat=True)]
        if (
            SelfScore.objects.filter(item_id__in=ids).exists()
            or ExpertScore.objects.filter(item_id__in=ids).exists()
        ):
            what = f"“{item.title}”下的指标" if item.is_dimension else f"“{item.title}”"
            raise ValidationError(f"已有学校或专家为{what}评分，不能删除；可以修改它的内容。")
        item.delete()  # a dimension's items go with it (CASCADE)


def proof_item_save(
    *,
    scheme: AcceptanceScheme,
    item: ProofItem | None = None,
    number: int,
    content: str,
    form: str,
    platform: str,
) -> ProofItem:
    """Add (item None) or change one line of the checklist."""
    if platform and platform not in ProofItem.Platform.values:
        raise ValidationError("平台已有材料的选项无效。")
    with transaction.atomic():
        scheme = _locked(scheme)
        _require_open(scheme)
        row = item or ProofItem(scheme=scheme)
        row.number, row.content, row.form = number, content.strip(), form.strip()
        row.platform = platform
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            raise ValidationError(f"序号 {number} 已被其他证明项使用。") from None
    return row


def proof_item_delete(*, item: ProofItem) -> None:
    with transaction.atomic():
        _locked(item.scheme)
        _require_open(item.scheme)
        if item.files.exists():
            raise ValidationError(
                f"已有学校为第 {item.number} 项上传了材料，不能删除；可以修改它的内容。"
            )
        item.delete()


def scheme_publish(*, scheme: AcceptanceScheme, by: User) -> AcceptanceScheme:
    """发布: the district's schools see it and may prepare their materials.
    Needs a pass mark, at least one dimension with items and no empty one,
    and a checklist. Publishing twice does nothing. Tells every school admin
    of the district."""
    with transaction.atomic():
        scheme = _locked(scheme)
        if scheme.is_published:
            return scheme
        rubric = rubric_of(scheme)
        problems = []
        if scheme.pass_mark is None:
            problems.append("请先设置合格分")
        if not rubric.items:
            problems.append("评分细则还没有二级指标")
        empty = [d.dimension.title for d in rubric.dimensions if not d.items]
        if empty:
            problems.append(f"一级指标“{'、'.join(empty)}”下还没有二级指标")
        if not proof_items_of(scheme):
            problems.append("证明清单为空")
        if scheme.deadline is not None and scheme.deadline < timezone.localdate():
            problems.append(f"验收截止日期 {scheme.deadline:%Y-%m-%d} 已过，请先修改")
        if problems:
            raise ValidationError("还不能发布：" + "；".join(problems) + "。")
        _check_pass_mark(scheme, scheme.pass_mark)
        scheme.published_at, scheme.published_by = timezone.now(), by
        scheme.save(update_fields=["published_at", "published_by"])
        admins = (
            SchoolMembership.objects.active()
            .filter(school__region=scheme.region, is_school_admin=True)
            .values_list("user_id", flat=True)
        )
        deadline = f"，截止日期 {scheme.deadline:%Y-%m-%d}" if scheme.deadline else ""
        notify(
            users=list(admins),
            message=f"{scheme.region.name}教育局已发布{scheme.cycle.name}整校推进验收方案{deadline}。",
            link=reverse("assessment:acceptance"),
            kind="acceptance_scheme_published",
        )
    return scheme
