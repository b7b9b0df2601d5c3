"""Third-party apps as the operator reads them in /admin/: in Chinese."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.timezone import localtime


def _when(moment) -> str:
    return f"{localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


class AxesConfig(AxesAppConfig):
    """django-axes (login lockout) under a Chinese name. Its model and field
    names are translated in locale/zh_Hans (LOCALE_PATHS): axes ships no
    Chinese catalogue."""

    verbose_name = "登录保护"

    def ready(self):
        super().ready()
        from axes.admin import AccessAttemptAdmin
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        # Two list columns are methods without a label (axes would show
        # "Status" and "Expiration"); name them like the rest.
        AccessAttemptAdmin.status.short_description = "状态"
        AccessAttemptAdmin.expiration.short_description = "过期时间"
        # The titles of their records are English sentences in axes.
        AccessAttempt.__str__ = lambda a: f"{a.username} 的登录尝试（{_when(a.attempt_time)}）"
        AccessLog.__str__ = lambda a: f"{a.username} 的登录记录（{_when(a.attempt_time)}）"
        AccessFailureLog.__str__ = lambda a: f"{a.username} 的登录失败（{_when(a.attempt_time)}）"
