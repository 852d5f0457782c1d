"""One settings module, driven by the environment (see README "Configuration").

Unset, everything falls back to the embedded default: SQLite in the project folder, Celery inline,
email to the console. Production sets DATABASE_URL, REDIS_URL, SECRET_KEY, DEBUG=0 and friends.
"""

import os
from datetime import date
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .beat_schedule import BEAT_SCHEDULE
from .db_config import database_settings
from .env import env_bool, env_int, env_list, env_str, env_url
from .sso_config import oidc_settings, saml_settings
from .storage_config import default_storage_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)
_DEV_SECRET = "dev-only-insecure-secret-key-change-me-in-production-0123456789"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG=0.")
if not DEBUG and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY must be a real secret of 50+ characters when DEBUG=0.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000", schemes=("http", "https"))
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])
# Reverse proxies in front of the app (nginx in docker-compose: 1); rate limits read the client's
# address from X-Forwarded-For only through these.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
SITE_NAME = env_str("SITE_NAME", "RSS Dashboard")
PROVIDER_NAME = env_str("PROVIDER_NAME", "Michigan Medicine")
OFFICE_NAME = env_str("OFFICE_NAME", "OCME&LL")
OFFICE_EMAIL = env_str("OFFICE_EMAIL", "cme-office@example.org")
# Shown on the Help page (E.164 or as dialled in SMS_DEFAULT_REGION; empty: no phone shown).
OFFICE_PHONE = env_str("OFFICE_PHONE", "+17345550199")
TIME_ZONE = env_str("TIME_ZONE", "America/Detroit")
HOLIDAY_COUNTRY = env_str("HOLIDAY_COUNTRY", "US")
HOLIDAY_SUBDIVISION = env_str("HOLIDAY_SUBDIVISION", "MI") or None

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "csp",
    "axes",
    # Not "djangosaml2": its app adds only unused templates and the `idplist` tag library, which
    # the template engine imports in every worker and which imports pysaml2 (~30 MB).
    "rss_dashboard",
    "faculty",
    "activities",
    "disclosures",
    "credit",
    "flyers",
    "credit.pars",
]

MIDDLEWARE = [
    "rss_dashboard.request_log.RequestIdMiddleware",
    # Twilio's webhook answers from here: it needs none of the browser middleware below.
    "rss_dashboard.webhooks.LeanWebhookMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from gunicorn with far-future caching: no separate file server needed.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # SAML's own short session (the request sent to the IdP), in a cookie of its own.
    "djangosaml2.middleware.SamlSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # NUL bytes (400) and ids beyond 64 bits (404) never reach a view: rss_dashboard/hostile.py.
    "rss_dashboard.hostile.HostileInputMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Reports and exports read from the replica when DATABASE_REPLICA_URL is set.
    "rss_dashboard.replica.ReplicaReadsMiddleware",
    # Last, as django-axes asks: it answers locked-out sign-ins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rss_dashboard.urls"
WSGI_APPLICATION = "rss_dashboard.wsgi.application"

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
                "rss_dashboard.context_processors.site",
            ],
        },
    },
    {
        # Only for the RSS Dashboard's rows (activities.dashboard.html.render_row): the same markup,
        # rendered about five times faster than by Django's engine. Nothing finds templates here
        # by accident: Django's engine comes first and is used unless `using="rows"` is given.
        "NAME": "rows",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"autoescape": True},
    },
]

# DATABASE_URL (unset: SQLite), and optionally DATABASE_REPLICA_URL for reports and exports,
# DATABASE_POOL (psycopg's pool) or DATABASE_PGBOUNCER: rss_dashboard/db_config.py.
DATABASES = database_settings(BASE_DIR)
# Reads of reports and exports go to the replica when there is one (rss_dashboard/replica.py).
DATABASE_ROUTERS = ["rss_dashboard.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "faculty.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "faculty.auth.RoleBackend",
    # Sign-in through the institution (docs/identity.md); each answers only its own callback.
    "faculty.sso_saml.SamlBackend",
    "faculty.sso_oidc.OidcBackend",
]
# Login throttling: 5 failures for one account from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form's field (it holds the email)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Sign-in through the institution: SAML 2.0 and OpenID Connect, each optional (docs/identity.md).
SSO_INSTITUTION_NAME = env_str("SSO_INSTITUTION_NAME", PROVIDER_NAME)
globals().update(saml_settings(os.environ, site_url=SITE_URL, debug=DEBUG))
globals().update(oidc_settings(os.environ, debug=DEBUG))
# A merge of two people can be undone from its history this long (the records' retention).
MERGE_UNDO_DAYS = env_int("MERGE_UNDO_DAYS", 6 * 365, minimum=1)
SAML_CONFIG_LOADER = "faculty.sso_saml.sp_config"
SAML_DEFAULT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
# The IdP posts its answer from another site in production: the SAML cookie must travel with it
# (SameSite=None needs HTTPS); on a development machine the IdP is on the same site.
SAML_SESSION_COOKIE_SAMESITE = "Lax" if DEBUG else "None"
SAML_CSP_HANDLER = ""  # the pages are ours: CONTENT_SECURITY_POLICY below applies unchanged
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Sessions live in the database (cached in Redis when configured): any web process can serve anyone.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

LANGUAGE_CODE = "en-us"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
# Uploads (presentations, supporting documentation) live outside the web root and are served only
# through views that check permission; there is deliberately no MEDIA_URL route.
# STORAGE_BACKEND=s3 with AWS_* keeps them in an S3-compatible store (rss_dashboard/storage_config.py).
STORAGES = {
    "default": default_storage_config(os.environ),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "uploads")))
MEDIA_URL = "/uploads-not-served/"
PRESENTATION_MAX_BYTES = env_int("PRESENTATION_MAX_BYTES", 100 * 1024 * 1024, minimum=1)
# Reporting to ACCME (docs/pars.md): column 1 of the activity template (it names the template
# version PARS expects; copy it from the template you download) and the largest board results
# file the office may import.
PARS_ACTIVITY_TEMPLATE = env_str("PARS_ACTIVITY_TEMPLATE", "Template E")
PARS_ANSWERS_MAX_BYTES = env_int("PARS_ANSWERS_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: the outbox (rss_dashboard.outbox) writes rows; the worker sends them with this backend.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if not env_str("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "RSS Dashboard <rss@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN", "dev-twilio-token" if DEBUG else "")
TWILIO_NUMBER = env_str("TWILIO_NUMBER", "+17345550000")
SMS_DEFAULT_REGION = env_str("SMS_DEFAULT_REGION", "US")

# Celery: with REDIS_URL a real broker; without it every task runs inline in the caller.
REDIS_URL = env_url("REDIS_URL", "", schemes=("redis", "rediss", "unix"))
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
# The worker logs through LOGGING below (JSON lines with the task id in request_id), not Celery's own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The worker waits for Redis however long it is away (compose restarts it anyway).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A save must not hang when the broker is down: publishing gives up within a second or two and the
# outbox sweep re-queues (rss_dashboard/outbox.py). Connect and socket timeouts also cover a broker
# that does not answer at all (a dropped route), not only a refused connection.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
    "socket_connect_timeout": 2,
    "socket_timeout": 3,  # above kombu's 1 s BRPOP wait, which the worker uses on this socket
    # Above the longest retry countdown (outbox.BACKOFF_MAX), so Redis does not hand a waiting
    # retry to a second worker; the claim would make that harmless anyway.
    "visibility_timeout": 2 * 3600,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TIMEZONE = TIME_ZONE


def _month_day(name: str, default: str) -> tuple[int, int]:
    raw = env_str(name, default)
    try:
        month, day = (int(part) for part in raw.split("-"))
        date(2000, month, day)  # a leap year: any real month-day is valid
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a month-day like 09-01.") from None
    return month, day


# Renewal reminders (SPEC §2): from this month-day of a series' year, every 14 days until renewed.
RENEWAL_REMINDER_START = _month_day("RENEWAL_REMINDER_START", "09-01")

# Attendance from Zoom, Teams and sign-in rosters (SPEC §15, docs/attendance.md): the largest file
# accepted, and the month-day of the following year until which a year's attendance may still be
# imported, confirmed or undone (the office's PARS deadline, SPEC §13: the end of March).
ATTENDANCE_MAX_BYTES = env_int("ATTENDANCE_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
ATTENDANCE_CHANGES_UNTIL = _month_day("ATTENDANCE_CHANGES_UNTIL", "03-31")

# Scheduled jobs (Celery beat), in TIME_ZONE: rss_dashboard/beat_schedule.py.
CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE

# The cache holds copies only; an outage degrades it to misses (rss_dashboard/cache.py). It may
# live in another Redis database than the broker (REDIS_CACHE_URL), so a cache clear never touches
# the task queue.
REDIS_CACHE_URL = env_url("REDIS_CACHE_URL", "", schemes=("redis", "rediss", "unix")) or REDIS_URL
if REDIS_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "rss_dashboard.cache.ResilientRedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole dashboard results per user under the user's generation, and rows shared between users
# under their series' generation and under their content (activities/dashboard/cache.py,
# shared.py). With Redis configured both live there, so a page or row built by one process serves
# the others (keys name the viewer's permissions, never only the row); without it, per process
# and bounded (kept compressed: a page about 25 kB for 100 rows, a row about 2 kB).
if REDIS_CACHE_URL:
    for alias in ("dashboard", "dashboard_rows"):
        CACHES[alias] = {**CACHES["default"], "KEY_PREFIX": alias}
else:
    CACHES["dashboard"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "dashboard-pages",
        # Pages kept compressed (about 25 kB for 100 rows): a page for each of 80 people in turn.
        "OPTIONS": {"MAX_ENTRIES": 400},
    }
    CACHES["dashboard_rows"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "dashboard-shared-rows",
        # Each row twice (by generation and by content): 60 coordinators' and the office's pages.
        "OPTIONS": {"MAX_ENTRIES": 4000},
    }

# For measuring only (benchmarks/multi_process.py): the dashboard answers with
# X-Dashboard-Cache: hit|miss (rss_dashboard/cache_header.py).
DEBUG_CACHE_HEADER = env_bool("DEBUG_CACHE_HEADER", False)

# Production hardening: on whenever DEBUG is off (check --deploy stays clean).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz(/ready)?$"]

# Content-Security-Policy: scripts only from this site (no inline scripts anywhere); inline styles
# are allowed because htmx and Bootstrap set style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r} must be plain or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "rss_dashboard.request_log.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"},
        "json": {"()": "rss_dashboard.request_log.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # pysaml2 and its schema library log every parse at INFO.
        "saml2": {"level": "WARNING"},
        "xmlschema": {"level": "WARNING"},
    },
}
