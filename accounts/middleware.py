from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from .roles import Access


class PasswordChangeRequiredMiddleware:
    """Attaches request.access and sends people with an initial password
    (set by a roster import) to change it before anything else."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.access = SimpleLazyObject(lambda: Access(request))
        user = request.user
        if (
            user.is_authenticated
            and user.must_change_password
            and not request.path.startswith(self.ALLOWED_PREFIXES)
        ):
            return redirect(reverse("accounts:password_change"))
        return self.get_response(request)
