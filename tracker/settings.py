"""Settings for the smart-manufacturing transformation tracker.

Everything that differs between a laptop and production comes from the environment
(cookiecutter-django style, via django-environ). With nothing set, the product runs on a
SQLite file in the project folder and executes Celery tasks in-process, so `make run`
needs no services at all.
"""

import datetime
from pathlib import Path

import environ
import orjson
from celery.schedules import crontab
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# A missing SECRET_KEY is only tolerated while developing; production must set one.
SECRET_KEY = env("SECRET_KEY", default="") or (
    "insecure-development-key-do-not-use-in-production" if DEBUG else ""
)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
DEMO_PASSWORD = env("DEMO_PASSWORD", default="")

INSTALLED_APPS = [
    "core.apps.TrackerAdminConfig",  # django.contrib.admin with our AdminSite
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "tracker.apps.LoginProtectionConfig",  # django-axes, named in our language
    "core",
    "companies",
    "projects",
    "reporting",
    "rankings",
    "notices",
    "tracker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tracker.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # LocaleMiddleware that also follows Accept-Language on unprefixed pages (tracker.middleware).
    "tracker.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view reads the body: a request larger than MAX_REQUEST_BYTES gets a 413.
    "tracker.middleware.RequestSizeLimitMiddleware",
    # A blank 405 (a form's target opened by its address) becomes a page that leads back.
    "tracker.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a lockout flagged during the view into a 429.
    "axes.middleware.AxesMiddleware",
]

# Request limits. Form fields (not files) at most 2.5 MB; files above 2.5 MB stream to a
# temporary file rather than memory; at most 20 files per request (a submission's evidence
# cap, reporting.attachments); the whole body at most 110 MB (an objection's ten files of
# 10 MB, core.uploads, plus the form), refused with a 413 by RequestSizeLimitMiddleware.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 20
MAX_REQUEST_BYTES = 110 * 1024 * 1024

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers see the previous ranking while a recompute writes the next one.
    # IMMEDIATE: a transaction takes the write lock when it begins, so a second writer waits
    # for it (up to `timeout` seconds). A deferred one reads first and fails at once with
    # "database is locked" when it then tries to write after another writer's commit.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    # A reused connection is checked (`SELECT 1`) at the start of each request, so a restarted
    # PostgreSQL costs no failed request; the check is one more round trip on every request
    # (a kept API page is otherwise two: the token and the run). 0 turns it off:
    # after a restart each kept connection then fails one request and is replaced.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Login throttling (django-axes) first: it refuses a locked-out username + IP before the
# password is even checked. tracker.backends explains why it subclasses axes' backend.
AUTHENTICATION_BACKENDS = [
    "tracker.backends.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# Username and IP together: a guesser is stopped, yet one shared office IP (NAT) does not lock
# out every colleague, and nobody can lock a user out from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tracker.backends.lockout_response"
AXES_COOLOFF_MESSAGE = gettext_lazy(
    "Too many failed logins for this account from your address. Try again in 15 minutes, "
    "or ask an administrator to unlock the account."
)
# The client IP is the socket's peer unless the operator says how many reverse proxies stand in
# front (AXES_IPWARE_PROXY_COUNT=1 for one nginx): only then is X-Forwarded-For trusted, and
# read from the right, where the proxy appended the real peer, so a client cannot forge it.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0) or None
AXES_IPWARE_PROXY_ORDER = "right-most"
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Whitenoise serves what `collectstatic` put in STATIC_ROOT in production. While developing
# (DEBUG from the environment) it serves straight from the finders and looks again on each
# request, so no collected copy is needed. Set here, not left to whitenoise's default
# (settings.DEBUG at start-up), because pytest-django turns DEBUG off for the tests: whitenoise
# then looked for a STATIC_ROOT that a checkout does not have and warned on every test client.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = BASE_DIR / "data" / "media"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Official documents -------------------------------------------------------------------
# The city whose programme this is, and the office that signs its notices and result letters
# (notices/documents): the notice of a published run and each company's result letter name them.
CITY_NAME = env.str("CITY_NAME", default="金华市")
# The same names in English documents and file names (notices.documents.content).
CITY_NAME_EN = env.str("CITY_NAME_EN", default="Jinhua")
ISSUING_OFFICE = env.str("ISSUING_OFFICE", default="金华市经济和信息化局")
ISSUING_OFFICE_EN = env.str(
    "ISSUING_OFFICE_EN", default="Jinhua Municipal Bureau of Economy and Information Technology"
)

# --- Plausible input ----------------------------------------------------------------------
# How far ahead a key project's planned start and completion may lie (years after this one);
# recorded facts (acceptance, annual figures, assessments) may not lie in the future at all.
PLAN_HORIZON_YEARS = 5
# The first surveillance-audit anniversary of an IMS certificate the tracker checks: audits
# were not recorded before it, so earlier anniversaries cannot be "missed" (issue 12).
IMS_AUDITS_CHECKED_FROM = datetime.date.fromisoformat(
    env.str("IMS_AUDITS_CHECKED_FROM", default="2027-01-01")
)

# --- Imports ------------------------------------------------------------------------------
# Bounds on an uploaded spreadsheet, checked before its cells are read (tracker/imports/
# readers.py): a 1.6 KB file can declare a sheet of 17 billion cells, a 1 MB one a 1 GB text.
IMPORT_MAX_ROWS = 100_000  # data rows under the header: a city-wide year of annual data
IMPORT_MAX_COLUMNS = 50  # the widest template has 16
IMPORT_MAX_CELL_CHARS = 32_767  # what Excel itself allows in one cell
# An .xlsx is a zip. 100,000 rows of the widest template unpack to about 80 MB, compressed
# 5 to 20 times; Apache POI refuses 100 to 1 by default, as we do.
IMPORT_MAX_UNPACKED_MB = 256
IMPORT_MAX_COMPRESSION_RATIO = 100
# How long after an import its author or city staff may undo it as a whole (if no record it
# wrote has been changed since): long enough to notice a wrong file in the week's work.
IMPORT_UNDO_DAYS = 7

# --- E-mail -------------------------------------------------------------------------------
# Notifications are mailed through Django's mail framework (core.notifications). Production
# sets EMAIL_URL (e.g. smtp+tls://user:password@smtp.example.gov.cn:587) or EMAIL_HOST with
# EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS / EMAIL_USE_SSL; with
# neither, mails are printed on the console (development). EMAIL_BACKEND overrides both.
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
elif env("EMAIL_HOST", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
    EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
if env("EMAIL_BACKEND", default=""):
    EMAIL_BACKEND = env("EMAIL_BACKEND")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="tracker@localhost")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# The site's address as recipients reach it: e-mails link to the page to act on.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- Celery -------------------------------------------------------------------------------
# Without REDIS_URL there is no broker: tasks run in-process, so the embedded default works
# with nothing else installed. With it, tasks go to Redis and a worker runs them.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A save must never hang on a dead broker: fail fast, keep the durable dirty marker, log.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 0,
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
}
CELERY_TASK_PUBLISH_RETRY = False
# Task modules outside an app's top-level tasks.py, which autodiscovery would not find.
CELERY_IMPORTS = ["tracker.imports.tasks"]
# Rankings: re-send recomputes of dirty years each minute (covers a broker that was down),
# and recompute every year each night whatever the markers say.
CELERY_BEAT_SCHEDULE = {
    "rankings-sweep-dirty-years": {
        "task": "rankings.tasks.sweep_dirty_years",
        "schedule": 60.0,
    },
    # The dashboard's figures of a run whose figures task was lost (tracker.figures).
    "tracker-sweep-figures": {
        "task": "tracker.tasks.sweep_figures",
        "schedule": 60.0,
    },
    "companies-suspend-missed-audits": {
        "task": "companies.tasks.suspend_missed_audits",
        "schedule": crontab(hour=1, minute=30),
    },
    "rankings-nightly-full-recompute": {
        "task": "rankings.tasks.recompute_all_years",
        "schedule": crontab(hour=2, minute=30),
    },
    # Reminders (issue 11): each sent once per recipient and event, whatever the runs (the
    # event key carries the date or window), so a missed or doubled beat sends nothing twice.
    "reporting-deadline-reminders": {
        "task": "reporting.tasks.send_deadline_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    "reporting-county-digest": {
        "task": "reporting.tasks.send_county_digest",
        "schedule": crontab(hour=8, minute=5),
    },
    "companies-certificate-expiry-reminders": {
        "task": "companies.tasks.send_certificate_expiry_reminders",
        "schedule": crontab(hour=8, minute=10),
    },
    "projects-lagging-project-reminders": {
        "task": "projects.tasks.send_lagging_project_reminders",
        "schedule": crontab(hour=8, minute=15, day_of_week="mon"),
    },
    # Mails notifications not mailed yet: covers a pass that could not be queued.
    "core-email-notifications": {
        "task": "core.tasks.email_notifications",
        "schedule": 300.0,
    },
}

# --- REST framework -----------------------------------------------------------------------
# django-filter names a range filter "<field> <lookup>"; its own words for the lookups
# ("is greater than or equal to") are English in every language. Symbols read the same in both.
FILTERS_VERBOSE_LOOKUPS = {
    "exact": "",
    "gte": "≥",
    "lte": "≤",
    "gt": ">",
    "lt": "<",
    "year": "",
}

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes an anonymous call a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # orjson (Rust) encodes a page several times faster than the standard library's json.
    "DEFAULT_RENDERER_CLASSES": [
        "drf_orjson_renderer.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # A list field's errors are keyed by the item's index (an int), which orjson refuses
    # by default: every bad item in a list (a figure name, a credit code) answered 500.
    "ORJSON_RENDERER_OPTIONS": (orjson.OPT_NON_STR_KEYS,),
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.filters.UsedFiltersBackend",  # django-filter, only the filters in use
        "rest_framework.filters.SearchFilter",
        "core.api.ordering.AliasedOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.TrackerAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.StandardPagination",
    "EXCEPTION_HANDLER": "core.api.exceptions.api_exception_handler",
}
# An API token expires this many days after it was made (core.tokens); signing in again gives
# a new one. Logging out everywhere, a password change or a role change revoke it at once.
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=30)
SPECTACULAR_SETTINGS = {
    "TITLE": "Smart-manufacturing transformation tracker API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "DESCRIPTION": (
        "Companies, projects and rankings of Jinhua's smart-manufacturing programme. "
        "Authenticate with a session or `Authorization: Token <token>` "
        "(POST /api/v1/auth/token/; a token expires after `API_TOKEN_TTL_DAYS`, see `expires`, "
        "and is listed and revoked at /api/v1/auth/tokens/). Every list takes `?format=csv|xlsx`."
    ),
    "COMPONENT_SPLIT_REQUEST": True,
    # No badge fetched from validator.swagger.io: the docs must work on an intranet.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {
        "CertificationStatusEnum": "companies.choices.CertificationStatus",
        "ProjectStatusEnum": "projects.choices.ProjectStatus",
        "SubmissionStateEnum": "reporting.choices.SubmissionState",
        "SubmissionStepEnum": "reporting.workflow.STEP_CHOICES",
        "CountyOpinionEnum": "notices.choices.CountyOpinion",
    },
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # The schema and its docs are for signed-in users (session or token), like the API.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Logs go to the console, never to files: systemd's journal, or whatever runs the Procfile,
    # collects them. stderr, so that a command's own output (export_scores > scores.csv) stays
    # clean; gunicorn writes its access log to stdout (deploy/gunicorn.conf.py).
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Production hardening: on whenever DEBUG is off ---------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# Security headers, in development too, so a page that breaks under them breaks early.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# tracker.middleware.ContentSecurityPolicyMiddleware: only this site's own files, no inline code
# unless a template marks it with the per-response nonce.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'{nonce_sources}; style-src 'self'{nonce_sources}; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# ReDoc (the API reference at /api/redoc/, no user data on it) sets style attributes and runs
# its search in a blob: worker; only that page may do so. Scripts stay 'self' + nonce.
CONTENT_SECURITY_POLICY_EXCEPTIONS = {
    "/api/redoc/": CONTENT_SECURITY_POLICY.replace(
        "style-src 'self'{nonce_sources}", "style-src 'self' 'unsafe-inline'"
    ).replace("connect-src 'self'", "connect-src 'self'; worker-src 'self' blob:"),
}
# A working day, and the session ends with the browser: shared office PCs are common.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
SESSION_COOKIE_HTTPONLY = True
