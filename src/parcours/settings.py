"""Settings of Parcours, read from the environment.

PARCOURS_DATA_DIR   folder for the SQLite database and uploaded documents (default: ./data)
DATABASE_URL        postgres://… to use PostgreSQL; SQLite in the data folder otherwise
PARCOURS_DEBUG      1 in development (the `make run` default), 0 in production
PARCOURS_SECRET_KEY required when PARCOURS_DEBUG is 0
PARCOURS_DEMO       1 shows the demo accounts on the login page
PARCOURS_PRODUCTION 1 on a production server: then PARCOURS_DEBUG=1 is refused
PARCOURS_BACKUP_KEY_FILE / PARCOURS_BACKUP_KEY  the key that encrypts backups (`parcours backup-key` makes one)
Security settings (HTTPS, sessions, sign-in lock, retention) are described in docs/security.md.
"""

from pathlib import Path
import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("PARCOURS_DATA_DIR", Path.cwd() / "data")).resolve()

DEBUG = os.environ.get("PARCOURS_DEBUG", "0") == "1"
DEMO_MODE = os.environ.get("PARCOURS_DEMO", "0") == "1"
PRODUCTION = os.environ.get("PARCOURS_PRODUCTION", "0") == "1"
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("PARCOURS_DEBUG=1 est interdit quand PARCOURS_PRODUCTION=1.")

SECRET_KEY = os.environ.get("PARCOURS_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and os.environ.get("PARCOURS_ALLOW_INSECURE_KEY") != "1":
        raise ImproperlyConfigured(
            "PARCOURS_SECRET_KEY doit être défini en production (PARCOURS_DEBUG=0)."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = [h for h in os.environ.get("PARCOURS_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
# The domain that names the events of the calendar files (their UID): the site's.
PARCOURS_ICS_DOMAIN = os.environ.get("PARCOURS_ICS_DOMAIN", ALLOWED_HOSTS[0] if ALLOWED_HOSTS else "parcours")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("PARCOURS_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "parcours.core",
    "parcours.territory",
    "parcours.organisations",
    "parcours.participants",
    "parcours.programmes",
    "parcours.pathways",
    "parcours.agenda",
    "parcours.plie",
    "parcours.plie.intake",
    "parcours.plie.commissions",
    "parcours.youth",
    "parcours.esf",
    "parcours.clauses",
    "parcours.actions",
    "parcours.employers",
    "parcours.reporting",
    "parcours.demo",
    "parcours.interchange",
    "parcours.audit",
    "parcours.privacy",
    "parcours.accounts",
    "parcours.web",
    "parcours.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "parcours.web.middleware.ScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "parcours.accounts.middleware.SessionTimeoutMiddleware",
    "parcours.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "parcours.web.middleware.NoStoreForAuthenticatedMiddleware",
    "parcours.web.middleware.RefusedAccessLogMiddleware",
    # Last, so that its process_exception is asked first about a view's database failure.
    "parcours.web.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "parcours.urls"
WSGI_APPLICATION = "parcours.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "parcours.web.context_processors.parcours",
            ],
        },
    }
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'parcours.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL") or _default_sqlite, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the server read while a command writes; a generous timeout avoids "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # A kept connection the server dropped (restart, failover, idle timeout) is tested before a request uses it
    # and replaced, instead of failing that request (docs/deployment.md).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Reports may read from a PostgreSQL streaming replica: heavy aggregations then leave the primary
# to the case workers. Only reporting code reads from it (parcours.core.db.reporting_alias).
if os.environ.get("PARCOURS_REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["PARCOURS_REPLICA_DATABASE_URL"], conn_max_age=60)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The backup's data: Django's JSON with times to the microsecond (parcours.core.serializers).
SERIALIZATION_MODULES = {"exactjson": "parcours.core.serializers"}

AUTH_USER_MODEL = "organisations.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "parcours.accounts.validators.CharacterClassesValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# A link to choose one's password (forgotten password, invitation to a new account: accounts/mail.py) lapses after
# this many hours, or as soon as the password is set.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PARCOURS_PASSWORD_LINK_HOURS", "48")) * 3600
if PASSWORD_RESET_TIMEOUT < 3600:
    raise ImproperlyConfigured("PARCOURS_PASSWORD_LINK_HOURS doit valoir au moins 1 (heures de validité d'un lien).")

# Every `{{ form }}` in the same layout as the hand-written pages (web/forms_renderer.py).
FORM_RENDERER = "parcours.web.forms_renderer.ParcoursFormRenderer"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    # Uploaded documents live outside any web root and are only served by a view that checks rights.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(DATA_DIR / "documents"), "base_url": None}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage" if not DEBUG
                    else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PARCOURS_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024

# --- Security (docs/security.md) ------------------------------------------------------------------------------
# No forced periodic password change (CNIL 2022-100); sign-in lock per account, much higher per IP.
PARCOURS_LOGIN_FAILURE_LIMIT = int(os.environ.get("PARCOURS_LOGIN_FAILURE_LIMIT", "5"))
PARCOURS_LOGIN_FAILURE_WINDOW = int(os.environ.get("PARCOURS_LOGIN_FAILURE_WINDOW", str(15 * 60)))
PARCOURS_LOGIN_LOCK_SECONDS = int(os.environ.get("PARCOURS_LOGIN_LOCK_SECONDS", str(15 * 60)))
PARCOURS_LOGIN_IP_FAILURE_LIMIT = int(os.environ.get("PARCOURS_LOGIN_IP_FAILURE_LIMIT", "100"))
# Changing one's e-mail or second factor, asking or confirming a role that opens personal data: the password
# (and the second factor's code, when enrolled) typed less than this ago (docs/security.md).
PARCOURS_REAUTH_SECONDS = int(os.environ.get("PARCOURS_REAUTH_SECONDS", str(5 * 60)))
# A request for a role of organisations.enums.CONFIRMED_ROLES that no second administrator confirmed expires.
PARCOURS_GRANT_REQUEST_DAYS = int(os.environ.get("PARCOURS_GRANT_REQUEST_DAYS", "7"))

# E-mail (notices of roles opening personal data, docs/authorisation.md): the console in development, SMTP else.
EMAIL_BACKEND = os.environ.get("PARCOURS_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend" if DEBUG
                               else "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("PARCOURS_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("PARCOURS_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("PARCOURS_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("PARCOURS_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("PARCOURS_EMAIL_USE_TLS", "0") == "1"
EMAIL_USE_SSL = os.environ.get("PARCOURS_EMAIL_USE_SSL", "0") == "1"
EMAIL_TIMEOUT = int(os.environ.get("PARCOURS_EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("PARCOURS_EMAIL_FROM", "Parcours <ne-pas-repondre@localhost>")
# Lifetime of a personal API token (docs/security.md, "API tokens"): created for 90 days, then a new one is made.
PARCOURS_API_TOKEN_DAYS = int(os.environ.get("PARCOURS_API_TOKEN_DAYS", "90"))
if PARCOURS_API_TOKEN_DAYS < 1:
    raise ImproperlyConfigured("PARCOURS_API_TOKEN_DAYS doit valoir au moins 1 (jours de validité d'un jeton d'API).")

# Sessions: ended after 30 minutes without activity or 10 hours after sign-in.
PARCOURS_SESSION_IDLE_SECONDS = int(os.environ.get("PARCOURS_SESSION_IDLE_SECONDS", str(30 * 60)))
PARCOURS_SESSION_ABSOLUTE_SECONDS = int(os.environ.get("PARCOURS_SESSION_ABSOLUTE_SECONDS", str(10 * 60 * 60)))
SESSION_COOKIE_AGE = PARCOURS_SESSION_ABSOLUTE_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
# A failed CSRF check answers the French page in the application's layout (templates/403_csrf.html).
CSRF_FAILURE_VIEW = "parcours.web.views.csrf_failure"

X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = os.environ.get("PARCOURS_INSECURE_COOKIES") != "1"
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = os.environ.get("PARCOURS_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = int(os.environ.get("PARCOURS_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("PARCOURS_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
    SECURE_HSTS_PRELOAD = os.environ.get("PARCOURS_HSTS_PRELOAD", "1") == "1"
# Behind a TLS-terminating reverse proxy that sets X-Forwarded-Proto (and strips it from clients).
if os.environ.get("PARCOURS_BEHIND_PROXY") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp 4): our own files only, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

# Retention (docs/security.md, "Durées de conservation").
PARCOURS_ARCHIVE_AFTER_DAYS = int(os.environ.get("PARCOURS_ARCHIVE_AFTER_DAYS", str(2 * 365)))
PARCOURS_ANONYMISE_AFTER_DAYS = int(os.environ.get("PARCOURS_ANONYMISE_AFTER_DAYS", str(3 * 365)))
PARCOURS_ACCESS_LOG_RETENTION_DAYS = int(os.environ.get("PARCOURS_ACCESS_LOG_RETENTION_DAYS", "365"))
# A form's one-time token is kept a day: longer than a session lasts, so a copy of a post always finds it.
PARCOURS_FORM_TOKEN_KEPT_SECONDS = int(os.environ.get("PARCOURS_FORM_TOKEN_KEPT_SECONDS", str(24 * 3600)))
# An import whose worker shows no heartbeat for that long is dead (killed, host restarted): it may be abandoned.
PARCOURS_IMPORT_HEARTBEAT_SECONDS = int(os.environ.get("PARCOURS_IMPORT_HEARTBEAT_SECONDS", "10"))
PARCOURS_IMPORT_DEAD_AFTER_SECONDS = int(os.environ.get("PARCOURS_IMPORT_DEAD_AFTER_SECONDS", str(3 * 60)))

# Backups are encrypted (docs/security.md, "Sauvegardes"): the key is a file (preferred) or the variable itself,
# never stored with the backups.
PARCOURS_BACKUP_KEY_FILE = os.environ.get("PARCOURS_BACKUP_KEY_FILE", "")
PARCOURS_BACKUP_KEY = os.environ.get("PARCOURS_BACKUP_KEY", "")

# Error reports go to the logs, never by e-mail, and carry no request body nor query string.
ADMINS: list = []
MANAGERS: list = []

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "parcours.api.authentication.ApiTokenAuthentication",
        "parcours.api.authentication.SessionAuthentication",   # a failed CSRF check answers 403, in French
    ],
    "DEFAULT_PERMISSION_CLASSES": ["parcours.api.permissions.InScope"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "parcours.api.exceptions.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Parcours API",
    "DESCRIPTION": "API du système d'information Parcours (PLIE).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from our own static files (no CDN, CSP-friendly split view).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Long work (imports, PDF batches, retention) runs as background tasks. In production a
# `parcours db_worker` process executes them from the database queue; in development and tests
# they run at once, inside the request or command that enqueued them.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "PARCOURS_TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend" if DEBUG else "django_tasks_db.DatabaseBackend",
        ),
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"no_personal_data": {"()": "parcours.accounts.logging.NoPersonalDataFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain",
                             "filters": ["no_personal_data"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("PARCOURS_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"},
                # Django's default config would mail ADMINS; ours keeps reports in the filtered console.
                "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
                "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
