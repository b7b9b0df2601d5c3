"""The embedded default: what `./demo.sh` runs."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# Serve static files from the finders without a collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Notices also go out by e-mail to people with an address, printed on the
# console instead of sent (README, "Notices").
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
NOTICE_EMAIL = True
SITE_URL = "http://127.0.0.1:8000"
