"""Django settings for Factory Tiers.

Everything that differs between a laptop and a multi-node deployment comes from the environment:
DATABASE_URL (SQLite by default), CELERY_BROKER_URL (tasks run inline when unset), SECRET_KEY,
DEBUG, ALLOWED_HOSTS, MEDIA_ROOT, STATIC_ROOT, and the HTTPS ones: HTTPS, PROXY_SSL_HEADER,
HSTS_SECONDS, HSTS_INCLUDE_SUBDOMAINS, HSTS_PRELOAD, SESSION_IDLE_MINUTES, the bounds of a
request and of what an upload may unpack to: REQUEST_MAX_BYTES, UPLOAD_MAX_BYTES,
IMPORT_MAX_BYTES, REQUEST_FORM_BYTES, FILE_UPLOAD_MEMORY_BYTES, FILE_UPLOAD_TEMP_DIR,
ARCHIVE_MAX_UNPACKED_BYTES, ARCHIVE_MAX_MEMBERS, ARCHIVE_MAX_RATIO, IMPORT_MAX_ROWS,
IMPORT_MAX_COLUMNS, REGISTRY_IMPORT_MAX_ROWS; the mail server for password-reset e-mails: EMAIL_HOST, EMAIL_PORT,
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, DEFAULT_FROM_EMAIL (without EMAIL_HOST,
e-mails are printed to the console); and the background jobs' JOB_TIME_LIMIT_MINUTES and
JOB_STALE_SECONDS.

The settings fail closed: DEBUG is off and SECRET_KEY is required unless FACTORYTIERS_DEV=1 says
this is a development machine (`make run`, `make test` and pytest set it; production never does).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FACTORYTIERS_VAR_DIR", BASE_DIR / "var"))

_MB = 1024 * 1024
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _env_flag(name: str, default: bool) -> bool:
    """An on/off environment variable; unset means ``default``, anything unknown stops the start."""
    if name not in os.environ:
        return default
    value = os.environ[name].strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is not an on/off value: use 1 or 0. "
        f"环境变量 {name} 的值无效，请设为 1（开）或 0（关）。"
    )


def _env_int(name: str, default: int) -> int:
    """A whole number from the environment; unset means ``default``, anything else stops."""
    if name not in os.environ:
        return default
    value = os.environ[name].strip()
    if not value.isdigit() or int(value) <= 0:
        raise ImproperlyConfigured(
            f"{name}={os.environ[name]!r} is not a positive whole number. "
            f"环境变量 {name} 的值无效，请设为正整数。"
        )
    return int(value)


# Development mode: debug pages, a fixed secret key, static files served without collectstatic.
FACTORYTIERS_DEV = _env_flag("FACTORYTIERS_DEV", False)
DEBUG = _env_flag("DEBUG", FACTORYTIERS_DEV)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
if not SECRET_KEY and FACTORYTIERS_DEV:
    SECRET_KEY = DEV_SECRET_KEY
if not FACTORYTIERS_DEV and SECRET_KEY and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY is too short or is the development key: use at least 50 random characters. "
        "SECRET_KEY 过短或是开发用密钥：请使用至少50个字符的随机字符串。"
    )
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. In production set SECRET_KEY to a long random string "
        "(see docs/DEPLOYMENT.md); on a development machine set FACTORYTIERS_DEV=1 "
        "(make run and make test do). "
        "未设置 SECRET_KEY：生产环境请将 SECRET_KEY 设为足够长的随机字符串（见 docs/DEPLOYMENT.md）；"
        "开发环境请设置 FACTORYTIERS_DEV=1（make run 和 make test 已自动设置）。"
    )

ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "csp",
    "factorytiers.reference",
    "factorytiers.accounts",
    "factorytiers.enterprises",
    "factorytiers.assessments",
    "factorytiers.campaigns",
    "factorytiers.documents",
    "factorytiers.reminders",
    "factorytiers.dashboards",
    "factorytiers.api",
    # django-ninja's templates and static files: /api/docs serves Swagger UI from our own
    # static files (no CDN; the CSP allows only 'self').
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "factorytiers.accounts.locale.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before anything reads the body (the CSRF check does), after the user is known for the page.
    "factorytiers.accounts.limits.RequestLimitMiddleware",
    # After the size check; its __call__ still runs before any view hook (the CSRF check too).
    "factorytiers.accounts.input.ControlCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "factorytiers.accounts.audit.ClientIPMiddleware",
    # Last, so that a locked-out log-in is answered after the session is known.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factorytiers.urls"
WSGI_APPLICATION = "factorytiers.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "factorytiers" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "factorytiers.accounts.context_processors.navigation",
            ],
        },
    },
]

# SQLite (embedded, WAL) unless DATABASE_URL names another database, e.g. PostgreSQL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'factorytiers.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: on the wide statistics statements it cost seconds (most of a report's
    # statement) and this workload's short reads gain nothing from it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

# "figures": the statistics' kept counts, read once per change of their units' inputs
# (documents.selectors.kept_counted; keyed by versions the database's triggers count up, so
# never stale). Each process keeps its own: up to some hundreds of KB an entry at national size.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "figures": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "figures",
        "TIMEOUT": 24 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": 64},
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock-out: 5 failures for the same user name from the same address lock it for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# A session ends after SESSION_IDLE_MINUTES without a request (each request extends it) and
# when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "120")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"

# HTTPS: production is served over HTTPS only (HTTPS=0 turns it off, e.g. on a closed test
# network; `manage.py check --deploy` then warns). Behind a reverse proxy that terminates TLS,
# the proxy's X-Forwarded-Proto header tells Django the request was secure; the proxy must set
# it (and drop a client's own). PROXY_SSL_HEADER= (empty) when no proxy stands in front.
HTTPS = _env_flag("HTTPS", not FACTORYTIERS_DEV)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600))) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_flag("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _env_flag("HSTS_PRELOAD", True)
_PROXY_SSL_HEADER = os.environ.get("PROXY_SSL_HEADER", "X-Forwarded-Proto").strip()
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
    if HTTPS and _PROXY_SSL_HEADER
    else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Assets are served from our own static files (intranet deployments have no internet).
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
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "factorytiers" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [
    BASE_DIR / "factorytiers" / "static",
    # The user guide's screenshots (docs/guide/images/, taken by tests/browser/test_guide.py).
    ("guide", BASE_DIR / "docs" / "guide" / "images"),
]
# Production: `manage.py collectstatic` writes hashed, compressed copies to STATIC_ROOT and a
# manifest; templates link the hashed names, which whitenoise serves with far-future caching.
# Development and tests: plain names straight from the app folders, no collectstatic needed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if FACTORYTIERS_DEV
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded materials and generated files on S3-compatible storage (MinIO, OSS, COS, S3…) when
# MEDIA_S3_BUCKET is set, so every node and worker shares them; otherwise MEDIA_ROOT on disk.
# Files are still served only through the permission-checked views (never a public URL).
MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "").strip()
if MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_S3_REGION") or None,
            "access_key": os.environ.get("MEDIA_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("MEDIA_S3_SECRET_KEY") or None,
            "location": os.environ.get("MEDIA_S3_PREFIX", "media"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
WHITENOISE_USE_FINDERS = FACTORYTIERS_DEV
# The CJK fonts (about 50 MB) are read from disk for PDFs and charts, never sent to a browser;
# compressing them would only make collectstatic take minutes.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "ttf")
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

# Background work: Celery with a broker when configured, otherwise every task runs inline.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# Background jobs (factorytiers/accounts/jobs.py) always end as 已完成 or 失败. A job may run
# for JOB_TIME_LIMIT_MINUTES (then Celery stops it) and wait in the queue as long; a running
# job whose heartbeat is older than JOB_STALE_SECONDS lost its worker. The sweep (Celery beat
# every minute, or `manage.py sweep_jobs` from cron) ends such jobs as 失败.
JOB_TIME_LIMIT_MINUTES = _env_int("JOB_TIME_LIMIT_MINUTES", 30)
JOB_STALE_SECONDS = _env_int("JOB_STALE_SECONDS", 300)
# An XLSX export of more rows than this is written by a background job (accounts/exports.py).
EXPORT_INLINE_MAX_ROWS = _env_int("EXPORT_INLINE_MAX_ROWS", 5000)
# A unit's 附件2 report with more rows in its attached table than this is written by a
# background job: either file takes about a second per 2,000 rows (the PDF's table is drawn by
# rendering.table_pdf at some 3,000 rows a second, its text by WeasyPrint in under a second).
REPORT_PDF_INLINE_MAX_ROWS = _env_int("REPORT_PDF_INLINE_MAX_ROWS", 2000)
REPORT_DOCX_INLINE_MAX_ROWS = _env_int("REPORT_DOCX_INLINE_MAX_ROWS", 2000)
# Its print preview (a page) shows an attached table up to this many rows; a longer one is
# printed from the PDF.
REPORT_PREVIEW_MAX_ROWS = _env_int("REPORT_PREVIEW_MAX_ROWS", 800)
# A task is acknowledged when it ends, not when it starts: a worker killed mid-job leaves its
# message to be delivered again (the job row says whether anything is left to do).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = JOB_TIME_LIMIT_MINUTES * 60
CELERY_TASK_TIME_LIMIT = JOB_TIME_LIMIT_MINUTES * 60 + 60
# Redis hands an unacknowledged message to another worker after this long: longer than any
# task may run, so a running task is never started twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 300}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "sweep-jobs": {
        "task": "factorytiers.accounts.tasks.sweep_jobs_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    }
}

# What a request may carry (bytes). A request past REQUEST_MAX_BYTES is refused before its body
# is read; one uploaded file past UPLOAD_MAX_BYTES is stopped while it arrives (a campaign's own
# 单个材料大小上限 applies below it); form fields without files are held in memory up to
# REQUEST_FORM_BYTES; files go to FILE_UPLOAD_TEMP_DIR (the system's temporary folder when
# unset) unless the whole request fits in FILE_UPLOAD_MEMORY_BYTES.
REQUEST_MAX_BYTES = _env_int("REQUEST_MAX_BYTES", 60 * _MB)
UPLOAD_MAX_BYTES = _env_int("UPLOAD_MAX_BYTES", 50 * _MB)
IMPORT_MAX_BYTES = _env_int("IMPORT_MAX_BYTES", 20 * _MB)  # a spreadsheet import, a report PDF
DATA_UPLOAD_MAX_MEMORY_SIZE = _env_int("REQUEST_FORM_BYTES", 5 * _MB)
FILE_UPLOAD_MAX_MEMORY_SIZE = min(
    _env_int("FILE_UPLOAD_MEMORY_BYTES", 2 * _MB + _MB // 2), UPLOAD_MAX_BYTES
)
FILE_UPLOAD_TEMP_DIR = os.environ.get("FILE_UPLOAD_TEMP_DIR") or None
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "factorytiers.accounts.limits.BoundedUploadHandler",
]
# DOCX and XLSX are ZIP packages: bounds of what one may unpack to (domain/archives.py).
ARCHIVE_MAX_UNPACKED_BYTES = _env_int("ARCHIVE_MAX_UNPACKED_BYTES", 200 * _MB)
ARCHIVE_MAX_MEMBERS = _env_int("ARCHIVE_MAX_MEMBERS", 5000)
ARCHIVE_MAX_RATIO = _env_int("ARCHIVE_MAX_RATIO", 100)
# A spreadsheet import: rows including the header row, and columns.
IMPORT_MAX_ROWS = _env_int("IMPORT_MAX_ROWS", 20_001)
IMPORT_MAX_COLUMNS = _env_int("IMPORT_MAX_COLUMNS", 64)
# The enterprise registry (规上企业名录) import: data rows of one file (the country has about
# 500,000 规上 enterprises); the file still passes UPLOAD_MAX_BYTES and the ARCHIVE_* bounds.
REGISTRY_IMPORT_MAX_ROWS = _env_int("REGISTRY_IMPORT_MAX_ROWS", 600_000)

# E-mail (password reset links): printed to the console unless EMAIL_HOST names an SMTP server.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip()
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = _env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_flag("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 10  # seconds: a slow mail server must not hold a request for ever
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")
PASSWORD_RESET_TIMEOUT = 24 * 3600  # a reset link works for one day (and only once)

# -- Reminders (factorytiers/reminders) ------------------------------------------------------
# Deadline reminders and the e-mails of notifications that ask someone to act. SITE_URL is the
# address people open the product at: e-mails and the calendar feed link back to it.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").strip()
# Celery beat (where CELERY_BROKER_URL is set) sends the reminders due each day at 08:00 in
# CELERY_TIMEZONE; without a broker, cron runs `manage.py send_reminders` (docs/DEPLOYMENT.md).
# A reminder is sent once however often either runs. Merged into any schedule defined above.
CELERY_BEAT_SCHEDULE = globals().get("CELERY_BEAT_SCHEDULE", {})
CELERY_BEAT_SCHEDULE["send-reminders"] = {
    "task": "factorytiers.reminders.tasks.send_reminders_task",
    "schedule": crontab(hour=8, minute=0),
}
# -- end of reminders ---------------------------------------------------------------------------

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Each page WeasyPrint lays out, for a long PDF's progress (rendering.pdf); not printed.
    "loggers": {"weasyprint.progress": {"level": "INFO", "handlers": [], "propagate": False}},
}

DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "Demo@2026")
