"""Excel export of a school's hours (openpyxl write-only: flat memory at any size)."""

import io

from openpyxl import Workbook

from .selectors import HOURS_CAP, totals_of


def school_hours_xlsx(rows, group_names: dict[int, str]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("教师学时")
    ws.append(
        [
            "姓名",
            "身份证号",
            "学科",
            "教研组",
            "记录学时",
            f"计入学时(上限{HOURS_CAP})",
            "是否达标",
            "学时登记",
        ]
    )
    for m in rows.iterator(chunk_size=2000):
        totals = totals_of(m)
        ws.append(
            [
                m.user.real_name,
                m.user.masked_id_number,
                m.subject,
                group_names.get(m.user_id, ""),
                totals.recorded,
                totals.counted,
                "是" if totals.complete else "否",
                "未登记" if m.hours_registered is None else f"已登记 {m.hours_registered}",
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
