"""Excel export of a school's group list, through the one xlsx writer
(accounts.exports: write-only, formula cells neutralised). The members and
the teachers in no group are streamed: a school's whole staff may be listed."""

from accounts.exports import Sheet, streamed, xlsx_book

# The member sheet's columns, read as plain values: no model instances (with
# every user field and the group's plan) for each of a whole school's rows.
MEMBER_FIELDS = (
    "group__name",
    "user__real_name",
    "user__username",
    "user__phone",
    "subject",
    "user_id",
    "group__leader_id",
)


def group_list_xlsx(*, groups, members, without_group) -> bytes:
    """Three sheets: the groups (a list: the page's own, a few hundred at most),
    their members and the teachers in no group (querysets, streamed). No ID
    numbers: the list needs names, phones and subjects only."""
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
                        group,
                        real_name or username,
                        phone or "",
                        subject or "",
                        "是" if user_id == leader_id else "",
                    ]
                    for group, real_name, username, phone, subject, user_id, leader_id in streamed(
                        members.values_list(*MEMBER_FIELDS)
                    )
                ),
            ),
            Sheet(
                "未加入教研组的教师",
                ["姓名", "手机号", "学科", "学段"],
                (
                    [real_name or username, phone or "", subject, stage]
                    for real_name, username, phone, subject, stage in streamed(
                        without_group.values_list(
                            "user__real_name", "user__username", "user__phone", "subject", "stage"
                        )
                    )
                ),
            ),
        ]
    )
