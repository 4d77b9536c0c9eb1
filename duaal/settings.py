"""Duaal settings: one module, configured from the environment.

Running modes (see README and docs/decisions/0001-settings.md):

* embedded default: SQLite (WAL, immediate transactions), Celery eager, console e-mail;
* production (``DJANGO_ENV=production``): every secret and service comes from the
  environment and a missing one stops start-up with a message naming the variable.
"""

from __future__ import annotations

import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DUAAL_VAR_DIR", BASE_DIR / "var"))

DJANGO_ENV = os.environ.get("DJANGO_ENV", "embedded").strip().lower()
PRODUCTION = DJANGO_ENV == "production"
if DJANGO_ENV not in {"embedded", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be 'embedded' or 'production', not {DJANGO_ENV!r}."
    )


def env(name: str, default: str | None = None, *, required_in_production: bool = False) -> str:
    """Read one variable; in production a required one must be present and non-empty."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if PRODUCTION and required_in_production:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required when DJANGO_ENV=production."
        )
    return default if default is not None else ""


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"The environment variable {name} must be true or false, not {value!r}."
    )


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "").strip()
    return [item.strip() for item in value.split(",") if item.strip()] if value else default


def _embedded_secret_key() -> str:
    """A per-installation key kept under var/, so the embedded mode has no shared secret."""
    key_file = VAR_DIR / "secret_key"
    try:
        return key_file.read_text().strip()
    except FileNotFoundError:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key


SECRET_KEY = env("DJANGO_SECRET_KEY", required_in_production=True) or _embedded_secret_key()
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = (
    env_list("DJANGO_ALLOWED_HOSTS", [])
    if PRODUCTION
    else env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "The environment variable DJANGO_ALLOWED_HOSTS is required when DJANGO_ENV=production."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# The public address of the site (scheme and host, no path). Every absolute link in a mail is
# built from it, never from the Host header of the request that happened to send the mail.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000", required_in_production=True).rstrip("/")
if not re.fullmatch(r"https?://[^/\s?#]+", SITE_URL):
    raise ImproperlyConfigured(
        f"SITE_URL must be a scheme and a host such as https://duaal.example.be, not {SITE_URL!r}."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "guardian",
    "axes",
    "duaal",
    "accounts",
    "organisations",
    "partnerships",
    "recognition",
    "learning",
    "contracts",
    "evaluation",
    "notifications",
    "documents",
    "agenda",
    "dashboards",
]
if not PRODUCTION:
    # Dataset generator and benchmarks (``make bench``): never installed in production.
    INSTALLED_APPS.append("devtools")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "duaal.middleware.AuditContextMiddleware",
    "duaal.logs.RequestLogMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "duaal.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: private, no-store for signed-in people (below authentication).
    "duaal.cache_control.PrivateCacheControlMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "organisations.middleware.ActiveOrganisationMiddleware",
    # AxesMiddleware must be last: it turns a lockout into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "duaal.urls"
WSGI_APPLICATION = "duaal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "organisations.context_processors.organisations",
                "duaal.homes.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
SQLITE_PATH = Path(os.environ.get("DUAAL_SQLITE_PATH", VAR_DIR / "duaal.sqlite3"))
_database_url = env("DATABASE_URL", required_in_production=True)
if _database_url:
    DATABASES = {
        "default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)
    }
    # Server-side parameter binding (issue 13, docs/decisions/0022-cpu-per-request.md): psycopg
    # then prepares a statement the connection has run twice, so PostgreSQL parses and
    # plans the permission-filtered queries once per connection instead of on every request
    # (they cost about 1 ms of planning each), and the client no longer quotes parameters
    # into the SQL text. ``DUAAL_DB_SERVER_SIDE_BINDING=false`` goes back to client-side
    # binding (e.g. behind a transaction-mode connection pooler, which cannot keep prepared
    # statements).
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
        "DUAAL_DB_SERVER_SIDE_BINDING", True
    ):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": 2}
        )
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait
                # (busy_timeout) instead of failing with "database is locked" mid-transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 5,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=5000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and authentication ----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day

# Password reset throttle (accounts/password_reset.py): requests per address and per client
# address within the window; Django's cache counts them.
PASSWORD_RESET_WINDOW = 15 * 60
PASSWORD_RESET_PER_EMAIL = 3
PASSWORD_RESET_PER_CLIENT = 5

SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: throttle by e-mail and IP together; the lockout answer does not depend on
# whether the address exists.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# The number of reverse proxies in front of the web server that append the address they saw
# to X-Forwarded-For. The client is the address the outermost trusted proxy appended
# (``duaal.audit.client_ip``); login throttling, the password-reset throttle and the audit
# trail use this one rule. django-ipware is not used: its proxy count means "entries in the
# header including proxies", so a one-proxy header of one entry gives no address at all.
DUAAL_PROXY_COUNT = int(env("AXES_PROXY_COUNT", "1" if PRODUCTION else "0"))
if DUAAL_PROXY_COUNT < 0:
    raise ImproperlyConfigured("AXES_PROXY_COUNT must be 0 or a positive number.")
AXES_CLIENT_IP_CALLABLE = "duaal.audit.throttle_client_ip"

# django-guardian: object permissions only through the apps' permissions modules.
ANONYMOUS_USER_NAME = None  # django-guardian: no anonymous user row
GUARDIAN_RAISE_403 = False

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl-be", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["duaal.formats"]  # Flemish short dates (1/9/2026)
LANGUAGE_COOKIE_NAME = "duaal_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

# --- Static and private files -------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Generated documents and uploads are private: never under a URL, only served by
# permission-checked views.
PRIVATE_STORAGE_ROOT = Path(env("DUAAL_PRIVATE_ROOT", str(VAR_DIR / "private")))
MEDIA_ROOT = PRIVATE_STORAGE_ROOT
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_STORAGE_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "documents.storage.ManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# The TrueType fonts are read by the PDF renderer from the source folders, never sent to a
# browser: compressing them (brotli, 3 MB) only slowed the image build down.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "ttf")
WHITENOISE_AUTOREFRESH = not PRODUCTION

# --- E-mail ---------------------------------------------------------------------------------
# Django 6.1 MAILERS; the environment variables keep their classic EMAIL_* names.
_email_host = env("EMAIL_HOST", required_in_production=True)
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": int(env("EMAIL_PORT", "587")),
                "username": env("EMAIL_HOST_USER"),
                "password": env("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "use_ssl": env_bool("EMAIL_USE_SSL", False),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Duaal <no-reply@duaal.localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", required_in_production=True)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)

# The cache counts the password-reset throttle (and later other rate limits): shared by every
# gunicorn worker through Redis when a cache URL is given (docker-compose: the broker's Redis,
# database 2); a process-local memory cache otherwise (one process: the embedded mode, tests).
CACHE_URL = env("DUAAL_CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "duaal.cache.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# With a shared cache (issue 13, docs/decisions/0022-cpu-per-request.md): sessions are read
# from the cache and written through to the database (``cached_db``: a restarted Redis signs
# nobody out), and the main menu's answers are kept per person for at most this many seconds
# (``duaal.homes.nav_for``; every change of grants or memberships forgets them at once). A
# process-local cache would let one gunicorn worker keep what another changed: both stay off.
if CACHE_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
DUAAL_NAV_CACHE_SECONDS = int(env("DUAAL_NAV_CACHE_SECONDS", "300" if CACHE_URL else "0"))
# Without a broker (embedded mode) tasks run in-process, eagerly.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_MAX_TASKS_PER_CHILD = 200
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]

# --- Security -----------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # The preload token only permits submission to the browsers' list; it submits nothing.
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# --- Logging --------------------------------------------------------------------------------
# JSON lines with the request id in production (duaal/logs.py); plain text on a developer's
# machine. One line per request comes from duaal.logs.RequestLogMiddleware ("duaal.request").
LOG_FORMAT = env("DJANGO_LOG_FORMAT", "json" if PRODUCTION else "plain").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "duaal.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "duaal.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # The per-request line: on in production, quiet on a developer's machine (runserver
        # prints its own) unless DJANGO_REQUEST_LOG says otherwise.
        "duaal.request": {
            "level": "INFO" if env_bool("DJANGO_REQUEST_LOG", PRODUCTION) else "WARNING"
        },
    },
}

# --- Error reporting (optional) --------------------------------------------------------------
# With SENTRY_DSN set, errors of web requests and Celery tasks go to Sentry (or a compatible
# service such as GlitchTip). No personal data is sent: no user details, no request bodies.
SENTRY_DSN = env("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", DJANGO_ENV),
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        traces_sample_rate=float(env("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

DUAAL_DEFAULT_MENTOR_MAX_STUDENTS = int(env("DUAAL_DEFAULT_MENTOR_MAX_STUDENTS", "3"))

# Evaluation: how long the author of a submitted evaluation may still change it (afterwards a
# change is a correction, kept in its history), and after how many company days without a
# self-evaluation the student is reminded.
EVALUATION_EDIT_DAYS = int(env("DUAAL_EVALUATION_EDIT_DAYS", "7"))
SELF_EVALUATION_REMINDER_DAYS = int(env("DUAAL_SELF_EVALUATION_REMINDER_DAYS", "3"))
