from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from accounts.selectors import membership_removed_last

from .home import HOME_PAGES


@login_required
def home(request):
    grant = request.access.active
    if grant is None:
        removed = membership_removed_last(user=request.user)
        return render(request, "home/no_role.html", {"removed": removed})
    template, build = HOME_PAGES[grant.role]
    return render(request, template, {"grant": grant, **build(request, grant)})


@never_cache
def healthz(request):
    """200 when the database (and Redis, when configured) answer. Says nothing else."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        checks["database"] = "error"
    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
            checks["redis"] = "ok"
        except Exception:
            checks["redis"] = "error"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent from a page that has expired (the person
    logged out and in since it was loaded, or left it open too long) answers
    403 in the site's own layout, in Chinese, with a way back: the page the form
    came from, when it is one of ours, and the home page. `reason` (Django's
    English diagnosis) is not shown."""
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    return render(request, "403_csrf.html", {"back": back}, status=403)
