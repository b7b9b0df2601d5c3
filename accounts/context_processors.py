from django.utils.functional import SimpleLazyObject


def roles(request):
    access = getattr(request, "access", None)
    if access is None or not request.user.is_authenticated:
        return {}
    return {"access": access, "active_grant": access.active}


def unread_for(request) -> int:
    """The user's unread-notice count, counted once per request: the navbar badge
    and the teacher's home page both show it."""
    if not hasattr(request, "_unread_count"):
        from .notices import unread_count

        request._unread_count = unread_count(user=request.user)
    return request._unread_count


def inbox(request):
    """The unread count for the navbar's 消息 badge (one indexed count per page).
    Nothing for a request refused before it was authenticated (a bad Host
    header's 400 page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_count": SimpleLazyObject(lambda: unread_for(request))}
