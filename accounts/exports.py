"""The one .xlsx writer (openpyxl write-only: flat memory at any size). Every
app's export goes through xlsx_bytes / xlsx_book and xlsx_response; the one
reader is accounts/xlsx.py. ID numbers only ever appear masked (README
"People's data").

Memory stays flat only if the rows arrive one by one: an export gives the
writer a generator over `streamed(queryset)` (a server-side cursor read in
chunks), never a queryset iterated plainly, which would cache every row and
its related objects (issue 15: 393 MB for a group list of 100,000 teachers).

Cells a spreadsheet would run (DESIGN §2): a name like =HYPERLINK("http://x",
A2) typed by anyone becomes a live formula in every export, as openpyxl writes
any string starting with "=" as one. So every string cell that starts with
=, +, -, @, a tab or a carriage return is written as text with Excel's quote
prefix (the apostrophe a person would type): it shows the same text, is never
evaluated, and stays text if someone edits the cell.
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# Rows fetched per round trip when an export streams a queryset.
CHUNK = 2000


def streamed(queryset):
    """The queryset's rows one at a time, fetched CHUNK at a time and never
    cached (prefetch_related still works, per chunk)."""
    return queryset.iterator(chunk_size=CHUNK)


@dataclass
class Sheet:
    title: str
    header: list
    rows: Iterable[list]  # any iterable, consumed once
    widths: list[int] = field(default_factory=list)  # column widths, left to right
    text_columns: list[int] = field(default_factory=list)  # 0-based: typed as text in Excel


def _cell(ws, value, bold: bool = False):
    if not (bold or (isinstance(value, str) and value.startswith(FORMULA_STARTS))):
        return value
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # openpyxl made it "f" (a formula) for a leading "="
        cell.quotePrefix = True
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_write(sheets: list[Sheet], target) -> None:
    """Write the workbook to `target` (a path or a binary file object). The rows
    stream through openpyxl's write-only mode: each row goes to a temporary
    file as it is appended, so memory stays flat however many rows the
    iterables yield (a district's 80,000 teachers)."""
    wb = Workbook(write_only=True)
    for spec in sheets:
        ws = wb.create_sheet(spec.title)
        for i, width in enumerate(spec.widths):
            ws.column_dimensions[chr(ord("A") + i)].width = width
        for i in spec.text_columns:
            # A column typed as text: 18-digit ID numbers and phone numbers typed
            # into the sheet stay exact instead of becoming 4.40402E+17.
            ws.column_dimensions[chr(ord("A") + i)].number_format = "@"
        ws.append([_cell(ws, v, bold=True) for v in spec.header])
        for row in spec.rows:
            ws.append([_cell(ws, v) for v in row])
    wb.save(target)


def xlsx_book(sheets: list[Sheet]) -> bytes:
    """The workbook as bytes, for a download served in the same response."""
    buf = io.BytesIO()
    xlsx_write(sheets, buf)
    return buf.getvalue()


def xlsx_bytes(title: str, header: list, rows: Iterable[list]) -> bytes:
    """One sheet: a header line, then the rows (any iterable, consumed once)."""
    return xlsx_book([Sheet(title, header, rows)])


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return sandbox(response)


# Every response that carries a file (an upload served back, an export) runs no
# script and loads nothing, even if it is a page in disguise: it is sandboxed as
# an origin of its own. The site's CSPMiddleware leaves a header already set.
# PDFs are the exception to `sandbox` (not to default-src 'none'): Chrome and
# Safari refuse to start their PDF viewer in a sandboxed document, and a PDF's
# own scripts run inside the viewer, never with this site's origin.
FILE_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'"
PDF_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data: blob:"


def sandbox(response):
    """The headers every response carrying a file gets."""
    is_pdf = response.get("Content-Type", "").startswith("application/pdf")
    response["Content-Security-Policy"] = PDF_CSP if is_pdf else FILE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response


def roster_xlsx(memberships) -> bytes:
    return xlsx_bytes(
        "教师名单",
        ["姓名", "手机号", "身份证号", "学科", "学段", "是否专任教师"],
        (
            [
                m.user.real_name,
                m.user.phone,
                m.user.masked_id_number,
                m.subject,
                m.stage,
                "是" if m.is_full_time else "否",
            ]
            for m in streamed(memberships)
        ),
    )


def passwords_xlsx(issued) -> bytes:
    """The one-time list of new accounts and their initial passwords."""
    return xlsx_book(
        [
            Sheet(
                "初始密码",
                ["姓名", "登录手机号", "初始密码"],
                ([p.real_name, p.login, p.password] for p in issued),
                widths=[12, 16, 16],
            ),
            Sheet(
                "说明",
                ["请将账号和初始密码分别告知每位教师"],
                [
                    ["教师用手机号和初始密码登录，首次登录须设置自己的新密码。"],
                    ["本文件只能下载一次，平台不保存初始密码；请妥善保管，发完后删除。"],
                    ["教师忘记密码时，学校管理员可在教师名单中为其重置密码。"],
                ],
                widths=[70],
            ),
        ]
    )
