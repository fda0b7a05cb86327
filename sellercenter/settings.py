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
    # The admin's default site is django-otp's OTPAdminSite (accounts.admin_site).
    "accounts.admin_apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
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
    "accounts.middleware.OTPMiddleware",  # django-otp's, device loaded by a prepared SELECT
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
            # Django's Redis backend, one client per pool (sellercenter/cache.py).
            "BACKEND": "sellercenter.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sc",
        }
    }
    # Sessions read from Redis, written through to the database (they survive a Redis restart).
    # Ending sessions never deletes rows: it bumps User.session_generation (accounts.sessions),
    # which the auth hash checks on every request, so a cached session cannot outlive it.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "sellercenter_cache",
        }
    }

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's backends, loading the signed-in user with one prepared SELECT.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
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
SOCIALACCOUNT_ADAPTER = "accounts.adapter.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email", "phone"}  # phone: where the user has one (User.phone)
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
# English only: no translation machinery on every rendered number and string (turn on with
# LocaleMiddleware once the product ships translations).
USE_I18N = False
USE_TZ = True
TIME_ZONE = "UTC"  # storage and internal arithmetic
# "Calendar day" rules (inactivity, caps, reports) use the platform time zone.
PLATFORM_TIME_ZONE = env("PLATFORM_TIME_ZONE", "America/Los_Angeles")

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
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
    "sellercenter-rollup-recent-days": {
        "task": "sellercenter.tasks.rollup_recent_days",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 14 * 60},
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

# --- Sign-in security (accounts): second factors, re-authentication ---------------------------
SELLERCENTER |= {
    "SECOND_FACTOR_THROTTLE_FACTOR": 1,  # django-otp back-off: 1, 2, 4, 8… seconds per failure
    "SECOND_FACTOR_LOCK_AFTER_FAILURES": 20,  # consecutive, all devices: hard lock + email
    "BACKUP_CODE_COUNT": 10,
    "EMAIL_CODE_VALIDITY": timedelta(minutes=10),
    "EMAIL_CODE_RESEND_SECONDS": 60,
}
OTP_TOTP_ISSUER = "Seller Center"

# --- Onboarding, verification, probation and program eligibility (issue 3) -----------------
SELLERCENTER.update(
    {
        # Images must be readable: both sides at least this many pixels.
        "DOCUMENT_MIN_IMAGE_SIDE_PX": 600,
        # Decompression-bomb guard: more pixels than this is refused before decoding.
        "DOCUMENT_MAX_IMAGE_PIXELS": 40_000_000,
        # Days before a verified document's expiry when the seller is asked for a new one.
        "DOCUMENT_EXPIRY_NOTICE_DAYS": (30, 7),
        # Violation points count towards program eligibility for this many days.
        "VIOLATION_POINTS_WINDOW_DAYS": 90,
        "ELIGIBILITY_COMPLETED_ORDERS_WINDOW_DAYS": 30,
    }
)
# Follower counts for the TikTok account link: a real provider's base URL in production; with
# none set, a deterministic fake answers at the HTTP boundary (shops.tiktok).
TIKTOK_API_BASE_URL = env("TIKTOK_API_BASE_URL", "")
TIKTOK_API_TOKEN = env("TIKTOK_API_TOKEN", "")
CELERY_BEAT_SCHEDULE.update(
    {
        "shops-document-expiry": {
            "task": "shops.tasks.document_expiry_sweep_task",
            "schedule": crontab(hour=3, minute=0),
            "options": {"expires": 6 * 3600},
        },
        "lifecycle-probation-graduation": {
            "task": "lifecycle.tasks.probation_sweep_task",
            "schedule": crontab(hour=3, minute=30),
            "options": {"expires": 6 * 3600},
        },
        "lifecycle-program-eligibility": {
            "task": "lifecycle.tasks.eligibility_sweep_task",
            "schedule": crontab(day_of_month=1, hour=4, minute=0),
            "options": {"expires": 12 * 3600},
        },
    }
)

# --- Orders and fulfillment (issue 5) ---------------------------------------------------------
SELLERCENTER.update(
    {
        # Platform shipping "discounted" offer: percent off the buyer's shipping fee.
        "PLATFORM_SHIPPING_DISCOUNT_PERCENT": 50,
        # Most units of one SKU a storefront cart may hold.
        "CHECKOUT_MAX_QUANTITY": 99,
    }
)
# Carriers post tracking events to /webhooks/carrier/ with this shared secret.
CARRIER_WEBHOOK_SECRET = env("CARRIER_WEBHOOK_SECRET", "" if PRODUCTION else "dev-carrier-secret")
CELERY_BEAT_SCHEDULE["orders-accept-unanswered-cancel-requests"] = {
    "task": "orders.tasks.accept_unanswered_cancel_requests_task",
    "schedule": crontab(minute="*/15"),
    "options": {"expires": 14 * 60},
}
CELERY_BEAT_SCHEDULE["orders-complete-delivered"] = {
    "task": "orders.tasks.complete_delivered_orders_task",
    "schedule": crontab(hour=3, minute=0),
    "options": {"expires": 6 * 3600},
}
# Absolute links in buyer emails (order page) start with this.
PUBLIC_SITE_URL = env("PUBLIC_SITE_URL", "http://localhost:8000")

# --- Returns, customer service and finance (issue 6) ----------------------------------------
SELLERCENTER.update(
    {
        "COMMISSION_DEFAULT_RATE": Decimal("0.0600"),  # when no CommissionRate row matches
        "WITHDRAWAL_MIN_AMOUNT": Decimal("10.00"),
        "MESSAGE_MAX_CHARS": 4000,
        "RESPONSE_RATE_WINDOW_DAYS": 30,
        "RESPONSE_RATE_ANSWER_HOURS": 24,
        "RETURN_PHOTOS_MAX": 5,
        "RETURN_PHOTO_MAX_BYTES": 5 * 1024 * 1024,
        "RETURN_PHOTO_MAX_PIXELS": 40_000_000,  # width × height; refuses decompression bombs
        "BUYER_POSTS_PER_HOUR": 30,  # per address and shop, on the public buyer pages
        # Order confirmation outbox: a confirmation still unsent this long after the order is
        # queued again (its task was lost with the broker); orders older than the window are
        # left alone.
        "CONFIRMATION_REDELIVER_AFTER_MINUTES": 5,
        "CONFIRMATION_REDELIVER_WINDOW_HOURS": 24,
    }
)
CELERY_BEAT_SCHEDULE.update(
    {
        # Warn sellers a day ahead, then auto-approve returns left unanswered (SPEC §7).
        "orders-returns-auto-approve": {
            "task": "orders.aftersales_tasks.returns_auto_approve_task",
            "schedule": crontab(hour=0, minute=15),
            "options": {"expires": 6 * 3600},
        },
        # Order confirmations whose task was lost (broker restart) are queued again.
        "orders-confirmations-redeliver": {
            "task": "orders.tasks.redeliver_order_confirmations_task",
            "schedule": crontab(minute="*/5"),
            "options": {"expires": 4 * 60},
        },
        # Completed orders' net moves from pending to available after the hold.
        "orders-finance-settle": {
            "task": "orders.aftersales_tasks.finance_settle_task",
            "schedule": crontab(minute=5),
            "options": {"expires": 3000},
        },
    }
)

# --- Catalog and inventory (issue 4) ----------------------------------------------------------
# Product images are public (the storefront shows them): default storage under MEDIA_URL,
# served by catalog.views.media_file so it works with DEBUG off too (a CDN/object store can
# take over the same URL prefix in production).
MEDIA_URL = "/media/"
SELLERCENTER.update(
    {
        "PRODUCT_MIN_IMAGES": 1,
        "PRODUCT_MAX_IMAGES": 9,
        "PRODUCT_IMAGE_MAX_BYTES": 5 * 1024 * 1024,
        "PRODUCT_IMAGE_MIN_PIXELS": 100,  # shortest side
        "PRODUCT_IMAGE_MAX_PIXELS": 40_000_000,  # width × height; refuses decompression bombs
        "PRODUCT_THUMBNAIL_PIXELS": 240,
        "PRODUCT_MIN_DESCRIPTION_CHARS": 30,
        "PRODUCT_DELETED_RETENTION_DAYS": 30,
        "CSV_IMPORT_MAX_BYTES": 20 * 1024 * 1024,
        "CSV_IMPORT_MAX_ROWS": 50_000,
        # Bulk actions on more products than this run as a Celery task, not in the request.
        "BULK_SYNC_MAX_PRODUCTS": 2000,
    }
)
CELERY_BEAT_SCHEDULE["catalog-stock-alert-digest"] = {
    "task": "catalog.tasks.stock_alert_digest_task",
    "schedule": crontab(hour=7, minute=0),
    "options": {"expires": 6 * 3600},
}
CELERY_BEAT_SCHEDULE["catalog-purge-deleted-products"] = {
    "task": "catalog.tasks.purge_deleted_products_task",
    "schedule": crontab(hour=3, minute=30),
    "options": {"expires": 6 * 3600},
}

# --- Staff console, audit log and help & support (issue 9) ---------------------------------
SELLERCENTER.update(
    {
        # A support ticket with no staff answer for this long is flagged in the admin.
        "SUPPORT_UNANSWERED_FLAG_HOURS": 24,
        # Ticket attachments: PDF, JPEG or PNG recognised by content, at most this size.
        "SUPPORT_ATTACHMENT_MAX_BYTES": 10 * 1024 * 1024,
        # Rows per page of Settings → Security log.
        "SECURITY_LOG_PAGE_SIZE": 25,
    }
)

# --- Home and analytics at scale (issue 10) ---------------------------------------------------
SELLERCENTER.update(
    {
        # Figures that are a scan of the shop's rows (low stock, late shipments, response rate,
        # today's totals) are computed at most this often per shop and shared (shops.figures);
        # the seller's own changes refresh them at once, and the page says when they were taken.
        "SHOP_FIGURE_TTL_SECONDS": 60,
    }
)
