from html import escape

from django import template
from django.utils import timezone
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


def _batch_bar(batch) -> str:
    done, total = int(batch.done), int(batch.total)
    moving = " bg-success" if batch.finished_at else " progress-bar-striped progress-bar-animated"
    return (
        '<div class="d-flex align-items-center gap-2">'
        '<div class="progress flex-grow-1" role="progressbar" aria-label="登记进度" '
        f'aria-valuenow="{done}" aria-valuemin="0" aria-valuemax="{total}" style="min-width: 6rem">'
        f'<div class="progress-bar{moving}" style="width: {round(done / (total or 1) * 100)}%">'
        f'</div></div><span class="text-nowrap small">{done}/{total}</span></div>'
    )


@register.simple_tag
def batch_bar(batch):
    """A 学时登记 batch's progress "done/total" (hours.models.RegistrationBatch)."""
    return mark_safe(_batch_bar(batch))  # noqa: S308 - numbers only


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@register.simple_tag
def district_registration_row(school, batch, acceptance: str):
    """One school's row of the district's 学时登记 (hours/_district_table.html):
    `school` a row of hours.selectors.schools_registration with its
    teacher_count, `batch` its RegistrationBatch or None, `acceptance` the
    label of its whole-school acceptance."""
    done = batch is not None and batch.finished_at is not None
    if school.registration == "waiting":
        status = '<span class="badge text-bg-light">待验收</span>'
        progress = (
            _batch_bar(batch) + "验收尚未通过，此登记由平台运营人员手动执行"
            if batch
            else "整校推进验收通过后自动登记"
        )
        progress = f'<td data-label="进度" class="text-muted small">{progress}</td>'
        registered = str(int(batch.registered)) if done else "—"
        at = _when(batch.finished_at) if done else "—"
        by = "—"
    else:
        badge = "text-bg-success" if done else "text-bg-warning"
        label = escape(batch.get_status_display()) if batch else "排队中"
        status = f'<span class="badge {badge}">{label}</span>'
        bar = _batch_bar(batch) if batch else '<span class="small text-muted">等待开始</span>'
        progress = f'<td data-label="进度">{bar}</td>'
        registered = "—"
        if done:
            registered = str(int(batch.registered))
            if batch.registered < school.teacher_count:
                registered += (
                    ' <span class="small text-warning-emphasis d-block">'
                    f"现有 {int(school.teacher_count)} 名教师，新加入的次日自动登记</span>"
                )
        at = _when(batch.finished_at) if done else "—"
        if batch and not done:
            at = f"{_when(batch.created_at)} 开始"
        by = escape(batch.by.display_name) if batch and batch.by and batch.by.display_name else "—"
    return mark_safe(  # noqa: S308 - the names are escaped above
        f'<tr data-school="{int(school.pk)}">'
        f'<td data-label="学校">{escape(school.name)}</td>'
        f'<td data-label="区县">{escape(school.region.name)}</td>'
        f'<td data-label="教师数">{int(school.teacher_count)}</td>'
        f'<td data-label="整校推进验收">{escape(acceptance)}</td>'
        f'<td data-label="登记状态">{status}</td>{progress}'
        f'<td data-label="已登记人数">{registered}</td>'
        f'<td data-label="登记时间">{at}</td>'
        f'<td data-label="确认人">{by}</td></tr>'
    )
