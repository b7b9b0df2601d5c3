"""The one .xlsx reader, behind every import (the roster, the ability-point
catalogue). The one writer is accounts/exports.py.

An uploaded workbook is hostile until shown otherwise: a few MB can unpack to
GB (a zip bomb), a sheet can reach row 1,048,576 or column XFD with a handful of
bytes, and its XML can carry a DTD (billion laughs, external entities). So
before openpyxl parses anything: the file's size, the zip's member count, each
member's unpacked size and packing ratio, their total, and no DTD in any XML
part; then the sheet's declared dimension; then rows are streamed (read-only
mode), every row counted against the limit (empty ones too) and only the first
`max_columns` columns read, so a cell at XFD costs nothing.
"""

import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from openpyxl import load_workbook

from .sizes import too_big_message

MB = 1024 * 1024
log = logging.getLogger("xiaoben")


class XlsxError(Exception):
    """The file as a whole can't be read; the message says why, in Chinese."""


@dataclass(frozen=True)
class XlsxLimits:
    max_bytes: int = 5 * MB
    # Rows after the header, empty ones included: Excel keeps formatted empty
    # rows, and a sheet of empty rows costs as much to read as a full one.
    max_rows: int = 3000
    # Columns read from the left; anything to their right is never looked at.
    max_columns: int = 30
    # Unpacked sizes: a real 3,000-row roster unpacks to about 2 MB.
    max_unpacked: int = 40 * MB
    max_member: int = 20 * MB
    # Sheet XML packs about 5-20 to one; a bomb packs hundreds to one.
    max_ratio: int = 100
    max_members: int = 300

    @property
    def rows_message(self) -> str:
        return (
            f"工作表超过 {self.max_rows} 行（空行也计算在内）。导入只读第一个工作表："
            "请删除多余的行和其他工作表，或分成几个文件导入。"
        )


NOT_XLSX = "无法读取该文件：请上传 Excel .xlsx 文件（可用 Excel 或 WPS 另存为 .xlsx）。"
_RATIO_FLOOR = 1 * MB  # smaller members can't hurt, whatever their ratio
_HEAD = 16 * 1024
_PROLOG_PART = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.S)
_ELEMENT = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s/>]")
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)[\s/>]")
UNSAFE_XML = (
    "文件中含有不允许的 XML 内容（DTD/实体声明或非 UTF-8 编码），不是 Excel 正常保存的文件，"
    "已拒绝读取。请用 Excel 或 WPS 另存为新的 .xlsx 文件再上传。"
)


def cell_text(value) -> str:
    """A cell's value as the text a person typed: 13800138000.0 -> "13800138000"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _size_of(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
    file.seek(0)
    return size


def _root_element(head: bytes, complete: bool) -> str | None:
    """The name of an XML part's root element, or None for a part that is not
    XML (an image). Raises XlsxError when the part declares a DTD (<!DOCTYPE:
    entity expansion, external entities) or is not UTF-8: a workbook saved by
    Excel or WPS never has either. A DTD can only stand in the prolog, before
    the first element, so the head of the part decides."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:2] in (b"<\x00", b"\x00<"):
        raise XlsxError(UNSAFE_XML)
    # Every encoding expat reads besides UTF-16 keeps markup bytes as ASCII.
    text = head.decode("latin-1").removeprefix("\xef\xbb\xbf")
    pos = 0
    while (m := _PROLOG_PART.match(text, pos)) and m.end() > pos:
        pos = m.end()
    rest = text[pos:]
    if not rest:
        if complete:
            return None  # empty
        raise XlsxError(UNSAFE_XML)  # a prolog longer than the head: nothing real does that
    if not rest.startswith("<"):
        return None  # not XML (an image, a binary part): never parsed as XML
    m = _ELEMENT.match(rest)
    if m is None:
        raise XlsxError(UNSAFE_XML)  # <!DOCTYPE, or an unfinished comment
    return m.group(1)


def _count_tags(head: bytes, member) -> tuple[int, int]:
    """Rows and cells in a sheet part, counted on the raw bytes as they unpack:
    openpyxl would parse the whole sheet just to look for its dimension."""
    rows = cells = 0
    carry = head
    while True:
        chunk = member.read(256 * 1024)
        data = carry + chunk
        cut = data.rfind(b"<") if chunk else len(data)
        if cut <= 0:
            cut = len(data)
        for m in _TAG.finditer(data, 0, cut):
            if m.group(1) == b"row":
                rows += 1
            else:
                cells += 1
        carry = data[cut:]
        if not chunk:
            return rows, cells


def _check_package(file, limits: XlsxLimits) -> None:
    size = _size_of(file)
    if size > limits.max_bytes:
        raise XlsxError(
            too_big_message(what="文件", size=size, limit=limits.max_bytes)
            + "请删去多余的工作表、图片或格式后重试。"
        )
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise XlsxError(NOT_XLSX) from exc
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_members:
            raise XlsxError(NOT_XLSX)
        total = 0
        for info in members:
            total += info.file_size
            too_packed = info.file_size > _RATIO_FLOOR and info.file_size > limits.max_ratio * max(
                info.compress_size, 1
            )
            if info.file_size > limits.max_member or total > limits.max_unpacked or too_packed:
                raise XlsxError(
                    "文件解压后过大，不像是一份普通的名单或清单，已拒绝读取。"
                    "请用 Excel 或 WPS 打开后另存为新的 .xlsx 文件再上传。"
                )
        for info in members:
            if info.is_dir():
                continue
            try:
                # zipfile never reads past a member's declared size (checked above).
                with archive.open(info) as member:
                    head = member.read(_HEAD)
                    root = _root_element(head, complete=len(head) >= info.file_size)
                    if root == "worksheet":
                        rows, cells = _count_tags(head, member)
                        if rows > limits.max_rows + 1:
                            raise XlsxError(limits.rows_message)
                        if cells > (limits.max_rows + 1) * limits.max_columns:
                            raise XlsxError(
                                "表格中的单元格过多（可能对整行或整列设置了格式）。"
                                "请只保留需要导入的行和列，另存为新的 .xlsx 文件再上传。"
                            )
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
                raise XlsxError(NOT_XLSX) from exc
    file.seek(0)


def xlsx_rows(file, *, limits: XlsxLimits = XlsxLimits()) -> Iterator[tuple[int, tuple]]:
    """(row number, values) for each row of the first sheet, the header first,
    each row exactly `limits.max_columns` values wide (None where empty).

    `file` is an uploaded file, any binary file object, or bytes. Raises
    XlsxError with a message for the person, whatever is wrong with the file:
    checks on the package first (see the module docstring), then while reading."""
    if isinstance(file, bytes | bytearray):
        file = io.BytesIO(file)
    _check_package(file, limits)
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a malformed package
        log.info("xlsx import: unreadable workbook: %r", exc)
        raise XlsxError(NOT_XLSX) from exc
    try:
        if not wb.worksheets:
            raise XlsxError(NOT_XLSX)
        ws = wb.worksheets[0]
        if ws.max_row is not None and ws.max_row > limits.max_rows + 1:
            raise XlsxError(limits.rows_message)
        # The declared dimension is only a claim: read exactly as far as allowed.
        ws.reset_dimensions()
        rows = ws.iter_rows(
            max_row=limits.max_rows + 2, max_col=limits.max_columns, values_only=True
        )
        number = 0
        while True:
            try:
                values = next(rows)
            except StopIteration:
                break
            except Exception as exc:  # a malformed sheet
                log.info("xlsx import: unreadable sheet: %r", exc)
                raise XlsxError(NOT_XLSX) from exc
            number += 1
            if number > limits.max_rows + 1:
                raise XlsxError(limits.rows_message)
            yield number, tuple(values) if values else (None,) * limits.max_columns
    finally:
        wb.close()
