"""The district admin's 验收方案 (seed 001 校本推进安排 row 5: 市区教育局制定学校整校
验收与考核方案): the pass mark, the deadline, the rubric tree and the proof
checklist, edited item by item, then published to the district's schools."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Region
from accounts.roles import Role

from ..access import get_proof_item_for_district, get_rubric_item_for_district
from ..forms_acceptance import ProofItemForm, RubricItemForm, SchemeSettingsForm
from ..selectors.acceptance import (
    proof_items_of,
    rubric_of,
    scheme_decided,
    scheme_frozen,
    scheme_of_region,
)
from ..services.acceptance_scheme import (
    proof_item_delete,
    proof_item_save,
    rubric_item_delete,
    rubric_item_save,
    scheme_create,
    scheme_publish,
    scheme_settings_save,
)
from .common import current_cycle, form_errors, refuse

PAGE = "assessment:scheme"


def _scheme(request):
    """The district's scheme for the current cycle; 404 before it is made."""
    cycle = current_cycle(request)
    scheme = scheme_of_region(region_id=request.grant.region_id, cycle=cycle)
    if scheme is None:
        raise Http404
    return scheme


@role_required(Role.DISTRICT_ADMIN)
def scheme_page(request):
    cycle = current_cycle(request)
    scheme = scheme_of_region(region_id=request.grant.region_id, cycle=cycle)
    context = {"cycle": cycle, "scheme": scheme}
    if scheme is not None:
        context.update(
            rubric=rubric_of(scheme),
            proof_items=proof_items_of(scheme),
            frozen=scheme_frozen(scheme),
            decided=scheme_decided(scheme),
            settings_form=SchemeSettingsForm(
                initial={
                    "pass_mark": scheme.pass_mark,
                    "deadline": scheme.deadline,
                    "note": scheme.note,
                }
            ),
        )
    return render(request, "assessment/scheme.html", context)


@require_POST
@role_required(Role.DISTRICT_ADMIN)
def scheme_create_post(request):
    cycle = current_cycle(request)
    if cycle is not None:
        region = Region.objects.get(pk=request.grant.region_id)
        try:
            scheme_create(region=region, cycle=cycle, by=request.user)
        except ValidationError as exc:
            refuse(request, exc)
        else:
            messages.success(
                request, "已按省定 15 项证明清单和参考评分细则生成初稿，请修改后发布。"
            )
    return redirect(PAGE)


@require_POST
@role_required(Role.DISTRICT_ADMIN)
def scheme_settings(request):
    scheme = _scheme(request)
    form = SchemeSettingsForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(PAGE)
    try:
        scheme_settings_save(scheme=scheme, **form.cleaned_data)
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, "合格分、截止日期和说明已保存。")
    return redirect(PAGE)


@require_POST
@role_required(Role.DISTRICT_ADMIN)
def scheme_publish_post(request):
    scheme = _scheme(request)
    try:
        scheme_publish(scheme=scheme, by=request.user)
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, "验收方案已发布，辖区学校已收到通知。")
    return redirect(PAGE)


def _item_form_page(request, scheme, form, title):
    return render(
        request,
        "assessment/scheme_item_form.html",
        {"scheme": scheme, "form": form, "title": title},
    )


@role_required(Role.DISTRICT_ADMIN)
def rubric_item_new(request):
    """?parent=<dimension id> adds a 二级指标 under it; without, a 一级指标."""
    scheme = _scheme(request)
    dimension = request.GET.get("parent") is None and request.POST.get("parent") is None
    initial = {"parent": request.GET.get("parent"), "order": len(rubric_of(scheme).dimensions) + 1}
    form = RubricItemForm(request.POST or None, scheme=scheme, dimension=dimension, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_rubric_item(request, scheme, form, None)
    ):
        return redirect(reverse(PAGE) + "#rubric")
    return _item_form_page(request, scheme, form, "添加一级指标" if dimension else "添加二级指标")


@role_required(Role.DISTRICT_ADMIN)
def rubric_item_edit(request, item_id: int):
    item = get_rubric_item_for_district(request.grant, item_id)
    scheme = item.scheme
    initial = {
        "parent": item.parent_id,
        "title": item.title,
        "max_points": item.max_points,
        "guidance": item.guidance,
        "order": item.order,
    }
    form = RubricItemForm(
        request.POST or None, scheme=scheme, dimension=item.is_dimension, initial=initial
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_rubric_item(request, scheme, form, item)
    ):
        return redirect(PAGE)
    return _item_form_page(request, scheme, form, f"修改指标：{item.title}")


def _save_rubric_item(request, scheme, form, item) -> bool:
    data = form.cleaned_data
    try:
        row = rubric_item_save(
            scheme=scheme,
            item=item,
            parent=data.get("parent"),
            title=data["title"],
            max_points=data.get("max_points") or 0,
            guidance=data.get("guidance", ""),
            order=data["order"],
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    messages.success(request, f"指标“{row.title}”已保存。")
    return True


@require_POST
@role_required(Role.DISTRICT_ADMIN)
def rubric_item_delete_post(request, item_id: int):
    item = get_rubric_item_for_district(request.grant, item_id)
    try:
        rubric_item_delete(item=item)
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, f"已删除指标“{item.title}”。")
    return redirect(PAGE)


@role_required(Role.DISTRICT_ADMIN)
def proof_item_new(request):
    scheme = _scheme(request)
    numbers = [i.number for i in proof_items_of(scheme)]
    form = ProofItemForm(request.POST or None, initial={"number": max(numbers, default=0) + 1})
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_proof_item(request, scheme, form, None)
    ):
        return redirect(PAGE)
    return _item_form_page(request, scheme, form, "添加证明项")


@role_required(Role.DISTRICT_ADMIN)
def proof_item_edit(request, proof_item_id: int):
    item = get_proof_item_for_district(request.grant, proof_item_id)
    initial = {
        "number": item.number,
        "content": item.content,
        "form": item.form,
        "platform": item.platform,
    }
    form = ProofItemForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_proof_item(request, item.scheme, form, item)
    ):
        return redirect(PAGE)
    return _item_form_page(request, item.scheme, form, f"修改证明项：第 {item.number} 项")


def _save_proof_item(request, scheme, form, item) -> bool:
    try:
        row = proof_item_save(scheme=scheme, item=item, **form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    messages.success(request, f"第 {row.number} 项“{row.content}”已保存。")
    return True


@require_POST
@role_required(Role.DISTRICT_ADMIN)
def proof_item_delete_post(request, proof_item_id: int):
    item = get_proof_item_for_district(request.grant, proof_item_id)
    try:
        proof_item_delete(item=item)
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, f"已删除第 {item.number} 项。")
    return redirect(PAGE)
