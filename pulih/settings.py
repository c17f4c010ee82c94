"""Pulih settings: one module, driven by environment variables (see .env.example)."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
# `.env` beside manage.py (or ENV_FILE) fills in what the environment does not already set, so a
# cron job or a systemd unit sees the same settings as the shell that ran `make run`.
load_dotenv(os.environ.get("ENV_FILE") or BASE_DIR / ".env", override=False)


def env(name: str, default: str = "") -> str:
    """A variable's value; set but empty (`NAME=` in .env) counts as unset."""
    return os.environ.get(name) or default


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def envrate(name: str, default: str) -> str | None:
    """A throttle rate such as "30/minute"; "off" turns the throttle off (benchmarks only)."""
    value = env(name, default).strip()
    return None if value.lower() == "off" else value


def project_path(value: str) -> Path:
    """A path from the environment; a relative one is taken from the project directory."""
    if value in {"", ":memory:"}:
        return Path(value)
    path = Path(value).expanduser()
    return path if path.is_absolute() else BASE_DIR / path


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)
DEVELOPMENT_KEY = "insecure-development-key-change-me-" + "x" * 20
SECRET_KEY = env("SECRET_KEY", DEVELOPMENT_KEY)


def weak_secret_key(key: str) -> bool:
    """What Django's check --deploy calls weak: short, few distinct characters, or ours."""
    return key == DEVELOPMENT_KEY or len(key) < 50 or len(set(key)) < 5 or "insecure" in key


if not DEBUG and weak_secret_key(SECRET_KEY):
    raise ImproperlyConfigured(
        "DEBUG is off but SECRET_KEY is missing or weak: set SECRET_KEY in the environment or "
        "in .env to at least 50 random characters, e.g. "
        '`python3 -c "import secrets; print(secrets.token_urlsafe(50))"`.'
    )
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "pulih",
    "units",
    "surveys",
    "complaints",
    "cases",
    "recovery",
    "documents",
    "reports",
    "organisations",
    "api",
    "notifications",
]

MIDDLEWARE = [
    "pulih.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pulih.lib.replica.RememberWritesMiddleware",
    "pulih.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "units.middleware.CurrentUnitMiddleware",
    "pulih.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pulih.urls"
WSGI_APPLICATION = "pulih.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pulih" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "units.context_processors.current_unit",
            ],
        },
    }
]

# Database: SQLite (WAL, immediate transactions) unless DATABASE_URL says otherwise.
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# Each gunicorn worker keeps its connection this many seconds (PostgreSQL's checked before a
# request's first query, below): opening one per request cost a survey answer several times
# its own work (SQLite reads its schema again, PostgreSQL starts a backend). 0: one per request.
_conn_max_age = envint("CONN_MAX_AGE", 600)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=_conn_max_age)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A relative path is the project's, never the working directory's (cron, systemd).
    DATABASES["default"]["NAME"] = str(project_path(str(DATABASES["default"]["NAME"])))
    # A writer waits this long for the write lock before "database is locked" (a loaded
    # machine's web request may hold it for seconds while it renders a document).
    _sqlite_timeout = envint("SQLITE_TIMEOUT", 30)
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN: concurrent writers queue instead of
        # failing with "database is locked" half-way through a read-then-write.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            f"PRAGMA busy_timeout={_sqlite_timeout * 1000};"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": _sqlite_timeout,
    }
    DATABASES["default"]["TEST"] = {"NAME": env("SQLITE_TEST_NAME", "") or None}
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A PostgreSQL streaming replica for dashboards, reports and roll-ups (pulih/lib/replica.py).
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=_conn_max_age)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["pulih.lib.replica.ReplicaRouter"]
# After a person's own write, their reads stay on the primary this long (replication lag).
REPLICA_STICKY_SECONDS = envint("REPLICA_STICKY_SECONDS", 10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "units.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_HOURS", 1)
# Lock the pair (username, address): one person failing must not lock a whole office behind NAT.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_LOCKOUT_CALLABLE = "pulih.views.locked_out"  # JSON for /api/, the template otherwise

# Language and time: Bahasa Indonesia first, English available; dates in the unit's zone.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "pulih" / "locale"]
FORMAT_MODULE_PATH = ["pulih.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", "Asia/Jakarta")

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
# Uploads live outside the static root and are only ever served through views that check access.
MEDIA_ROOT = project_path(env("MEDIA_ROOT", "var/uploads"))
# Uploads go through Django's storage API only. S3_BUCKET switches them to an S3-compatible
# store (MinIO, Ceph, AWS …: `pip install "django-storages[s3]"`), shared by every app server.
S3_BUCKET = env("S3_BUCKET")
if S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("S3_ENDPOINT_URL") or None,
            "access_key": env("S3_ACCESS_KEY") or None,
            "secret_key": env("S3_SECRET_KEY") or None,
            "region_name": env("S3_REGION") or None,
            "location": env("S3_PREFIX", "uploads"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
BACKUP_DIR = project_path(env("BACKUP_DIR", "var/backups"))

# Email: console by default; EMAIL_URL=smtp://user:pass@host:587 (TLS) switches to SMTP.
EMAIL_URL = env("EMAIL_URL", "console://")
if EMAIL_URL.startswith(("smtp://", "smtps://")):
    from urllib.parse import unquote, urlparse

    _mail = urlparse(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname or "localhost"
    EMAIL_PORT = _mail.port or (465 if _mail.scheme == "smtps" else 587)
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
    EMAIL_USE_SSL = _mail.scheme == "smtps"
    # STARTTLS except on port 25; EMAIL_USE_TLS=0 for a relay on the same host or network.
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", _mail.scheme == "smtp" and EMAIL_PORT != 25)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "pulih@localhost")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)  # seconds; a hung server fails the attempt, retried

# Security. HTTPS defaults on whenever DEBUG is off; `make run` on plain http sets HTTPS=0.
HTTPS = envbool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# A load balancer's probe speaks plain HTTP to the app's own port.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON is refused before parsing when over 1 MB (413) or nested over 32 levels (400).
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.conventions.Pagination",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.conventions.Negotiation",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    # Throttles count per client address: REMOTE_ADDR, unless NUM_PROXIES trusted proxies sit
    # in front (then the address they add to X-Forwarded-For). Unset, DRF would believe any
    # X-Forwarded-For a client sends, and a changing header would escape every limit.
    "NUM_PROXIES": envint("NUM_PROXIES", 0),
    "DEFAULT_THROTTLE_RATES": {
        "public": envrate("PUBLIC_RATE", "60/minute"),
        "survey": envrate("SURVEY_RATE", "30/minute"),
        "complaint": env("COMPLAINT_RATE", "5/minute"),
        "login": env("LOGIN_RATE", "10/minute"),
    },
}
# API tokens (django-rest-knox): hashed, sent as `Authorization: Token …`; each token's lifetime
# is its unit's `api_token_days` (set when issued), TOKEN_TTL only the fallback.
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_TTL": datetime.timedelta(days=30),
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pulih API",
    "DESCRIPTION": "Standar Pelayanan Sanksi dan Kompensasi: SKM/IKM, complaints and cases.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.state_text_constraints",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ComplaintKindEnum": "complaints.models.ComplaintKind",
        "CaseSourceKindEnum": "cases.models.SourceKind",
    },
}

# The public complaint form refuses submissions filled faster than a person can type.
COMPLAINT_MIN_FILL_SECONDS = envint("COMPLAINT_MIN_FILL_SECONDS", 3)

# One cache every process shares (rate limits count across gunicorn's workers and machines):
# Redis when CACHE_URL or REDIS_URL is set, otherwise a table in the application's database
# (`manage.py createcachetable`, run by `make migrate`). Never per-process memory.
REDIS_URL = env("REDIS_URL")
CACHE_URL = env("CACHE_URL") or REDIS_URL
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env("CACHE_PREFIX", "pulih"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "pulih.lib.cache.DatabaseCache",
            "LOCATION": "pulih_cache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# Background work on the Tasks API (django-tasks today, django.tasks on Django 6): mail and
# every notification, the report files, the imports and the daily jobs. The database backend
# (`manage.py db_worker`) by default; with REDIS_URL, RQ on Redis (`manage.py rqworker
# --job-class django_tasks_rq.Job`). TASKS_BACKEND=immediate runs each task in place (tests).
TASKS_BACKEND = env("TASKS_BACKEND", "rq" if REDIS_URL else "database")
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# The outbox: a failed delivery is tried again after OUTBOX_BACKOFF_SECONDS × 2^(attempt-1)
# (capped at OUTBOX_MAX_BACKOFF_SECONDS, an hour), OUTBOX_MAX_ATTEMPTS times in all, then marked
# failed for staff to see.
OUTBOX_BACKOFF_SECONDS = envint("OUTBOX_BACKOFF_SECONDS", 60)
OUTBOX_MAX_BACKOFF_SECONDS = envint("OUTBOX_MAX_BACKOFF_SECONDS", 3600)
OUTBOX_MAX_ATTEMPTS = envint("OUTBOX_MAX_ATTEMPTS", 10)

# Logs: one line per record on stdout (journald keeps them), with time, level and the id of
# the request that wrote it (also sent back as X-Request-ID).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "pulih.lib.logging.RequestIdFilter"}},
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": "line",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "rq.worker": {"level": env("LOG_LEVEL", "INFO")},
    },
}
