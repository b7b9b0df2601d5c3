"""Excel exports of activities, written by accounts.exports (the one xlsx writer)."""

from django.utils import timezone

from accounts.exports import xlsx_bytes

from .models import ObservationQuestion


def _heading(number: int, question) -> str:
    if question.kind == ObservationQuestion.Kind.SCORE:
        return f"{number}. {question.prompt}（满分 {question.max_score}）"
    return f"{number}. {question.prompt}"


def observation_responses_xlsx(summary) -> bytes:
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
    return xlsx_bytes("听课评课表", header, rows)
