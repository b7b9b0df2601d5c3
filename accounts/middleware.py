from django.shortcuts import redirect, render
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


class NullCharacterMiddleware:
    """Refuses a request whose parameters hold a NUL character (%00) with a
    page that says so (400). No text of ours holds one, and PostgreSQL stores
    none: a search or a form answer carrying one would otherwise fail deep in
    the database as a server error (outside test 6: 13 list pages, the
    听课评课表). Checked once here rather than in every form and search."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        params = [request.GET]
        if request.method == "POST":
            params.append(request.POST)
        for query in params:
            if any("\x00" in value for _, values in query.lists() for value in values):
                return render(request, "400_null.html", status=400)
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """A GET on a URL that only takes a form's POST (a bookmarked 撤回, a
    link pasted from a form's action) answers 405 with a page that says what
    to do, in the site's layout, instead of Django's empty body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response
