from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

# These tags draw one row of a list each (50 a page): they build their markup
# with f-strings, escaping the text that people typed (names, subjects, group
# names) with the standard library's escape. format_html would escape every
# argument, numbers too, through Django's lazy-aware wrappers: on 教师学时 that
# was a third of the page's time (issue 15). Every other value is an int.


def _bar(totals) -> str:
    counted, cap = int(totals.counted), int(totals.cap)
    done = " bg-success" if totals.complete else ""
    return (
        '<div class="d-flex align-items-center gap-2 flex-grow-1" style="min-width: 8rem">'
        '<div class="progress hours-bar flex-grow-1" role="progressbar" aria-label="计入学时" '
        f'aria-valuenow="{counted}" aria-valuemin="0" aria-valuemax="{cap}">'
        f'<div class="progress-bar{done}" style="width: {int(totals.percent)}%"></div></div>'
        f'<span class="text-nowrap fw-semibold">{counted}/{cap}</span></div>'
    )


@register.simple_tag
def hours_bar(totals):
    """The hours progress bar "n/25" for `totals` (hours.selectors.Totals). A
    tag, not an include: lists draw one per row, and an include per row of a
    50-row page cost more than the row itself (issue 15)."""
    return mark_safe(_bar(totals))  # noqa: S308 - numbers only


@register.simple_tag
def school_hours_row(place, totals, group_names: str):
    """One teacher's row of 教师学时 (hours/school_hours.html): `place` a row of
    hours.selectors.school_hours, `totals` its Totals, `group_names` their
    groups. A tag, not markup in the page's loop: fifty rows of template
    markup cost 5 ms, more than all the page's queries (issue 15)."""
    name = escape(place.user.real_name)
    subject = escape(place.subject or "—")
    groups = escape(group_names)
    registered = (
        "未登记" if place.hours_registered is None else f"已登记 {int(place.hours_registered)}"
    )
    recorded, over = int(totals.recorded), int(totals.over_cap)
    over_phone = f"（超出 {over} 不计入）" if over else ""
    over_wide = f' <span class="text-muted small">(超出 {over} 不计入)</span>' if over else ""
    return mark_safe(  # noqa: S308 - the typed text is escaped above
        f'<tr><td>{name}<div class="d-md-none small text-muted">{subject} · '
        f"{groups or '未加入教研组'} · 记录 {recorded}{over_phone} · {registered}</div></td>"
        f'<td class="d-none d-md-table-cell">{subject}</td>'
        f'<td class="d-none d-md-table-cell">{groups or "未加入"}</td>'
        f"<td>{_bar(totals)}</td>"
        f'<td class="d-none d-md-table-cell">{recorded}{over_wide}</td>'
        f'<td class="d-none d-md-table-cell">{registered}</td></tr>'
    )
