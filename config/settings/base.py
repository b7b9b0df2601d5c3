"""Settings shared by every set-up. The embedded default needs nothing installed:
SQLite, Celery tasks run in-process, files on local disk. Each of those switches
to its production form when its environment variable is given."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured  # noqa: F401

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A stale form (logged out and in since, or open too long) gets the site's own
# Chinese page with a way back, not Django's bare English one.
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "config.apps.AxesConfig",  # django-axes, named in Chinese for the operator's /admin/
    # Ours, in dependency order: an app may import only the apps above it.
    "accounts",
    "groups",
    "hours",
    "activities",
    "assessment",
    # The scale harness (seed_scale); like config/, above every app.
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "accounts.middleware.NullCharacterMiddleware",
    "accounts.middleware.MethodNotAllowedPageMiddleware",
    # axes must come last (its docs): it reads the result of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
                "accounts.context_processors.inbox",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
# PostgreSQL prepares a statement once a connection has run it five times
# (psycopg's prepare_threshold), and later runs skip parsing and planning:
# for the activity reads, whose visibility rule takes 0.5–1 ms to plan and
# 0.1 ms to run, that is most of their cost (issue 15). It needs server-side
# parameter binding and lasting connections (DB_CONN_MAX_AGE). Turn it off
# (DB_PREPARED_STATEMENTS=0) behind a connection pooler in transaction mode
# that does not keep prepared statements (PgBouncer before 1.21, or without
# max_prepared_statements).
if DATABASES["default"]["ENGINE"].endswith("postgresql") and env_bool(
    "DB_PREPARED_STATEMENTS", True
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # axes first (its docs): it refuses locked-out credentials before any check.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.PhoneOrUsernameBackend",
]
# The default first; the cheap hasher of generated initial passwords last, so a
# first successful login re-hashes with the default (accounts/passwords.py).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "accounts.passwords.InitialPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Repeated failed logins are throttled per account and client address together:
# five tries for one person (phone and username count as one account) from one
# address, so neither a school's shared network nor someone elsewhere can lock
# a teacher out by failing on purpose (accounts/backends.py).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.backends.lockout_key"
AXES_CLIENT_IP_CALLABLE = "accounts.backends.client_ip"
# How many reverse proxies of ours stand in front of Django, each appending the
# address it saw to X-Forwarded-For (1 for the nginx the README describes). 0:
# the header is not trusted at all, since any client can send one.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Content-Security-Policy (django-csp): scripts only from our own static files,
# never inline (no <script> blocks, no onclick: static/js/*.js, data-* attributes).
# style-src allows 'unsafe-inline' for style attributes only we write: progress
# bars carry their width as style="width: n%" (and Django admin uses a few);
# injected CSS can't run script. img-src data: is for Bootstrap's own icons
# (the navbar toggler, selects, checkboxes are data: SVGs in bootstrap.min.css).
# Files served back to people get a stricter, sandboxed policy of their own
# (accounts.exports.sandbox).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "zh-hans"
# Chinese for what third-party apps show in /admin/ (django-axes has none).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Files never live under a public URL: MEDIA_URL is not routed, every download
# goes through a view that checks permissions (accounts.files.serve_file).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media-not-served/"

AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Large lesson videos stream to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Celery: in-process unless a broker is configured.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TIMEZONE = TIME_ZONE
# Periodic jobs (the `beat` process of README's production table). Times are
# Asia/Shanghai (CELERY_TIMEZONE): reminders go out at 07:30, before school;
# district exports are deleted with their files a day after they were asked
# for (checked hourly).
CELERY_BEAT_SCHEDULE = {
    "reminders-daily": {
        "task": "accounts.tasks.reminders_daily",
        "schedule": crontab(hour=7, minute=30),
    },
    # 学时登记 follows the ledger while hours can still change (hours.services).
    "registrations-refresh": {
        "task": "hours.tasks.registrations_refresh_daily",
        "schedule": crontab(hour=2, minute=0),
    },
    "expire-district-exports": {
        "task": "assessment.tasks.expire_district_exports",
        "schedule": 60 * 60,
    },
}

# Notices (accounts.notices): the inbox always; these channels after commit.
NOTICE_CHANNELS = ["accounts.notices.email_channel"]
# E-mail goes out only when the deployment configures a mail server: then a
# person with an address gets each notice by mail as well as in the inbox.
EMAIL_HOST = env_str("EMAIL_HOST")
NOTICE_EMAIL = bool(EMAIL_HOST)
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 465)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "校本研修平台 <noreply@localhost>")
# The site's address, for links in e-mails (notices link to paths on the site).
SITE_URL = env_str("SITE_URL")

REDIS_URL = env_str("REDIS_URL", CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# A message rides in a signed cookie to the page after the redirect (in the
# session only when too large for one): every form POST then writes nothing
# more than its own rows (with the session, each POST and the page after it
# saved the session row again: three statements each, issue 15).
MESSAGE_STORAGE = "django.contrib.messages.storage.fallback.FallbackStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR"},
        "xiaoben": {"handlers": ["console"], "level": "INFO"},
    },
}
