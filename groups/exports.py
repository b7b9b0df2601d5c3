"""Excel export of a school's group list (openpyxl write-only: flat memory at any size)."""

import io

from openpyxl import Workbook


def group_list_xlsx(*, groups, members, without_group) -> bytes:
    """Three sheets: the groups, their members, and the teachers in no group.
    No ID numbers: the list needs names, phones and subjects only."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("教研组")
    ws.append(["教研组", "教研组长", "组长手机号", "人数", "研修计划", "状态"])
    for g in groups:
        ws.append(
            [
                g.name,
                g.leader.display_name if g.leader else "未指定",
                (g.leader.phone or "") if g.leader else "",
                g.member_count,
                "已制定" if g.plan else "未制定",
                f"归档于 {g.archived_at:%Y-%m-%d}" if g.archived_at else "在用",
            ]
        )
    ws = wb.create_sheet("组员")
    ws.append(["教研组", "姓名", "手机号", "学科", "组长"])
    for m in members:
        ws.append(
            [
                m.group.name,
                m.user.display_name,
                m.user.phone or "",
                m.subject or "",
                "是" if m.user_id == m.group.leader_id else "",
            ]
        )
    ws = wb.create_sheet("未加入教研组的教师")
    ws.append(["姓名", "手机号", "学科", "学段"])
    for place in without_group:
        ws.append([place.user.display_name, place.user.phone or "", place.subject, place.stage])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
