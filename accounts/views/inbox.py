"""站内消息: every signed-in person's inbox."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..notices import inbox as inbox_of
from ..notices import notices_mark_read, unread_count


@login_required
def inbox(request):
    page = Paginator(inbox_of(user=request.user), 30).get_page(request.GET.get("page"))
    unread = unread_count(user=request.user)
    return render(request, "accounts/inbox.html", {"page": page, "unread": unread})


@require_POST
@login_required
def inbox_read(request):
    notices_mark_read(user=request.user)
    return redirect("accounts:inbox")
