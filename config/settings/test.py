from .base import *  # noqa: F403

DEBUG = False
# A fast default for the tests; the initial-password hasher as in base.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "accounts.passwords.InitialPasswordHasher",
]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = ""
AXES_ENABLED = True
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Serve static files from the finders without a collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# No mail unless a test configures it (tests/test_issue13_notices.py, locmem).
NOTICE_EMAIL = False
