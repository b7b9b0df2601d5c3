"""Excel exports of activities — the 签到表 of a 线下活动, and the 听课评课表
responses with the comments pinned to moments of the lesson video — all written
by accounts.exports (the one xlsx writer, which keeps formula-like text as text)."""

from django.utils import timezone

from accounts.exports import Sheet, xlsx_book

from .models import ObservationQuestion
from .selectors_checkin import checkin_rows

CHECKIN_HEADER = [
    "序号",
    "学校",
    "教研组",
    "活动",
    "活动日期",
    "姓名",
    "学科",
    "签到时间",
    "签到方式",
    "备注",
    "签名",
]


def checkin_method_label(row) -> str:
    if row.method == row.Method.MANUAL:
        by = row.by.display_name if row.by else ""
        return f"组长代签（{by}：{row.reason}）" if by else f"组长代签（{row.reason}）"
    return row.get_method_display()


def checkin_sheet_xlsx(*, activity) -> bytes:
    """签到表: one line per check-in, in the order people came, with an empty
    column to sign on paper."""
    group = activity.group
    rows = (
        [
            n,
            group.school.name,
            group.name,
            activity.title,
            f"{activity.held_on:%Y-%m-%d}",
            row.user.display_name,
            row.subject or "",
            timezone.localtime(row.checked_in_at).strftime("%H:%M"),
            checkin_method_label(row),
            "" if row.designated else "未指定参与，不计学时",
            "",
        ]
        for n, row in enumerate(checkin_rows(activity=activity), start=1)
    )
    return xlsx_book(
        [
            Sheet(
                "签到表",
                CHECKIN_HEADER,
                rows,
                widths=[6, 20, 12, 28, 12, 12, 10, 10, 16, 18, 16],
            )
        ]
    )


def _heading(number: int, question) -> str:
    if question.kind == ObservationQuestion.Kind.SCORE:
        return f"{number}. {question.prompt}（满分 {question.max_score}）"
    return f"{number}. {question.prompt}"


def observation_responses_sheet(summary) -> Sheet:
    """Every 听课评课表 of an activity, one line each: the member, each answer
    in form order, the total and when it was handed in. `summary`:
    activities.selectors.observation_summary()."""
    header = [
        "组员",
        *(_heading(n, q) for n, q in enumerate(summary.questions, start=1)),
        "总分",
        "提交时间",
    ]
    rows = (
        [
            response.user.display_name,
            *answers,
            response.total_score,
            timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M"),
        ]
        for response, answers in summary.rows
    )
    return Sheet("听课评课表", header, rows)


def video_comments_sheet(comments) -> Sheet:
    """The comments pinned to moments of the lesson video, in video order."""
    return Sheet(
        "视频时间点评论",
        ["视频时间点", "秒", "组员", "评论", "发表时间"],
        (
            [
                c.moment,
                c.second,
                c.author.display_name,
                c.body,
                timezone.localtime(c.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
            for c in comments
        ),
        widths=[10, 8, 12, 60, 18],
    )


def observation_xlsx(*, summary, comments) -> bytes:
    return xlsx_book([observation_responses_sheet(summary), video_comments_sheet(comments)])
