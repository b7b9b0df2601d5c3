from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def hours_bar(totals):
    """The hours progress bar "n/25" for `totals` (hours.selectors.Totals). A
    tag, not an include: lists draw one per row, and an include per row of a
    50-row page cost more than the row itself (issue 15)."""
    return format_html(
        '<div class="d-flex align-items-center gap-2 flex-grow-1" style="min-width: 8rem">'
        '<div class="progress hours-bar flex-grow-1" role="progressbar" aria-label="计入学时" '
        'aria-valuenow="{}" aria-valuemin="0" aria-valuemax="{}">'
        '<div class="progress-bar{}" style="width: {}%"></div></div>'
        '<span class="text-nowrap fw-semibold">{}/{}</span></div>',
        totals.counted,
        totals.cap,
        " bg-success" if totals.complete else "",
        totals.percent,
        totals.counted,
        totals.cap,
    )


@register.simple_tag
def school_hours_row(place, totals, group_names: str):
    """One teacher's row of 教师学时 (hours/school_hours.html): `place` a row of
    hours.selectors.school_hours, `totals` its Totals, `group_names` their
    groups. A tag, not markup in the page's loop: fifty rows of template
    markup cost 5 ms, more than all the page's queries (issue 15)."""
    subject = place.subject or "—"
    registered = "未登记" if place.hours_registered is None else f"已登记 {place.hours_registered}"
    over = totals.over_cap
    beyond = format_html(' <span class="text-muted small">(超出 {} 不计入)</span>', over)
    return format_html(
        '<tr><td>{}<div class="d-md-none small text-muted">{} · {} · 记录 {}{} · {}</div></td>'
        '<td class="d-none d-md-table-cell">{}</td>'
        '<td class="d-none d-md-table-cell">{}</td>'
        "<td>{}</td>"
        '<td class="d-none d-md-table-cell">{}{}</td>'
        '<td class="d-none d-md-table-cell">{}</td></tr>',
        place.user.real_name,
        subject,
        group_names or "未加入教研组",
        totals.recorded,
        f"（超出 {over} 不计入）" if over else "",
        registered,
        subject,
        group_names or "未加入",
        hours_bar(totals),
        totals.recorded,
        beyond if over else "",
        registered,
    )
