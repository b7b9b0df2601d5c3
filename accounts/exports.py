"""Excel exports of people lists (openpyxl write-only: flat memory at any size)."""

import io

from openpyxl import Workbook


def roster_xlsx(memberships) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("教师名单")
    ws.append(["姓名", "手机号", "身份证号", "学科", "学段", "是否专任教师"])
    for m in memberships.iterator(chunk_size=2000):
        ws.append(
            [
                m.user.real_name,
                m.user.phone,
                m.user.masked_id_number,
                m.subject,
                m.stage,
                "是" if m.is_full_time else "否",
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def schools_xlsx(schools) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("学校")
    ws.append(["学校", "学校代码", "区县", "教师数"])
    for s in schools.iterator(chunk_size=2000):
        ws.append([s.name, s.code, s.region.name, s.teacher_count])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
