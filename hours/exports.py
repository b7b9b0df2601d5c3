"""Excel exports of hours (openpyxl write-only: flat memory at any size).
ID numbers only ever appear masked (README "People's data")."""

from accounts.exports import streamed, xlsx_bytes

from .selectors import HOURS_CAP, totals_of

HEADER = [
    "姓名",
    "身份证号",
    "学科",
    "教研组",
    "记录学时",
    f"计入学时(上限{HOURS_CAP})",
    "超出不计入",
    "是否达标",
    "学时登记",
]


def _line(user, subject: str, groups: str, row) -> list:
    totals = totals_of(row)
    return [
        user.real_name,
        user.masked_id_number,
        subject,
        groups,
        totals.recorded,
        totals.counted,
        totals.over_cap,
        "是" if totals.complete else "否",
        "未登记" if row.hours_registered is None else f"已登记 {row.hours_registered}",
    ]


def school_hours_xlsx(rows, group_names: dict[int, str]) -> bytes:
    """`rows`: school_hours(); one line per teacher."""
    return xlsx_bytes(
        "教师学时",
        HEADER,
        (_line(m.user, m.subject, group_names.get(m.user_id, ""), m) for m in streamed(rows)),
    )


def group_hours_xlsx(rows) -> bytes:
    """`rows`: group_members_hours(); one line per member of each group."""
    return xlsx_bytes(
        "组员学时",
        HEADER,
        (_line(m.user, "", m.group.name, m) for m in streamed(rows)),
    )
