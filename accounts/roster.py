"""Roster import (.xlsx): every row is checked first; a file with any bad row
imports nothing and reports each bad row with its number and reason.

Who a row may touch (DESIGN §2 "People and passwords"): a new person (an
account with a random initial password), a teacher of this school (updated),
or a person already on the platform with no place and no role anywhere else (a
transfer: attached as they are, their own name, phone and password kept). Never
anyone holding a role outside the school, and no message names another school.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from .access import BEYOND_SCHOOL_MESSAGE, people_beyond_school
from .exports import Sheet, xlsx_book
from .holds import FULL_TIME, held
from .idnumbers import (
    is_masked_id_number,
    is_valid_id_number,
    is_valid_phone,
    normalize_id_number,
    normalize_phone,
)
from .models import STAGES, IdNumberRefusal, School, SchoolMembership, User
from .selectors import cycle_current
from .services import (
    ID_CHECKS_SPENT,
    IssuedPassword,
    TeacherData,
    numbers_screen,
    teacher_update,
    teachers_add,
)
from .xlsx import XlsxError, XlsxLimits, cell_text, xlsx_rows

COLUMNS = ["姓名", "手机号", "身份证号", "学科", "学段", "是否专任教师"]
REQUIRED_COLUMNS = ["姓名", "手机号", "身份证号"]
MAX_ROWS = 3000
MAX_BYTES = 5 * 1024 * 1024
LIMITS = XlsxLimits(max_bytes=MAX_BYTES, max_rows=MAX_ROWS, max_columns=20)
YES = {"是", "Y", "YES", "TRUE", "1", ""}
NO = {"否", "N", "NO", "FALSE", "0"}
# The database's own limits (User.real_name, SchoolMembership.subject).
MAX_NAME = 50
MAX_SUBJECT = 30


class RosterFileError(Exception):
    """The file as a whole can't be read (not .xlsx, no header, too big)."""


@dataclass
class RowError:
    row: int
    reason: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    attached: int = 0  # people already on the platform who joined the school
    updated: int = 0
    unchanged: int = 0
    # Rows imported, but not exactly as written (a transfer keeps the person's own data).
    notes: list[RowError] = field(default_factory=list)
    passwords: list[IssuedPassword] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


NOTES = (
    "1. 第一行为表头，请勿修改；从第二行起每位教师一行，不要留示例行。",
    "2. 姓名、手机号、身份证号必填；身份证号为 18 位，请以文本格式填写（本模板已设为文本）。",
    f"3. 学段填写 {'、'.join(STAGES)} 之一，可留空。",
    "4. 是否专任教师填“是”或“否”，留空视为“是”。",
    "5. 文件中任何一行有误时，整份名单都不会导入，请按提示修改后重新上传。",
    "6. 从平台导出的名单可修改后重新导入：身份证号显示为“440402*******”的行，"
    "按手机号对应本校已有教师，身份证号保持不变。",
    "7. 新教师的初始密码由平台随机生成：导入成功后请立即下载初始密码表（只能下载一次），"
    "分发给教师；教师首次登录须修改密码。",
    "8. 已在其他学校任职的教师，须原学校先办理调岗移除后才能导入。",
    "示例（请勿照抄到第一个工作表）：王芳 | 13800138000 | 18 位身份证号 | 语文 | 小学 | 是",
)


def roster_template() -> bytes:
    """The header only (a sample row would be imported as a teacher, or fail
    the ID check), the phone and ID columns typed as text, and a sheet of notes."""
    return xlsx_book(
        [
            Sheet("教师名单", COLUMNS, [], widths=[10, 14, 22, 10, 10, 14], text_columns=[1, 2]),
            Sheet("填写说明", ["填写说明"], [[line] for line in NOTES], widths=[100]),
        ]
    )


@dataclass
class _Row:
    number: int
    data: TeacherData
    masked: str = ""  # the masked ID number as written ("440402*******"), to resolve


def _read_rows(uploaded) -> list[tuple[int, dict]]:
    try:
        rows = xlsx_rows(uploaded, limits=LIMITS)
        first = next(rows, None)
        if first is None:
            raise RosterFileError("文件是空的。请使用名单模板。")
        header = [cell_text(c) for c in first[1]]
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise RosterFileError(f"表头缺少列：{'、'.join(missing)}。请使用名单模板。")
        index = {name: header.index(name) for name in COLUMNS if name in header}
        result = []
        for number, values in rows:
            cells = {name: values[i] for name, i in index.items()}
            if all(cell_text(v) == "" for v in cells.values()):
                continue
            result.append((number, cells))
    except XlsxError as exc:
        raise RosterFileError(str(exc)) from exc
    return result


def _parse_row(number: int, cells: dict) -> tuple[_Row | None, list[str]]:
    reasons = []
    name = cell_text(cells.get("姓名"))
    phone = normalize_phone(cell_text(cells.get("手机号")))
    raw_id = cells.get("身份证号")
    id_number = normalize_id_number(cell_text(raw_id))
    subject = cell_text(cells.get("学科"))
    stage = cell_text(cells.get("学段"))
    full_time = cell_text(cells.get("是否专任教师")).upper()
    masked = ""
    if not name:
        reasons.append("缺少姓名")
    elif len(name) > MAX_NAME:
        reasons.append(f"姓名超过 {MAX_NAME} 字")
    if not is_valid_phone(phone):
        shown = phone[:20] + ("…" if len(phone) > 20 else "")
        reasons.append(f"手机号“{shown}”格式不正确（应为 11 位手机号）" if phone else "缺少手机号")
    if isinstance(raw_id, int | float):
        reasons.append("身份证号被 Excel 存成了数字，末几位可能已丢失，请将该列设为文本后重新填写")
    elif not id_number:
        reasons.append("缺少身份证号")
    elif is_masked_id_number(id_number):
        masked, id_number = id_number, ""
    elif not is_valid_id_number(id_number):
        shown = id_number[:20] + ("…" if len(id_number) > 20 else "")
        reasons.append(f"身份证号“{shown}”不是有效的 18 位身份证号")
    if len(subject) > MAX_SUBJECT:
        reasons.append(f"学科超过 {MAX_SUBJECT} 字")
    if stage and stage not in STAGES:
        shown = stage[:10] + ("…" if len(stage) > 10 else "")
        reasons.append(f"学段“{shown}”不正确（应为 {'、'.join(STAGES)} 之一，或留空）")
    if full_time not in YES | NO:
        reasons.append("“是否专任教师”应填“是”或“否”")
    if reasons:
        return None, reasons
    data = TeacherData(
        real_name=name,
        phone=phone,
        id_number=id_number,
        subject=subject,
        stage=stage,
        is_full_time=full_time not in NO,
    )
    return _Row(number, data, masked), []


@dataclass
class _Plan:
    """What the checked rows will do, once nothing is wrong with any of them."""

    new: list[TeacherData] = field(default_factory=list)  # new people and transfers
    own: list[tuple[SchoolMembership, TeacherData]] = field(default_factory=list)
    notes: list[RowError] = field(default_factory=list)
    # Why the school's 专任 flags may not change now ("" none), read once when
    # a row would change one (_full_time_held).
    full_time_held: str | None = None


def _full_time_held(school: School, plan: _Plan) -> str:
    """accounts.holds for the 专任 flag, read (and the acceptance locked) once
    per import: teacher_update would refuse the row inside the transaction."""
    if plan.full_time_held is None:
        refusal = held(school_id=school.pk, cycle=cycle_current(), what=FULL_TIME)
        plan.full_time_held = refusal or ""
    return plan.full_time_held


def _check(school: School, rows: list[_Row], errors: list[RowError]) -> _Plan:
    """Rows that clash with each other or with people already on the platform;
    resolves masked ID numbers to the school's own teachers (by phone)."""
    phones = [r.data.phone for r in rows]
    ids = [r.data.id_number for r in rows if r.data.id_number]
    users = list(
        User.objects.filter(Q(id_number__in=ids) | Q(phone__in=phones) | Q(username__in=phones))
    )
    by_id = {u.id_number: u for u in users if u.id_number}
    # A phone is taken by whoever has it as phone or as login name.
    by_phone = {**{u.username: u for u in users}, **{u.phone: u for u in users if u.phone}}
    own = {
        m.user_id: m
        for m in SchoolMembership.objects.active()
        .filter(school=school, user__in=users)
        .select_related("user")
    }
    beyond = people_beyond_school(school_id=school.pk, user_ids=[u.pk for u in users])

    plan = _Plan()
    seen_phone: dict[str, int] = {}
    seen_id: dict[str, int] = {}
    for row in rows:
        data, number = row.data, row.number
        holder = by_phone.get(data.phone)
        if row.masked:
            # An exported roster: the row names a teacher of this school by phone.
            if (
                holder is None
                or holder.pk not in own
                or not (holder.id_number or "").startswith(row.masked[:6])
            ):
                errors.append(
                    RowError(
                        number,
                        f"身份证号“{row.masked}”已隐去，只能用于本校已有的教师，"
                        f"而手机号 {data.phone} 不是本校哪位教师的手机号："
                        "请填写完整的 18 位身份证号",
                    )
                )
                continue
            data.id_number = holder.id_number
        if data.id_number in seen_id:
            errors.append(RowError(number, f"身份证号与第 {seen_id[data.id_number]} 行重复"))
            continue
        if data.phone in seen_phone:
            errors.append(RowError(number, f"手机号与第 {seen_phone[data.phone]} 行重复"))
            continue
        seen_id[data.id_number] = seen_phone[data.phone] = number
        person = by_id.get(data.id_number)
        if holder is not None and (person is None or holder.pk != person.pk):
            errors.append(RowError(number, f"手机号 {data.phone} 已被其他人使用"))
            continue
        if person is None:
            plan.new.append(data)
        elif person.pk in own:
            same = (person.real_name, person.phone) == (data.real_name, data.phone)
            if person.pk in beyond and not same:
                errors.append(
                    RowError(
                        number,
                        "该教师还担任本校以外的职务，姓名和手机号不能由本校修改；"
                        "请改回平台登记的信息，或联系区县教育局管理员更正",
                    )
                )
                continue
            if own[person.pk].is_full_time != data.is_full_time and (
                refusal := _full_time_held(school, plan)
            ):
                errors.append(RowError(number, f"“是否专任教师”与名单中不同，不能修改：{refusal}"))
                continue
            plan.own.append((own[person.pk], data))
        elif person.pk in beyond:
            errors.append(RowError(number, BEYOND_SCHOOL_MESSAGE))
        else:
            plan.new.append(data)
            if (person.real_name, person.phone) != (data.real_name, data.phone):
                plan.notes.append(
                    RowError(
                        number,
                        f"该教师已在平台登记，已按平台登记的姓名“{person.real_name}”"
                        f"和手机号 {person.phone} 加入本校，表中不同的姓名或手机号未采用；"
                        "如需更正，可在教师名单中编辑",
                    )
                )
    return plan


def roster_import(*, school: School, uploaded, by: User | None = None) -> ImportResult:
    """Checks every row, then imports all of them in one transaction, or none.

    Two imports of the same file at once (a double click, a retried upload):
    the second waits on the unique ID numbers and fails; it is then run again
    and finds every row already imported, so each person is stored once.

    Before any row is reported, the file's ID numbers and phones are screened
    as a whole (accounts.services.numbers_screen): rows of people the school
    may not touch, and phones of people outside it, are counted and audited,
    and a file that would take the school past its daily budget of such
    answers (or comes after it) is refused whole, saying nothing about any
    row."""
    parsed = _read_rows(uploaded)
    pairs = _full_numbers(parsed)
    screen = numbers_screen(
        school=school,
        by=by,
        id_numbers=[n for _, n in pairs],
        phones=pairs,
        via=IdNumberRefusal.Via.IMPORT,
    )
    if screen.spent:
        raise RosterFileError(ID_CHECKS_SPENT)
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                return _import(school, parsed, by)
        except ValidationError as exc:  # accounts.services._rejoins_checked
            raise RosterFileError(exc.messages[0]) from exc
        except IntegrityError as exc:
            if attempt == 2:
                raise RosterFileError(
                    "同一时间有另一份名单正在导入，请稍后刷新教师名单查看结果。"
                ) from exc
    raise AssertionError("unreachable")


def _full_numbers(parsed: list[tuple[int, dict]]) -> list[tuple[str, str]]:
    """(phone, ID number) of the rows that name a complete ID number (masked
    ones name the school's own teachers by phone, and broken ones name nobody)."""
    numbers = []
    for number, cells in parsed:
        row, _ = _parse_row(number, cells)
        if row is not None and row.data.id_number and not row.masked:
            numbers.append((row.data.phone, row.data.id_number))
    return numbers


def _import(school: School, parsed: list[tuple[int, dict]], by: User | None) -> ImportResult:
    result = ImportResult()
    rows = []
    for number, cells in parsed:
        row, reasons = _parse_row(number, cells)
        if reasons:
            result.errors.append(RowError(number, "；".join(reasons)))
        else:
            rows.append(row)
    plan = _check(school, rows, result.errors)
    result.errors.sort(key=lambda e: e.row)
    if result.errors:
        return result
    if not rows:
        raise RosterFileError("文件中没有教师数据。")
    added = teachers_add(school=school, rows=plan.new, by=by)
    result.passwords = added.passwords
    result.created = len(added.passwords)
    result.attached = len(added.existing)
    result.notes = plan.notes
    for membership, data in plan.own:
        if teacher_update(membership=membership, data=data, by=by):
            result.updated += 1
        else:
            result.unchanged += 1
    return result
