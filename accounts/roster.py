"""Roster import (.xlsx): every row is checked first; a file with any bad row
imports nothing and reports each bad row with its number and reason."""

import io
import zipfile
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from .idnumbers import is_valid_id_number, is_valid_phone, normalize_id_number
from .models import School, SchoolMembership, User
from .services import TeacherData, teacher_update, teachers_add

COLUMNS = ["姓名", "手机号", "身份证号", "学科", "学段", "是否专任教师"]
REQUIRED_COLUMNS = ["姓名", "手机号", "身份证号"]
MAX_ROWS = 3000
MAX_BYTES = 5 * 1024 * 1024
YES = {"是", "Y", "YES", "TRUE", "1", ""}
NO = {"否", "N", "NO", "FALSE", "0"}


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
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def roster_template() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "教师名单"
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.append(["张三", "13800138000", "440402199001011234", "语文", "小学", "是"])
    for col, width in zip("ABCDEF", (10, 14, 22, 8, 8, 14), strict=True):
        ws.column_dimensions[col].width = width
    # Text format keeps 18-digit ID numbers and phone numbers exact in Excel.
    for col in "BC":
        for row in range(1, 3001):
            ws[f"{col}{row}"].number_format = "@"
    notes = wb.create_sheet("填写说明")
    for line in (
        "1. 第一行为表头，请勿修改；每位教师一行。",
        "2. 姓名、手机号、身份证号必填；身份证号为 18 位，请以文本格式填写。",
        "3. 是否专任教师填“是”或“否”，留空视为“是”。",
        "4. 文件中任何一行有误时，整份名单都不会导入，请按提示修改后重新上传。",
        "5. 新教师的初始密码为身份证号后 6 位，首次登录须修改。",
    ):
        notes.append([line])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_rows(uploaded) -> list[tuple[int, dict]]:
    if uploaded.size > MAX_BYTES:
        raise RosterFileError("文件超过 5 MB，请删去多余的工作表或格式后重试。")
    data = uploaded.read()
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise RosterFileError(
            "无法读取该文件：请上传 Excel .xlsx 文件（可先下载名单模板填写）。"
        ) from exc
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [_cell_text(c) for c in next(rows, ())]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise RosterFileError(f"表头缺少列：{'、'.join(missing)}。请使用名单模板。")
    index = {name: header.index(name) for name in COLUMNS if name in header}
    result = []
    for number, values in enumerate(rows, start=2):
        cells = {name: values[i] if i < len(values) else None for name, i in index.items()}
        if all(_cell_text(v) == "" for v in cells.values()):
            continue
        result.append((number, cells))
        if len(result) > MAX_ROWS:
            raise RosterFileError(f"一次最多导入 {MAX_ROWS} 行，请分批导入。")
    wb.close()
    return result


def _parse_row(cells: dict) -> tuple[TeacherData | None, list[str]]:
    reasons = []
    name = _cell_text(cells.get("姓名"))
    phone = _cell_text(cells.get("手机号"))
    raw_id = cells.get("身份证号")
    id_number = normalize_id_number(_cell_text(raw_id))
    full_time = _cell_text(cells.get("是否专任教师")).upper()
    if not name:
        reasons.append("缺少姓名")
    if not is_valid_phone(phone):
        reasons.append(f"手机号“{phone}”格式不正确（应为 11 位手机号）" if phone else "缺少手机号")
    if isinstance(raw_id, int | float):
        reasons.append("身份证号被 Excel 存成了数字，末几位可能已丢失，请将该列设为文本后重新填写")
    elif not id_number:
        reasons.append("缺少身份证号")
    elif not is_valid_id_number(id_number):
        reasons.append(f"身份证号“{id_number}”不是有效的 18 位身份证号")
    if full_time not in YES | NO:
        reasons.append("“是否专任教师”应填“是”或“否”")
    if reasons:
        return None, reasons
    return TeacherData(
        real_name=name,
        phone=phone,
        id_number=id_number,
        subject=_cell_text(cells.get("学科")),
        stage=_cell_text(cells.get("学段")),
        is_full_time=full_time not in NO,
    ), []


def _conflicts(school: School, parsed: list[tuple[int, TeacherData]]) -> list[RowError]:
    """Rows that clash with each other or with people already on the platform."""
    errors = []
    seen_phone: dict[str, int] = {}
    seen_id: dict[str, int] = {}
    for row, data in parsed:
        if data.id_number in seen_id:
            errors.append(RowError(row, f"身份证号与第 {seen_id[data.id_number]} 行重复"))
        elif data.phone in seen_phone:
            errors.append(RowError(row, f"手机号与第 {seen_phone[data.phone]} 行重复"))
        seen_id.setdefault(data.id_number, row)
        seen_phone.setdefault(data.phone, row)

    ids = [d.id_number for _, d in parsed]
    phones = [d.phone for _, d in parsed]
    users = User.objects.filter(Q(id_number__in=ids) | Q(phone__in=phones))
    by_id = {u.id_number: u for u in users if u.id_number}
    by_phone = {u.phone: u for u in users if u.phone}
    schools = dict(
        SchoolMembership.objects.active()
        .filter(user__in=users)
        .values_list("user_id", "school__name")
    )
    own = set(
        SchoolMembership.objects.active()
        .filter(school=school, user__in=users)
        .values_list("user_id", flat=True)
    )
    for row, data in parsed:
        person = by_id.get(data.id_number)
        holder = by_phone.get(data.phone)
        if holder and (person is None or holder.pk != person.pk):
            errors.append(RowError(row, f"手机号 {data.phone} 已被其他人使用"))
        if person and person.pk in schools and person.pk not in own:
            errors.append(
                RowError(row, f"该教师已在“{schools[person.pk]}”，需原学校移除后才能导入")
            )
    return errors


def roster_import(*, school: School, uploaded) -> ImportResult:
    """Checks every row, then imports all of them in one transaction, or none."""
    result = ImportResult()
    parsed = []
    for row, cells in _read_rows(uploaded):
        data, reasons = _parse_row(cells)
        if reasons:
            result.errors.append(RowError(row, "；".join(reasons)))
        else:
            parsed.append((row, data))
    result.errors.extend(_conflicts(school, parsed))
    result.errors.sort(key=lambda e: e.row)
    if result.errors:
        return result
    if not parsed:
        raise RosterFileError("文件中没有教师数据。")
    _apply(school, parsed, result)
    return result


@transaction.atomic
def _apply(school: School, parsed: list[tuple[int, TeacherData]], result: ImportResult) -> None:
    existing = {
        m.user.id_number: m
        for m in SchoolMembership.objects.active()
        .filter(school=school, user__id_number__in=[d.id_number for _, d in parsed])
        .select_related("user")
    }
    new = [data for _, data in parsed if data.id_number not in existing]
    teachers_add(school=school, rows=new)
    result.created = len(new)
    for _row, data in parsed:
        membership = existing.get(data.id_number)
        if membership is None:
            continue
        if teacher_update(membership=membership, data=data):
            result.updated += 1
        else:
            result.unchanged += 1
