"""Settings for SKM Portal, read from environment variables (12-factor).

DEBUG is on only with DJANGO_DEBUG=1 (`make run` and the test suite set it); then the
local defaults need nothing else: a SQLite file, e-mail to the console.
Production sets SECRET_KEY, DATABASE_URL and ALLOWED_HOSTS, and CACHE_URL
(Redis) once more than one process serves the site; every variable is listed in
`.env.example` and the README section "Deploying" says how the pieces fit.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# Off unless asked for: a forgotten variable must give a production site, never a debug one.
DEBUG = env_bool("DJANGO_DEBUG", default=False)

# Production never falls back to a known key. Without one, settings still load, so commands
# that sign nothing run (`manage.py makemigrations --check`, `collectstatic`); Django refuses
# the empty key the moment anything needs it, and the web app refuses to start (wsgi.py).
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    # Before the task apps: its db_worker and rqworker commands stand in for theirs (skm_portal.secret_key).
    "skm_portal",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "surveys",
    "followup",
    "permits",
    "reports",
    "api",
    "lobby",
    "home",  # the pages above the apps (home page, dashboard): last, it may read them all
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the app servers (hashed names, far-future caching), so a
    # deployment needs no shared static folder and no web-server rules for /static/.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "skm_portal.urls"
WSGI_APPLICATION = "skm_portal.wsgi.application"

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
                "skm_portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the survey form write while results pages read.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis is what several app servers share besides PostgreSQL and the media store: the
# cache, the survey rate limit, login throttling (django-axes) and the session cache.
# Without CACHE_URL each process keeps its own memory cache (one-process installs only).
CACHE_URL = env("CACHE_URL")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "skm"),
        }
    }
    # Sessions read from Redis and written through to PostgreSQL, so flushing or losing
    # Redis logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Background jobs (report building). `database` (default): a queue in PostgreSQL worked by
# `manage.py db_worker`, nothing else to run. `rq`: a queue in Redis (RQ_URL, default
# CACHE_URL) worked by `manage.py rqworker --job-class django_tasks_rq.Job default` on any
# number of machines. `immediate` runs them inside the request (tests, tiny installs).
TASKS_BACKEND = env("TASKS_BACKEND", "database")
TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in TASKS_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND harus salah satu dari {', '.join(TASKS_BACKENDS)}.")
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[TASKS_BACKEND]}}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS["default"]["QUEUES"] = ["default"]
    RQ_QUEUES = {"default": {"URL": env("RQ_URL", CACHE_URL or "redis://127.0.0.1:6379/0")}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"
# A login lasts one working day at most, and ends when the browser closes (shared
# counter computers at the service desk).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login throttling (django-axes): AXES_FAILURE_LIMIT wrong passwords for one username
# from one address lock that pair for AXES_COOLOFF_MINUTES; other users and the same user
# elsewhere are unaffected, so nobody can lock an officer out from the outside.
# Attempts are counted in Redis when CACHE_URL is set (shared by every app server, no
# rows with addresses kept), else in the database.
AUTHENTICATION_BACKENDS = [
    "skm_portal.login_throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler" if CACHE_URL else "axes.handlers.database.AxesDatabaseHandler"
# Successful logins are not recorded with address and browser (personal data).
AXES_DISABLE_ACCESS_LOG = True
# The same client as the form rate limits: SKM_TRUSTED_PROXIES honoured, IPv6 by its /64
# (one phone or household holds a whole /64 and could otherwise rotate addresses).
AXES_CLIENT_IP_CALLABLE = "skm_portal.ratelimit.client_network"
# The login page again, with the reason in Indonesian, answered 429.
AXES_LOCKOUT_CALLABLE = "skm_portal.login_throttle.lockout_response"

LANGUAGE_CODE = "id"
# Every screen is Indonesian whatever the browser asks for; strings go through gettext so an
# English locale can be added later (with LocaleMiddleware).
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
TIME_ZONE = "Asia/Makassar"
USE_I18N = True
USE_TZ = True
# Thousand separators are applied explicitly ({{ n|idint }}), so years and ids never print as "2.024".
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["skm_portal.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/arimo", BASE_DIR / "node_modules" / "@fontsource" / "arimo" / "files"),  # the documents' face
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "SKM Portal <noreply@localhost>")
# Mail is sent by a task (skm_portal.mail): seconds before an SMTP call gives up, how
# often a failed mail is tried (waits double from MAIL_RETRY_SECONDS), and after how many
# minutes an untried mail counts as stuck on the administrators' dashboard.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 6)
MAIL_RETRY_SECONDS = env_int("MAIL_RETRY_SECONDS", 60)
MAIL_STALE_MINUTES = env_int("MAIL_STALE_MINUTES", 15)
# Report builds: the worker beats every REPORT_BUILD_HEARTBEAT_SECONDS; a running build
# without a beat for REPORT_BUILD_STALE_SECONDS lost its worker and is shown as failed.
REPORT_BUILD_HEARTBEAT_SECONDS = env_int("REPORT_BUILD_HEARTBEAT_SECONDS", 10)
REPORT_BUILD_STALE_SECONDS = env_int("REPORT_BUILD_STALE_SECONDS", 120)
# An xlsx export (respondents' answers) is a download, not an archive: its file is deleted
# this many days after it was made (surveys/export_jobs.py: files_expire).
EXPORT_FILE_KEEP_DAYS = env_int("EXPORT_FILE_KEEP_DAYS", 7)
# Where the annual report keeps its rendered appendix parts, labels, page numbers and the
# signed versions waiting for their signature (reports/parts.py): a local folder. Empty (the
# default): MEDIA_ROOT/report-parts through the default storage. Parts are named by the
# SHA-256 of everything they show, so one folder may be shared (e.g. by a whole test run).
REPORT_PART_ROOT = env("REPORT_PART_ROOT", "")
# A stored part no build has used for this many days is removed after the next build (and by
# `manage.py report_parts_prune`); needed again, it is rendered again.
REPORT_PART_KEEP_DAYS = env_int("REPORT_PART_KEEP_DAYS", 30)
# The public QR check-in of a meeting opens this many minutes before its start time.
FOLLOWUP_CHECKIN_OPENS_BEFORE_MINUTES = env_int("FOLLOWUP_CHECKIN_OPENS_BEFORE_MINUTES", 120)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Public survey: submissions per client IP on open links within the window.
SKM_RATE_LIMIT = env_int("SKM_RATE_LIMIT", 10)
SKM_RATE_LIMIT_WINDOW = env_int("SKM_RATE_LIMIT_WINDOW", 60 * 60)
# The complaint form and applicant registration have buckets of their own (same window unit).
SKM_COMPLAINT_RATE_LIMIT = env_int("SKM_COMPLAINT_RATE_LIMIT", 5)
SKM_COMPLAINT_RATE_LIMIT_WINDOW = env_int("SKM_COMPLAINT_RATE_LIMIT_WINDOW", 60 * 60)
SKM_REGISTER_RATE_LIMIT = env_int("SKM_REGISTER_RATE_LIMIT", 5)
SKM_REGISTER_RATE_LIMIT_WINDOW = env_int("SKM_REGISTER_RATE_LIMIT_WINDOW", 60 * 60)
# Public QR check-in of a meeting: posts per client address per window (seconds).
SKM_CHECKIN_RATE_LIMIT = env_int("SKM_CHECKIN_RATE_LIMIT", 20)
SKM_CHECKIN_RATE_LIMIT_WINDOW = env_int("SKM_CHECKIN_RATE_LIMIT_WINDOW", 60)
# The JSON API: calls per client system (API key) and open-data requests per address, per window.
SKM_API_RATE_LIMIT = env_int("SKM_API_RATE_LIMIT", 120)
SKM_API_RATE_LIMIT_WINDOW = env_int("SKM_API_RATE_LIMIT_WINDOW", 60)
SKM_OPEN_DATA_RATE_LIMIT = env_int("SKM_OPEN_DATA_RATE_LIMIT", 60)
SKM_OPEN_DATA_RATE_LIMIT_WINDOW = env_int("SKM_OPEN_DATA_RATE_LIMIT_WINDOW", 60)
# Survey kiosk at a counter: answers per paired tablet per window (a busy counter, not
# one visitor), and pairing attempts per client address per window.
SKM_KIOSK_RATE_LIMIT = env_int("SKM_KIOSK_RATE_LIMIT", 180)
SKM_KIOSK_RATE_LIMIT_WINDOW = env_int("SKM_KIOSK_RATE_LIMIT_WINDOW", 60 * 60)
SKM_KIOSK_PAIR_RATE_LIMIT = env_int("SKM_KIOSK_PAIR_RATE_LIMIT", 10)
SKM_KIOSK_PAIR_RATE_LIMIT_WINDOW = env_int("SKM_KIOSK_PAIR_RATE_LIMIT_WINDOW", 60 * 60)
# Minutes a kiosk pairing code works; hours an answer may wait on a tablet that is offline.
SKM_KIOSK_CODE_MINUTES = env_int("SKM_KIOSK_CODE_MINUTES", 15)
SKM_KIOSK_OFFLINE_HOURS = env_int("SKM_KIOSK_OFFLINE_HOURS", 72)
# Seconds between refreshes of the lobby board (the TV in the waiting room).
LOBBY_REFRESH_SECONDS = env_int("LOBBY_REFRESH_SECONDS", 30)
# How many proxies in front of the app set X-Forwarded-For (0: trust REMOTE_ADDR only).
SKM_TRUSTED_PROXIES = env_int("SKM_TRUSTED_PROXIES", 0)
# Days a one-time survey link stays valid.
SKM_TOKEN_VALID_DAYS = env_int("SKM_TOKEN_VALID_DAYS", 30)
# Largest accepted import file (bytes) and data rows. They bound an import's time: a
# 250,000-row file is about 15 MB and imports in ~10 s; a hostile file is refused sooner.
SKM_IMPORT_MAX_BYTES = env_int("SKM_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
SKM_IMPORT_MAX_ROWS = env_int("SKM_IMPORT_MAX_ROWS", 250_000)
# Zip-bomb guard: the largest uncompressed size of the sheet XML inside an import file.
SKM_IMPORT_MAX_UNZIPPED_BYTES = env_int("SKM_IMPORT_MAX_UNZIPPED_BYTES", 20 * SKM_IMPORT_MAX_BYTES)
# ... and the largest compression ratio of a part (real workbooks: 10-15; zip bombs: thousands),
SKM_IMPORT_MAX_RATIO = env_int("SKM_IMPORT_MAX_RATIO", 100)
# ... and the memory the shared-string table (each distinct text of the file) may take.
SKM_IMPORT_MAX_SHARED_STRINGS_BYTES = env_int("SKM_IMPORT_MAX_SHARED_STRINGS_BYTES", 64 * 1024 * 1024)
# The office's public address (skm_portal/siteurl.py): QR posters, e-mails and the verification
# link locked into signed documents. Production: an https:// public address (check --deploy).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")

# Reports: PKCS#12 of the office's signing certificate; its passphrase is asked when signing
# (or, if set here, the signer re-enters their own password). BSrE sentence only for a BSrE certificate.
REPORT_SIGNING_P12 = Path(env("REPORT_SIGNING_P12", str(BASE_DIR / "private" / "reports" / "signing.p12")))
REPORT_SIGNING_PASSPHRASE = env("REPORT_SIGNING_PASSPHRASE")
REPORT_CERT_IS_BSRE = env_bool("REPORT_CERT_IS_BSRE", False)

# Follow-up evidence: a private folder outside MEDIA_ROOT (never served as media), size limit.
FOLLOWUP_EVIDENCE_ROOT = Path(env("FOLLOWUP_EVIDENCE_ROOT", str(BASE_DIR / "private" / "followup-evidence")))
FOLLOWUP_EVIDENCE_MAX_BYTES = env_int("FOLLOWUP_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
# Priority proposal: combined | below_a | lowest | largest_fall, and how many to propose.
FOLLOWUP_PRIORITY_RULE = env("FOLLOWUP_PRIORITY_RULE", "combined")
FOLLOWUP_PRIORITY_COUNT = env_int("FOLLOWUP_PRIORITY_COUNT", 3)

# Where uploaded files live: MEDIA_STORAGE=local (MEDIA_ROOT, default) or s3 (any
# S3-compatible store: AWS, MinIO, Ceph, ...). With s3, files are private and served
# through short-lived signed links, and app servers share no disk for media.
MEDIA_STORAGE = env("MEDIA_STORAGE", "local")
if MEDIA_STORAGE == "s3":
    _s3 = {
        "bucket_name": env("S3_BUCKET"),
        "endpoint_url": env("S3_ENDPOINT_URL") or None,
        "region_name": env("S3_REGION") or None,
        "access_key": env("S3_ACCESS_KEY_ID") or None,
        "secret_key": env("S3_SECRET_ACCESS_KEY") or None,
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": env_int("S3_SIGNED_URL_SECONDS", 300),
        "file_overwrite": False,
    }
    if not _s3["bucket_name"]:
        raise ImproperlyConfigured("S3_BUCKET wajib diisi bila MEDIA_STORAGE=s3.")
    _media_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**_s3, "location": "media"}}
    # Private files (follow-up evidence) go under their own prefix, never public.
    _private_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**_s3, "location": "private"}}
elif MEDIA_STORAGE == "local":
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    _private_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": FOLLOWUP_EVIDENCE_ROOT},
    }
else:
    raise ImproperlyConfigured("MEDIA_STORAGE harus local atau s3.")

# Production serves hashed, pre-compressed static files (run `collectstatic` on each
# release); STATIC_MANIFEST=0 keeps plain names (a production-settings run without
# collectstatic, e.g. a benchmark).
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": _media_storage,
    "private": _private_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Development (and the test run) looks static files up on each request, from the source
# folders; production indexes STATIC_ROOT once at start.
WHITENOISE_AUTOREFRESH = DEBUG

if not DEBUG:
    # TLS ends at the load balancer / reverse proxy, which must set X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts, styles, fonts and pictures only from
# this site (Bootstrap and htmx are served from /static/); no inline scripts or styles,
# no eval, no framing. Charts are inline SVG (markup, not script); QR codes are SVG
# images; `data:` covers Bootstrap's embedded SVG icons.
_SELF, _NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "object-src": [_NONE],
        "base-uri": [_SELF],
        "form-action": [_SELF],
        "frame-ancestors": [_NONE],
    }
}
if MEDIA_STORAGE == "s3" and env("S3_ENDPOINT_URL"):
    # Signed media links point at the object store.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(env("S3_ENDPOINT_URL"))

# Logs carry what went wrong and where, never what people typed: Django logs the path of
# failing requests (no query string, no body), the survey stores no address, and
# gunicorn's access log (off by default, see gunicorn.conf.py) leaves out client
# addresses and query strings.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Axes names the username and address of every failed login at INFO/WARNING.
        "axes": {"level": env("AXES_LOG_LEVEL", "ERROR")},
    },
}
