"""Excel exports (openpyxl write-only: flat memory at any size). Every app's
export goes through xlsx_bytes and xlsx_response; ID numbers only ever appear
masked (README "People's data")."""

import io
from collections.abc import Iterable
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(title: str, header: list, rows: Iterable[list]) -> bytes:
    """One sheet: a header line, then the rows (any iterable, consumed once)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title)
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
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
            for m in memberships.iterator(chunk_size=2000)
        ),
    )


def schools_xlsx(schools) -> bytes:
    return xlsx_bytes(
        "学校",
        ["学校", "学校代码", "区县", "教师数"],
        (
            [s.name, s.code, s.region.name, s.teacher_count]
            for s in schools.iterator(chunk_size=2000)
        ),
    )
