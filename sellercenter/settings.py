"""Seller Center settings, read from the environment (12-factor).

Profiles (SELLERCENTER_ENV): ``development`` (default), ``test`` and ``production``.
With no configuration the app runs on an embedded default: a SQLite file in WAL mode, the
database cache and a filesystem Celery broker, so ``make run`` needs no servers.
``DATABASE_URL`` switches to PostgreSQL and ``REDIS_URL`` to Redis (broker and cache).
"""

import os
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SELLERCENTER_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PROFILE = env("SELLERCENTER_ENV", "test" if "pytest" in sys.modules else "development")
if PROFILE not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"SELLERCENTER_ENV must be development, test or production, not {PROFILE!r}"
    )
PRODUCTION = PROFILE == "production"

DEBUG = env_bool("DEBUG", default=PROFILE == "development")

if PRODUCTION:
    SECRET_KEY = env("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    missing = [
        name
        for name, value in (("SECRET_KEY", SECRET_KEY), ("ALLOWED_HOSTS", ALLOWED_HOSTS))
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(
            f"The production profile refuses to start without {', '.join(missing)}."
        )
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production.")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production.")
else:
    # Development-only key; the production profile refuses to run without its own.
    SECRET_KEY = env("SECRET_KEY", "dev-insecure-" + "k" * 50)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")

# Key for field-level encryption (TOTP secrets, bank account numbers). Derived from SECRET_KEY
# unless set, so rotating one does not silently rotate the other in production.
FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY", "" if PRODUCTION else SECRET_KEY)
if PRODUCTION and not FIELD_ENCRYPTION_KEY:
    raise ImproperlyConfigured(
        "The production profile refuses to start without FIELD_ENCRYPTION_KEY."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_email",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.tiktok",
    "accounts",
    "shops",
    "catalog",
    "orders",
    "lifecycle",
    "sellercenter",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Resolves /shops/<shop_slug>/… once: membership, role, and the tenant scope for the view.
    "shops.tenancy.TenantMiddleware",
]

ROOT_URLCONF = "sellercenter.urls"
WSGI_APPLICATION = "sellercenter.wsgi.application"
ASGI_APPLICATION = "sellercenter.asgi.application"

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
                "django.template.context_processors.csp",
                "shops.context_processors.tenancy",
                "lifecycle.context_processors.inactivity",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=int(env("CONN_MAX_AGE", "60")), conn_health_checks=True
        )
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH", str(VAR_DIR / "sellercenter.sqlite3")),
            "OPTIONS": {
                # WAL lets readers run beside the writer; IMMEDIATE makes concurrent writers wait
                # for the lock (up to the timeout) instead of failing half-way.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

# --- Cache (shared by every process: sign-in throttling must hold across workers) ----------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sc",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "sellercenter_cache",
        }
    }

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
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
if PROFILE == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "shop_picker"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Seller Center] "
# Failed sign-ins are throttled per IP and per account in the shared cache.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# How many reverse proxies sit in front of the app; X-Forwarded-For beyond them is not trusted.
ALLAUTH_TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_PROVIDERS = {
    "tiktok": {
        "APPS": [
            {"client_id": env("TIKTOK_CLIENT_ID"), "secret": env("TIKTOK_CLIENT_SECRET"), "key": ""}
        ]
        if env("TIKTOK_CLIENT_ID")
        else [],
        "SCOPE": ["user.info.basic"],
    }
}

# --- Internationalisation and time ----------------------------------------------------------
LANGUAGE_CODE = "en-us"
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"  # storage and internal arithmetic
# "Calendar day" rules (inactivity, caps, reports) use the platform time zone.
PLATFORM_TIME_ZONE = env("PLATFORM_TIME_ZONE", "America/Los_Angeles")

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
# Private files (documents, exports) live outside any public path; served by views only.
PRIVATE_STORAGE_ROOT = Path(env("PRIVATE_STORAGE_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT)},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Email (Django 6.1 MAILERS) -------------------------------------------------------------
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Seller Center <no-reply@sellercenter.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if PRODUCTION or env("SMTP_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("SMTP_HOST", "localhost"),
                "port": int(env("SMTP_PORT", "587")),
                "username": env("SMTP_USER", ""),
                "password": env("SMTP_PASSWORD", ""),
                "use_tls": env_bool("SMTP_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }

# --- Celery ---------------------------------------------------------------------------------
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    # Embedded broker: kombu's filesystem transport, no server needed.
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = PLATFORM_TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Tests run tasks inline, in the caller's process, through the same code paths.
CELERY_TASK_ALWAYS_EAGER = PROFILE == "test" and not env_bool("CELERY_REAL_WORKER")
CELERY_TASK_EAGER_PROPAGATES = True

# The one beat schedule (ARCHITECTURE §Background work). Every entry expires, so a backlog
# never runs a job twice; tasks themselves are idempotent.
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE: dict = {
    "lifecycle-sweep-inactivity": {
        "task": "lifecycle.tasks.sweep_inactivity_task",
        "schedule": crontab(hour=2, minute=0),
        "options": {"expires": 6 * 3600},
    },
    # lifecycle: data exports expire after 7 days; their files are removed.
    "lifecycle-expire-exports": {
        "task": "lifecycle.tasks.expire_exports_task",
        "schedule": crontab(hour=3, minute=30),
        "options": {"expires": 6 * 3600},
    },
}

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "style-src": ["'self'"],
    "script-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = (
        ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", True) else None
    )
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env("LOG_LEVEL", "INFO" if not PROFILE == "test" else "WARNING"),
    },
}

# --- Marketplace policy (SPEC numbers; staff may override through the environment) -----------
SELLERCENTER = {
    "REGION": "US",
    "CURRENCY": "USD",
    "PROBATION_DAILY_ORDER_CAP": 50,
    "PROBATION_LIVE_LISTING_CAP": 100,
    "PROBATION_MIN_DELIVERED_ORDERS": 30,
    "PROBATION_MIN_SPS": Decimal("3.0"),
    "PROBATION_VIOLATION_FREE_DAYS": 30,
    "ELIGIBILITY_MIN_SPS": Decimal("4.0"),
    "ELIGIBILITY_MAX_VIOLATION_POINTS": 12,
    "ELIGIBILITY_MIN_COMPLETED_ORDERS_30D": 100,
    "INACTIVITY_FIRST_REMINDER_DAYS": 60,
    "INACTIVITY_DELIST_AFTER_REMINDER_DAYS": 7,
    "INACTIVITY_SECOND_REMINDER_DAYS": 90,
    "INACTIVITY_BAN_AFTER_REMINDER_DAYS": 7,
    "INVESTIGATION_DAILY_ORDER_CAP": 10,
    "SHIP_BY_BUSINESS_DAYS": 3,
    "CANCEL_REQUEST_RESPONSE_HOURS": 24,
    "RETURN_WINDOW_DAYS": 30,
    "RETURN_RESPONSE_DAYS": 2,
    "SETTLEMENT_HOLD_DAYS": 7,
    "RESPONSE_RATE_GUIDELINE": Decimal("0.80"),
    "REVIEW_TARGET_DAYS": 2,
    "DOCUMENT_MAX_BYTES": 10 * 1024 * 1024,
    "MIN_SELLER_AGE_YEARS": 18,
    "MIN_TIKTOK_FOLLOWERS": 1000,
    "REAUTH_WINDOW": timedelta(minutes=int(env("REAUTH_MINUTES", "10"))),
}
