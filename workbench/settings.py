"""Settings come from the environment, with safe local defaults for development.

Production (``DEBUG=0``) refuses to start without a real ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from workbench.database import database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
_DEV_SECRET = "insecure-local-development-key-never-used-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _DEV_SECRET
elif not DEBUG and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    # 50, as Django's deploy check (security.W009) wants.
    raise ImproperlyConfigured(
        "SECRET_KEY must be a real secret of at least 50 characters when DEBUG is off."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "workbench",
    "corpus",
    "webhooks",
    "jobs",
    "alignment",
    "exchange",
]

MIDDLEWARE = [
    "workbench.middleware.RequestLogMiddleware",
    # HTML and JSON compressed (5-6x smaller). BREACH: Django's GZipMiddleware pads every compressed
    # response with random bytes ("Heal the Breach", Django 4.2+) and CSRF tokens are masked per
    # response; see README "Performance".
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "workbench.middleware.SecurityHeadersMiddleware",
    "workbench.requestguard.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "workbench.middleware.ApiNotFoundMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "workbench.middleware.LoginRequiredExceptApiMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "workbench.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "workbench.urls"
WSGI_APPLICATION = "workbench.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        database_url(BASE_DIR),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Parallel test runs on one server (several developers, or CI and a developer) name their own database.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production (DEBUG off): hashed names and precompressed gzip copies made by collectstatic
# (scripts/serve-production runs it), served with a far-future immutable max-age, and
# no finders. Development and tests serve files straight from the apps under their plain names.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Security. Production (DEBUG off) assumes TLS in front (BEHIND_TLS=1 by default): secure cookies,
# HSTS and redirects to https. Set BEHIND_TLS=0 only for a plain-http test deployment.
BEHIND_TLS = env_bool("BEHIND_TLS", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", BEHIND_TLS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if BEHIND_TLS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = BEHIND_TLS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", BEHIND_TLS)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", BEHIND_TLS)
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^ready/$"]
if env_bool("TRUST_X_FORWARDED_PROTO", BEHIND_TLS):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not BEHIND_TLS:
    # A plain-http deployment, on purpose: silence exactly the deploy checks about HSTS, the https
    # redirect and secure cookies; scripts/serve-production prints one warning that TLS is off.
    SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008", "security.W012", "security.W016"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
    "object-src 'none'"
)
# Login throttling (corpus.accounts): after this many failed logins of one username from one address in
# the window, that pair is refused; after LOGIN_ADDRESS_FAILURE_LIMIT from one address, the address is.
# A successful login clears its pair's failures.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "50"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("LOGIN_FAILURE_WINDOW_SECONDS", "900"))
# The client address: REMOTE_ADDR, or behind TRUSTED_PROXIES proxies that append to X-Forwarded-For,
# the entry the outermost of them wrote (TRUST_X_FORWARDED_FOR=1, the older switch, means one proxy).
TRUSTED_PROXIES = int(
    os.environ.get("TRUSTED_PROXIES", "1" if env_bool("TRUST_X_FORWARDED_FOR", False) else "0")
)

# Mail is set up only with EMAIL_HOST; the password reset by mail exists only then (workbench.urls).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "workbench@localhost")
PASSWORD_RESET_ENABLED = bool(EMAIL_HOST)

# Upload limits: every upload path checks WORKBENCH_MAX_UPLOAD_BYTES itself with a clear error.
WORKBENCH_MAX_UPLOAD_BYTES = int(os.environ.get("WORKBENCH_MAX_UPLOAD_BYTES", str(5 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = WORKBENCH_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = WORKBENCH_MAX_UPLOAD_BYTES
# API JSON bodies nest at most this deep (workbench.parsers); the API's own bodies nest 3 levels.
WORKBENCH_JSON_MAX_DEPTH = int(os.environ.get("WORKBENCH_JSON_MAX_DEPTH", "32"))

# One alignment (preview or apply) runs inside the request: its input is bounded (alignment/limits.py).
WORKBENCH_ALIGN_MAX_CHARS = int(os.environ.get("WORKBENCH_ALIGN_MAX_CHARS", "200000"))
WORKBENCH_ALIGN_MAX_SENTENCES = int(os.environ.get("WORKBENCH_ALIGN_MAX_SENTENCES", "2000"))
WORKBENCH_ALIGN_MAX_CELLS = int(os.environ.get("WORKBENCH_ALIGN_MAX_CELLS", "300000"))

# Background jobs (jobs/): django-tasks with the database backend (django-tasks-db), PostgreSQL as the
# broker; a deployment can name another backend (Celery, RQ) by TASKS_BACKEND alone. Work above the
# thresholds leaves the web request and becomes a job; a job may align WORKBENCH_JOB_ALIGN_FACTOR
# times more than one request may.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
WORKBENCH_JOB_ALIGN_THRESHOLD = int(os.environ.get("WORKBENCH_JOB_ALIGN_THRESHOLD", "20000"))
WORKBENCH_JOB_ALIGN_FACTOR = int(os.environ.get("WORKBENCH_JOB_ALIGN_FACTOR", "10"))
WORKBENCH_JOB_IMPORT_THRESHOLD = int(os.environ.get("WORKBENCH_JOB_IMPORT_THRESHOLD", str(256 * 1024)))
WORKBENCH_JOB_SEGMENTS_THRESHOLD = int(os.environ.get("WORKBENCH_JOB_SEGMENTS_THRESHOLD", "2000"))
WORKBENCH_JOB_BATCH = int(os.environ.get("WORKBENCH_JOB_BATCH", "500"))
# Seconds a job pauses after each batch: a busy server can keep a big job from crowding out the
# people typing (0 = no pause).
WORKBENCH_JOB_BATCH_PAUSE = float(os.environ.get("WORKBENCH_JOB_BATCH_PAUSE", "0"))
WORKBENCH_JOB_ATTEMPTS = int(os.environ.get("WORKBENCH_JOB_ATTEMPTS", "2"))
# Webhooks (webhooks/): deliveries retried WORKBENCH_WEBHOOK_ATTEMPTS times with exponential backoff
# from WORKBENCH_WEBHOOK_BACKOFF_SECONDS; private and loopback addresses are refused unless
# WORKBENCH_WEBHOOK_ALLOWED_HOSTS names the host or a network holding its address.
WORKBENCH_WEBHOOK_ATTEMPTS = int(os.environ.get("WORKBENCH_WEBHOOK_ATTEMPTS", "6"))
WORKBENCH_WEBHOOK_BACKOFF_SECONDS = float(os.environ.get("WORKBENCH_WEBHOOK_BACKOFF_SECONDS", "10"))
WORKBENCH_WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WORKBENCH_WEBHOOK_TIMEOUT_SECONDS", "10"))
WORKBENCH_WEBHOOK_ALLOWED_HOSTS = env_list("WORKBENCH_WEBHOOK_ALLOWED_HOSTS", "")

# Target languages the workbench translates into; the source language is Chinese.
WORKBENCH_SOURCE_LANGUAGE = "zh"
WORKBENCH_TARGET_LANGUAGES = env_list("WORKBENCH_TARGET_LANGUAGES", "en,ko")
# Four-eyes review: an editor may not approve a version they wrote themselves unless this is on.
WORKBENCH_ALLOW_SELF_APPROVAL = env_bool("WORKBENCH_ALLOW_SELF_APPROVAL", False)
WORKBENCH_SEED_PATH = BASE_DIR / "data" / "seed_globalization.zh.txt"
WORKBENCH_SEED_TITLE = "疫情与全球化（三篇）"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "workbench.parsers.LimitedJSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_SCHEMA_CLASS": "api.schema.WorkbenchAutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Translation and alignment workbench API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "TranslationStatusEnum": "corpus.models.translations.Translation.Status",
        "GlossaryStatusEnum": "corpus.models.memory.GlossaryTerm.Status",
    },
}

LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")  # "json": one JSON object per line
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "workbench.logformat.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "jieba": {"level": "WARNING"},
        "pgserver": {"level": "WARNING"},
        # One line per request (runserver logs its own in development).
        "workbench.requests": {"level": "INFO" if (LOG_FORMAT == "json" or not DEBUG) else "WARNING"},
    },
}
