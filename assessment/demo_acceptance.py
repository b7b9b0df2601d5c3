"""Demo data for whole-school acceptance (整校推进验收) in 赤坎区: the district's
published scheme (the reference rubric plus the district's own 研修实施
dimension, 60 points, pass mark 36; seed 001's 15 items), two experts
(`expert` and `expert2`), and a school at every stage:

- 赤坎区第一小学 (the `school` login's, the demo's full story): 准备中, a few
  files and half the self-score, the 95% gate not met;
- 赤坎区实验中学: 未开始 (nothing uploaded yet);
- 赤坎区第二小学: 已提交验收, `expert` has saved a draft, `expert2` not begun;
- 赤坎区第三小学: 已评分 (both experts submitted): the district confirms;
- 赤坎区第二中学: 已通过, every teacher's hours registered;
- 赤坎区第四小学: 未通过, with the district's reason;
- 赤坎区第五小学: returned once for more material, then submitted again;
- 赤坎区第六小学: 已退回, waiting for the school.

Everything goes through the services (the gate's evaluations too, with real
small files); skipped when 赤坎区 already has a scheme for the cycle, but the
logins are printed every time."""

import functools
import struct
import zlib
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.demo import _person, _place  # the demo's own people builders
from accounts.models import RegionRole, School, SchoolMembership
from groups.models import SchoolTheme
from groups.services import group_create, group_member_add, theme_save

from . import services
from .demo import DOCX, _docx, _evidence, _hours_for, _pdf, _upload
from .models import AcceptanceScheme, ProofItem
from .selectors.acceptance import rubric_of
from .services import acceptance as acc
from .services import acceptance_scheme as schemes

# The district's own dimension, beside the reference rubric's 30 points.
DISTRICT_DIMENSION = (
    "研修实施（赤坎区实施细则）",
    [
        ("混合式研修活动开展", Decimal(15), "查阅平台活动记录：四类活动齐全，按计划按月开展"),
        ("能力点应用与测评", Decimal(10), "查阅测评结果登记表：95% 以上专任教师合格"),
        ("典型案例与成果", Decimal(5), "查阅典型案例：每个教研组至少一个，含课堂实录"),
    ],
)
PASS_MARK = Decimal(36)

# (school, code, admin login, stage, teachers): the new schools of 赤坎区.
# Two or three teachers each: every full-time teacher's three points go
# through the whole evaluation (evidence, submission, 合格), the demo's
# slowest part.
SCHOOLS = [
    ("赤坎区第二小学", "440802101", "school2", "submitted", 2),
    ("赤坎区第三小学", "440802103", "school3", "scored", 2),
    ("赤坎区第二中学", "440802102", "school4", "passed", 3),
    ("赤坎区第四小学", "440802104", "school5", "failed", 2),
    ("赤坎区第五小学", "440802105", "school6", "resubmitted", 2),
    ("赤坎区第六小学", "440802106", "school7", "returned", 2),
]
STAGE_NOTES = {
    "submitted": "已提交验收，专家评分中",
    "scored": "已评分，待教育局确认",
    "passed": "已通过，学时已登记",
    "failed": "未通过",
    "resubmitted": "退回一次后重新提交",
    "returned": "已退回，待学校补充",
}


def _png(width: int = 240, height: int = 150, rgb=(13, 110, 253)) -> bytes:
    """A valid one-colour PNG (a stand-in for a photographed 表单)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


@functools.cache
def _word(content: str, form: str) -> bytes:
    return _docx(content, [form, "（演示材料）"])  # python-docx is slow: once per item


def _material(item: ProofItem, extra: str = ""):
    """A file for an item: the 表单 items as a picture, 讲话/制度 as Word, the rest PDF."""
    name = f"{item.number:02d}-{item.content}{extra}"
    if "表单" in item.form:
        return _upload(f"{name}.png", _png(), "image/png")
    if item.form.startswith(("讲话", "制度", "管理")):
        return _upload(f"{name}.docx", _word(item.content, item.form), DOCX)
    return _upload(f"{name}.pdf", _pdf(f"Item {item.number} {extra}".strip()), "application/pdf")


def _scheme(ctx, district, admin) -> AcceptanceScheme:
    scheme = schemes.scheme_create(region=district, cycle=ctx.cycle, by=admin)
    title, items = DISTRICT_DIMENSION
    dimension = schemes.rubric_item_save(
        scheme=scheme, parent=None, title=title, max_points=Decimal(0), guidance="", order=3
    )
    for order, (item_title, max_points, guidance) in enumerate(items, start=1):
        schemes.rubric_item_save(
            scheme=scheme,
            parent=dimension,
            title=item_title,
            max_points=max_points,
            guidance=guidance,
            order=order,
        )
    schemes.scheme_settings_save(
        scheme=scheme,
        pass_mark=PASS_MARK,
        deadline=timezone.localdate() + timedelta(days=30),
        note="材料以电子版上传；现场汇报时间另行通知。",
    )
    return schemes.scheme_publish(scheme=scheme, by=admin)


def _ready(ctx, school: School, admin_login: str, n: int, keys, number: int) -> dict:
    """A school admin, a (non-teaching) info-team member, `n` teachers of the
    school (new ones if it has none), the theme's key points, and every
    full-time teacher's three points 合格 (the 95% gate)."""
    admin = _person(admin_login, f"{school.name[3:5]}校管", number)
    _place(admin, school, is_school_admin=True, is_teacher=False, is_full_time=False)
    info = _person(f"{admin_login}info", f"{school.name[3:5]}信息员", number + 1)
    _place(info, school, is_info_team=True, is_teacher=False, is_full_time=False)
    if not SchoolMembership.objects.teachers().filter(school=school).exists():
        for i in range(n):
            teacher = _person(
                f"{admin_login}t{i + 1}", f"{school.name[3:5]}老师{i + 1}", number + 2 + i
            )
            _place(teacher, school, subject="语文", stage=school.stages)
    if not SchoolTheme.objects.filter(school=school, cycle=ctx.cycle).exists():
        theme_save(
            school=school,
            cycle=ctx.cycle,
            title="信息技术支持的课堂评价",
            description="",
            key_points=keys,
            by=admin,
        )
    teachers = [
        m.user
        for m in SchoolMembership.objects.teachers()
        .filter(school=school)
        .select_related("user")
        .order_by("user__username")
    ]
    # One group of all of them (a school in acceptance has its 教研组).
    group = group_create(school=school, name="综合组", leader=teachers[0], by=admin)
    group_member_add(group=group, users=teachers[1:], by=admin)
    for teacher in teachers:
        services.point_choices_save(teacher=teacher, school=school, cycle=ctx.cycle, points=keys)
        for point in keys:
            _evidence(teacher, school, ctx.cycle, point)
            e = services.evaluation_submit(
                teacher=teacher, school=school, cycle=ctx.cycle, point=point
            )
            services.evaluation_assess(evaluation=e, by=info, result="passed")
    return {"admin": admin, "teachers": teachers, "group": group}


def _materials(ctx, school: School, admin, scheme, *, all_items: bool = True) -> None:
    items = ProofItem.objects.filter(scheme=scheme).order_by("number")
    for item in items if all_items else items[:3]:
        acc.proof_files_add(
            school=school,
            cycle=ctx.cycle,
            item=item,
            uploads=[_material(item)],
            by=admin,
        )
    rubric = rubric_of(scheme).items
    scored = rubric if all_items else rubric[: len(rubric) // 2]
    acc.self_scores_save(
        school=school,
        cycle=ctx.cycle,
        scores={
            i.pk: (i.max_points - (i.pk % 2), "对照细则逐项自查，材料见证明清单") for i in scored
        },
        by=admin,
    )


def _score(assignment, scheme, *, weak: bool = False, submit: bool = True, items=None) -> None:
    """Near full marks (one point off every other item), or half marks for a
    weak school (below the pass mark of 36 of 60)."""
    rubric = items if items is not None else rubric_of(scheme).items
    scores = {
        i.pk: (
            (i.max_points / 2).quantize(Decimal("0.1")) if weak else i.max_points - i.pk % 2,
            "材料不全，部分为补写" if weak else "材料齐全，过程性记录清楚",
        )
        for i in rubric
    }
    if submit:
        acc.expert_scores_submit(assignment=assignment, scores=scores)
    else:
        acc.expert_scores_save(assignment=assignment, scores=scores)


def load(ctx) -> None:
    district = ctx.districts[0]
    admin = ctx.users["district_admin"]
    expert = ctx.users["expert"]
    expert2 = _person("expert2", "林专家", 6)
    RegionRole.objects.get_or_create(user=expert2, region=district, kind="expert")
    _logins(ctx)
    if AcceptanceScheme.objects.filter(region=district, cycle=ctx.cycle).exists():
        return
    theme = SchoolTheme.objects.filter(school=ctx.school, cycle=ctx.cycle).first()
    keys = list(theme.key_points.order_by("sort_key", "code")[:3]) if theme else []
    if len(keys) < 3:
        return
    scheme = _scheme(ctx, district, admin)
    cycle = ctx.cycle

    def assign(school):
        acc.experts_assign(
            schools=[school],
            experts=[expert, expert2],
            cycle=cycle,
            region_id=district.pk,
            by=admin,
        )
        return acc.acceptance_open(school=school, cycle=cycle)

    # 赤坎区第一小学: preparing (a few files, half the self-score).
    _materials(ctx, ctx.school, ctx.users["school_admin"], scheme, all_items=False)

    for number, (name, code, login, stage, n) in enumerate(SCHOOLS):
        school, _ = School.objects.get_or_create(
            code=code, defaults={"name": name, "region": district, "stages": "小学"}
        )
        ready = _ready(ctx, school, login, n, keys, 2100 + number * 20)
        if stage == "passed":
            _hours(ctx, school, ready)
        _materials(ctx, school, ready["admin"], scheme)
        acc.acceptance_submit(school=school, cycle=cycle, by=ready["admin"])
        a = assign(school)
        if stage == "submitted":  # `expert` has a draft, `expert2` has not begun
            half = rubric_of(scheme).items[:4]
            _score(a.assignments.get(expert=expert), scheme, submit=False, items=half)
            continue
        if stage in ("returned", "resubmitted"):
            _score(a.assignments.get(expert=expert2), scheme, submit=False)
            acc.acceptance_return(
                acceptance=a,
                by=admin,
                reason="第 5 项校长动员讲话稿只有提纲的标题，请上传全文或完整提纲；"
                "第 13 项资源库目录请按学科分类。",
            )
            if stage == "resubmitted":
                for number_ in (5, 13):
                    item = ProofItem.objects.get(scheme=scheme, number=number_)
                    acc.proof_files_add(
                        school=school,
                        cycle=cycle,
                        item=item,
                        uploads=[_material(item, "（补充）")],
                        by=ready["admin"],
                    )
                acc.acceptance_submit(school=school, cycle=cycle, by=ready["admin"])
                _score(a.assignments.get(expert=expert2), scheme)
            continue
        for who in (expert, expert2):
            _score(a.assignments.get(expert=who), scheme, weak=stage == "failed")
        a.refresh_from_db()
        if stage == "passed":
            acc.acceptance_pass(acceptance=a, by=admin)
        elif stage == "failed":
            acc.acceptance_fail(
                acceptance=a,
                by=admin,
                reason="专家平均分未达合格分：教研组活动计划与实际开展脱节，测评结果分析流于形式。",
            )


def _hours(ctx, school: School, ready: dict) -> None:
    """25 hours for the members of the school that passes (three offline
    activities of its group, with evidence): registration has something to
    register. The leader's own hours would wait as a claim: they have none."""
    leader, *members = ready["teachers"]
    _hours_for(ready["group"], leader, members, ctx.cycle.starts_on)


def _logins(ctx) -> None:
    ctx.logins.append(("考核专家（第二位，赤坎区）", "expert2", "评审学校：/expert/acceptance/"))
    ctx.logins.append(
        (
            "整校推进验收（赤坎区）",
            "district",
            "验收方案：/district/scheme/；验收评审：/district/acceptance/",
        )
    )
    for name, _code, login, stage, _n in SCHOOLS:
        ctx.logins.append((f"学校管理员（{name}）", login, STAGE_NOTES[stage]))
