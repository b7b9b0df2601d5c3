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
