"""Excel export of a school's group list, through the one xlsx writer
(accounts.exports: write-only, formula cells neutralised)."""

from accounts.exports import Sheet, xlsx_book


def group_list_xlsx(*, groups, members, without_group) -> bytes:
    """Three sheets: the groups, their members, and the teachers in no group.
    No ID numbers: the list needs names, phones and subjects only."""
    return xlsx_book(
        [
            Sheet(
                "教研组",
                ["教研组", "教研组长", "组长手机号", "人数", "研修计划", "状态"],
                (
                    [
                        g.name,
                        g.leader.display_name if g.leader else "未指定",
                        (g.leader.phone or "") if g.leader else "",
                        g.member_count,
                        "已制定" if g.plan else "未制定",
                        f"归档于 {g.archived_at:%Y-%m-%d}" if g.archived_at else "在用",
                    ]
                    for g in groups
                ),
            ),
            Sheet(
                "组员",
                ["教研组", "姓名", "手机号", "学科", "组长"],
                (
                    [
                        m.group.name,
                        m.user.display_name,
                        m.user.phone or "",
                        m.subject or "",
                        "是" if m.user_id == m.group.leader_id else "",
                    ]
                    for m in members
                ),
            ),
            Sheet(
                "未加入教研组的教师",
                ["姓名", "手机号", "学科", "学段"],
                (
                    [p.user.display_name, p.user.phone or "", p.subject, p.stage]
                    for p in without_group
                ),
            ),
        ]
    )
