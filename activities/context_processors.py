from django.utils.functional import SimpleLazyObject


def inbox(request):
    """The unread count for the navbar's 消息 badge: one indexed count per page."""
    if not request.user.is_authenticated:
        return {}
    from .selectors import unread_count

    return {"unread_count": SimpleLazyObject(lambda: unread_count(user=request.user))}
