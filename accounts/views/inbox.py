"""站内消息: every signed-in person's inbox."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..notices import inbox as inbox_of
from ..notices import notices_mark_read, unread_count


@login_required
def inbox(request):
    """The person's notices, newest first. Opening a page of them marks those
    notices read: the page still highlights them as new this once (the rows
    were loaded before), and the navbar's count, read afterwards, drops."""
    page = Paginator(inbox_of(user=request.user), 30).get_page(request.GET.get("page"))
    shown_unread = [n.pk for n in page if n.read_at is None]
    if shown_unread:
        notices_mark_read(user=request.user, ids=shown_unread)
    unread = unread_count(user=request.user)
    return render(
        request,
        "accounts/inbox.html",
        {"page": page, "unread": unread, "new_here": len(shown_unread)},
    )


@require_POST
@login_required
def inbox_read(request):
    notices_mark_read(user=request.user)
    return redirect("accounts:inbox")
