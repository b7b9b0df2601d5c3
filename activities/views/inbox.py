from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import selectors
from ..services import notification_read_all


@login_required
def inbox(request):
    page = Paginator(selectors.inbox(user=request.user), 30).get_page(request.GET.get("page"))
    unread = selectors.unread_count(user=request.user)
    return render(request, "activities/inbox.html", {"page": page, "unread": unread})


@require_POST
@login_required
def inbox_read(request):
    notification_read_all(user=request.user)
    return redirect("activities:inbox")
