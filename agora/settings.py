"""Agora's settings: everything comes from the environment, with safe defaults.

The defaults give a working single-machine store (SQLite in WAL mode under ``var/``); production
sets ``DATABASE_URL``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and runs the worker separately.
"""

from __future__ import annotations

import json
import os
import secrets
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("AGORA_DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """The key is never a constant in the code: from the environment, or generated once into a
    private file under DATA_DIR so sessions survive restarts."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DEBUG")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "agora.operator.apps.OperatorAdminConfig",  # django.contrib.admin with the operator pages
    # Before django.contrib.auth so that its ``createsuperuser`` (by email) replaces Django's.
    "agora.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "ninja",
    "agora.core",
    "agora.marketplace",
    "agora.catalog",
    "agora.pricing",
    "agora.inventory",
    "agora.orders",
    "agora.checkout",
    "agora.payments",
    "agora.webhooks",
    "agora.fulfillment",
    "agora.search",
    "agora.recommendations",
    "agora.traceability",
    "agora.sustainability",
    "agora.circular",
    "agora.privacy",
    "agora.trust",
    "agora.api",
    "agora.imports",
    "agora.demo",
    "agora.storefront",
    "agora.sellercenter",
    "agora.operator",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "agora.accounts.middleware.RateLimitMiddleware",  # 429 on login and checkout floods
    "agora.accounts.middleware.SessionSecurityMiddleware",  # 2FA step, session "last seen"
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "agora.api.idempotency.IdempotencyMiddleware",
]

ROOT_URLCONF = "agora.urls"
ASGI_APPLICATION = "agora.asgi.application"
WSGI_APPLICATION = "agora.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "agora.storefront.preferences.storefront",
            ],
        },
    },
]


# --- database -------------------------------------------------------------------------------
# SQLite: WAL so readers never block the writer; IMMEDIATE transactions so two writers queue on
# the lock at BEGIN instead of failing mid-transaction when they upgrade a read lock.
SQLITE_PATH = DATA_DIR / "agora.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"), conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=30000;PRAGMA cache_size=-32000;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
    # No persistent connections: under ASGI each request runs its sync view in a fresh thread
    # context, so a kept connection would belong to a thread that is gone (Django's advice).
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and _env_bool(
    "AGORA_DB_POOL", default=True
):
    # A pool per process: PostgreSQL allows ~100 connections, and several server processes each
    # holding a connection per request would exhaust it under a flash sale.
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": 1,
            "max_size": int(os.environ.get("AGORA_DB_POOL_MAX", "8")),
            "timeout": 30,
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# --- accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# NIST SP 800-63B: a minimum length and a list of common passwords, no composition rules.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The lock-out backend refuses locked accounts before ModelBackend checks a password.
AUTHENTICATION_BACKENDS = [
    "agora.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Account security (issue 8): TOTP secrets are encrypted under a key derived from this (or
# SECRET_KEY when empty; set it so rotating SECRET_KEY keeps authenticators working).
AGORA_MFA_KEY = os.environ.get("AGORA_MFA_KEY", "")
AGORA_MFA_VERIFY_URL = "/accounts/login/verify/"
# Lock-out after failed sign-ins (accounts/throttle.py): 5 per account or 20 per IP in 15
# minutes lock for 1, 2, 4 … minutes, at most 60.
AGORA_LOGIN_LOCKOUT = {
    "account_failures": 5,
    "ip_failures": 20,
    "window_minutes": 15,
    "base_minutes": 1,
    "cap_minutes": 60,
    "forget_hours": 24,
}
# Fixed-window rate limits (accounts/ratelimit.py): requests per window (seconds); 0 = off.
AGORA_RATE_LIMITS = {
    "login": {"limit": int(os.environ.get("AGORA_RATE_LOGIN", "30")), "window": 60},
    "checkout": {"limit": int(os.environ.get("AGORA_RATE_CHECKOUT", "20")), "window": 60},
    "api_key": {"limit": int(os.environ.get("AGORA_RATE_API_KEY", "1200")), "window": 60},
}
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"


# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "agora" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True


# --- static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
# WhiteNoise serves files with a synchronous iterator; under ASGI Django consumes it in a thread
# and warns on every static file. The behaviour is correct, so the warning is noise here.
warnings.filterwarnings(
    "ignore", message="StreamingHttpResponse must consume synchronous iterators", category=Warning
)
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "agora" / "static"]
# glTF models for the 3D viewer; whitenoise would otherwise call them application/octet-stream.
WHITENOISE_MIMETYPES = {".gltf": "model/gltf+json", ".glb": "model/gltf-binary"}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"


# --- background work ------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("AGORA_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Optional message broker for fan-out across processes (redis://… or nats://…).
AGORA_BROKER_URL = os.environ.get("AGORA_BROKER_URL", "")
# How often the scheduler sweeps the outbox for retries and for events whose enqueue was lost.
AGORA_OUTBOX_SWEEP_SECONDS = int(os.environ.get("AGORA_OUTBOX_SWEEP_SECONDS", "5"))
# Days after delivery in which a buyer may ask for a return; then the order is completed.
AGORA_RETURN_WINDOW_DAYS = int(os.environ.get("AGORA_RETURN_WINDOW_DAYS", "14"))
# Trade-in (issue 7 C3): days a quote and a revised offer stand, and where items are sent.
AGORA_TRADEIN_OFFER_DAYS = int(os.environ.get("AGORA_TRADEIN_OFFER_DAYS", "14"))
AGORA_TRADEIN_REVISED_DAYS = int(os.environ.get("AGORA_TRADEIN_REVISED_DAYS", "7"))
AGORA_TRADEIN_RETURNS_ADDRESS = os.environ.get(
    "AGORA_TRADEIN_RETURNS_ADDRESS",
    "Agora Trade-in Centre|Recyclinghof 3|10115 Berlin|Germany",
).split("|")
# Webhooks go to public addresses only (agora/webhooks/destinations.py); loopback for local
# development and the tests, private networks for an operator's own receivers.
AGORA_WEBHOOK_ALLOW_LOOPBACK = _env_bool("AGORA_WEBHOOK_ALLOW_LOOPBACK")
AGORA_WEBHOOK_ALLOW_PRIVATE = _env_bool("AGORA_WEBHOOK_ALLOW_PRIVATE")


# --- API ------------------------------------------------------------------------------------
# RFC 9457 problem types are relative URIs under this path; each resolves to a page saying what
# the problem means, so clients may key on `type` and humans may follow it.
AGORA_PROBLEM_BASE = "/problems/"
NINJA_PAGINATION_PER_PAGE = 50
AGORA_API_KEY_TOUCH_SECONDS = 60
AGORA_IDEMPOTENCY_TTL_HOURS = 24


# Retention (privacy/retention): days per kind, overriding the defaults of the table that
# `agora retention --dry-run` and the /privacy/ page show, e.g. {"accounts.security_events": 180}.
# Checked at start-up: unknown kinds, kept kinds and periods below what an app needs are refused.
def _retention_from_env() -> object:
    raw = os.environ.get("AGORA_RETENTION", "").strip()
    try:
        return json.loads(raw) if raw else {}
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured(
            f"AGORA_RETENTION is not JSON ({exc.msg} at character {exc.pos}); "
            'give e.g. {"checkout.guest_carts": 30}'
        ) from exc


AGORA_RETENTION = _retention_from_env()  # the system check refuses what is not {kind: days}


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "agora": {"level": os.environ.get("AGORA_LOG_LEVEL", "INFO")},
        "django.tasks": {"level": os.environ.get("AGORA_TASK_LOG_LEVEL", "WARNING")},
        "django_tasks_db": {"level": os.environ.get("AGORA_TASK_LOG_LEVEL", "WARNING")},
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content Security Policy (Django's own middleware): scripts only from our origin (vendor files
# are served by whitenoise, nothing from a CDN) or carrying the request's nonce; inline styles
# stay allowed because templates and htmx's indicator styles use them.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    # model-viewer compiles its decoders as WebAssembly (from a data: URL): without
    # 'wasm-unsafe-eval' the 3D view never loads. It allows WebAssembly only, not eval.
    "script-src": [CSP.SELF, CSP.NONCE, "'wasm-unsafe-eval'"],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF, "blob:", "data:"],
    "worker-src": [CSP.SELF, "blob:"],
    "media-src": [CSP.SELF, "blob:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# HSTS in production (browsers only heed it over HTTPS, so plain-HTTP development is
# unaffected). Secure-only cookies need the site to be served over HTTPS: AGORA_HTTPS=1 (a
# plain-HTTP `agora serve` would otherwise lose its session and CSRF cookies).
if not DEBUG:
    SECURE_HSTS_SECONDS = int(os.environ.get("AGORA_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
if _env_bool("AGORA_HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_bool("AGORA_SSL_REDIRECT", default=True)
