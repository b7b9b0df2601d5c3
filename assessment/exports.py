"""Excel exports of the review table and the evaluation register, through the
one writer (accounts.exports). Each writes the same cells as its page, from
the same row functions; ID numbers only masked."""

from accounts.exports import streamed, xlsx_bytes

from .selectors import (
    LACKING_HEADER,
    REGISTER_HEADER,
    REVIEW_HEADER,
    RegisterLine,
    lacking_cells,
    lacks_of,
    progress_of,
    review_cells,
)


def review_xlsx(rows, group_names: dict[int, str]) -> bytes:
    """`rows`: review_teachers(); one line per teacher, numbered like the page."""
    return xlsx_bytes(
        "研修考核",
        ["序号", *REVIEW_HEADER],
        (
            [n, *review_cells(m, progress_of(m), group_names.get(m.user_id, ""))]
            for n, m in enumerate(streamed(rows), start=1)
        ),
    )


def register_xlsx(choices, evaluations: dict, group_names: dict[int, str]) -> bytes:
    """`choices`: register_choices(); `evaluations`: evaluations_for()."""
    return xlsx_bytes(
        "测评结果登记表",
        ["序号", *REGISTER_HEADER],
        (
            [
                n,
                *RegisterLine(
                    c,
                    evaluations.get((c.teacher_id, c.point_id)),
                    group_names.get(c.teacher_id, ""),
                ).cells(),
            ]
            for n, c in enumerate(streamed(choices), start=1)
        ),
    )


def lacking_xlsx(rows, group_names: dict[int, str], cycle) -> bytes:
    """`rows`: school_lacking(); who lacks what, like the page (ID numbers masked)."""
    return xlsx_bytes(
        "未完成情况",
        ["序号", *LACKING_HEADER],
        (
            [n, *lacking_cells(m, lacks_of(m, cycle=cycle), group_names.get(m.user_id, ""))]
            for n, m in enumerate(streamed(rows), start=1)
        ),
    )
