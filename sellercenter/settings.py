"""Seller Center settings, read from the environment (12-factor).

Profiles (SELLERCENTER_ENV): ``development`` (default), ``test`` and ``production``.
With no configuration the app runs on an embedded default: a SQLite file in WAL mode, the
database cache and a filesystem Celery broker, so ``make run`` needs no servers.
``DATABASE_URL`` switches to PostgreSQL and ``REDIS_URL`` to Redis (broker and cache).

Marketplace policy numbers (SPEC) are not settings: they are common.policy.POLICY. The one beat
schedule is sellercenter.celery.BEAT_SCHEDULE.
"""

import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from common.environment import (
    caches,
    console_logging,
    database,
    env,
    env_bool,
    env_int,
    env_list,
    filesystem_broker_options,
    mailer,
    production_secrets,
    storages,
)
from sellercenter.formats.en.formats import (  # noqa: F401 — settings read by name
    DATE_FORMAT,
    DATETIME_FORMAT,
    MONTH_DAY_FORMAT,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    TIME_FORMAT,
    YEAR_MONTH_FORMAT,
)

BASE_DIR = Path(__file__).resolve().parent.parent
# The product's name in emails (allauth's templates), the authenticator app and page titles.
PRODUCT_NAME = "Seller Center"
VAR_DIR = Path(env("SELLERCENTER_VAR_DIR", str(BASE_DIR / "var")))

PROFILE = env("SELLERCENTER_ENV", "test" if "pytest" in sys.modules else "development")
if PROFILE not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"SELLERCENTER_ENV must be development, test or production, not {PROFILE!r}"
    )
PRODUCTION = PROFILE == "production"

DEBUG = env_bool("DEBUG", default=PROFILE == "development")

if PRODUCTION:
    SECRET_KEY, ALLOWED_HOSTS, FIELD_ENCRYPTION_KEY = production_secrets(debug=DEBUG)
else:
    # Development-only keys; the production profile refuses to run without its own.
    SECRET_KEY = env("SECRET_KEY", "dev-insecure-" + "k" * 50)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
    # Field-level encryption (TOTP secrets, bank account numbers) has its own key in production,
    # so rotating one does not silently rotate the other.
    FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY", SECRET_KEY)

INSTALLED_APPS = [
    # The admin's default site is django-otp's OTPAdminSite (accounts.admin_site).
    "accounts.admin_apps.StaffAdminConfig",
    "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
    "django.contrib.messages", "whitenoise.runserver_nostatic", "django.contrib.staticfiles",
    "django.contrib.humanize", "django_htmx", "django_otp",
    "allauth", "allauth.account", "allauth.socialaccount", "allauth.socialaccount.providers.tiktok",
    "oauth2_provider",  # partner apps: OAuth 2.0 authorization code + PKCE (openplatform.oauth)
    "ninja",  # the Open Platform API; its Swagger UI assets are served from static (no CDN)
    # The project's apps, bottom layer first (ARCHITECTURE: who may import whom).
    "common", "accounts", "shops", "catalog", "orders", "lifecycle", "openplatform", "sellercenter",
    # Domains inside orders (nested apps: their admin and tasks are discovered like any app's).
    "orders.returns", "orders.inbox", "orders.finance", "orders.analytics", "orders.marketing",
]  # fmt: skip

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's authentication and django-otp's middleware in one, from a cached identity.
    "shops.identity.IdentityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # A DomainError a view raises becomes its 4xx message (seller pages: in TenantMiddleware).
    "common.errors.DomainErrorMiddleware",
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
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shops.context_processors.tenancy",
                "lifecycle.context_processors.inactivity",
                "common.context_processors.policy",  # POLICY: SPEC numbers shown on pages
            ],
            # {{ amount|money }} everywhere without a {% load %}: one way to show money.
            "builtins": ["common.templatetags.money"],
        },
    },
]

# --- Database and cache (the cache is shared by every process: sign-in throttling must hold
# across workers) -----------------------------------------------------------------------------
DATABASES = {"default": database(VAR_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
REDIS_URL = env("REDIS_URL")
CACHES = caches(REDIS_URL)  # "default", and "database" which also stands in for Redis
if REDIS_URL:
    # Sessions read from Redis, written through to the database (they survive a Redis restart).
    # Ending sessions never deletes rows: it bumps User.session_generation (accounts.sessions),
    # which the auth hash checks on every request, so a cached session cannot outlive it.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's backends, under the names every existing session records.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}", "OPTIONS": options}
    for name, options in [
        ("UserAttributeSimilarityValidator", {}),
        ("MinimumLengthValidator", {"min_length": 10}),
        ("CommonPasswordValidator", {}),
        ("NumericPasswordValidator", {}),
    ]
]
# Argon2id with measured settings (accounts.hashers); the others read older hashes, which the
# next successful sign-in re-hashes with the first.
PASSWORD_HASHERS = [
    "accounts.hashers.SellerCenterArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
if PROFILE == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "shop_picker"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapter.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email", "phone"}  # phone: where the user has one (User.phone)
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# allauth's defaults hold: confirmation by POST only, enumeration prevented, "remember me" asked.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Confirming the address signs the new account in (allauth does it only in the browser session
# that signed up, so a forwarded link signs nobody in); the second factor still applies.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{PRODUCT_NAME}] "
# Failed sign-ins are throttled per IP and per account in the shared cache.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# How many reverse proxies sit in front of the app; X-Forwarded-For beyond them is not trusted.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
SOCIALACCOUNT_ONLY = False
_TIKTOK_APP = {"client_id": env("TIKTOK_CLIENT_ID"), "secret": env("TIKTOK_CLIENT_SECRET")}
SOCIALACCOUNT_PROVIDERS = {
    "tiktok": {
        "APPS": [_TIKTOK_APP] if env("TIKTOK_CLIENT_ID") else [],
        "SCOPE": ["user.info.basic"],
    }
}

# --- Internationalisation and time ----------------------------------------------------------
LANGUAGE_CODE = "en-us"
# How dates show where no format is named, localized (the admin) or not (the seller pages print
# inside {% localize off %}): one set, in sellercenter/formats/en/formats.py.
FORMAT_MODULE_PATH = ["sellercenter.formats"]
# English only: no translation machinery on every rendered number and string (turn on with
# LocaleMiddleware once the product ships translations).
USE_I18N = False
USE_TZ = True
# "Calendar day" rules (inactivity, caps, reports) use the platform time zone.
PLATFORM_TIME_ZONE = env("PLATFORM_TIME_ZONE", "America/Los_Angeles")
# One clock for people: templates, forms, emails, the admin and timezone.localtime() show the
# platform time zone. Storage stays UTC whatever this says (USE_TZ; the database connection
# runs in UTC), so this changes what is displayed, not what is stored.
TIME_ZONE = PLATFORM_TIME_ZONE

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Product images are public (the storefront shows them): served under MEDIA_URL by
# catalog.views.media.media_file, so it works with DEBUG off too (a CDN can take the prefix over).
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
# Private files (documents, exports) live outside any public path; served by views only.
PRIVATE_STORAGE_ROOT = Path(env("PRIVATE_STORAGE_ROOT", str(VAR_DIR / "private")))
STORAGES = storages(private_root=PRIVATE_STORAGE_ROOT, production=PRODUCTION)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Email (Django 6.1 MAILERS) -------------------------------------------------------------
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Seller Center <no-reply@sellercenter.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
MAILERS = {"default": mailer(smtp=PRODUCTION or bool(env("SMTP_HOST")), var_dir=VAR_DIR)}

# --- Celery ---------------------------------------------------------------------------------
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_URL = "filesystem://"  # embedded: no server needed
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options(VAR_DIR / "broker")
CELERY_TIMEZONE = PLATFORM_TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Tests run tasks inline, in the caller's process, through the same code paths.
CELERY_TASK_ALWAYS_EAGER = PROFILE == "test" and not env_bool("CELERY_REAL_WORKER")
CELERY_TASK_EAGER_PROPAGATES = True

# --- Security -------------------------------------------------------------------------------
# Django's defaults hold: HttpOnly, SameSite=Lax cookies; X-Frame-Options DENY; nosniff;
# Referrer-Policy and Cross-Origin-Opener-Policy same-origin.
SECURE_CSP = {
    "default-src": ["'self'"], "img-src": ["'self'", "data:"], "style-src": ["'self'"],
    "script-src": ["'self'"], "frame-ancestors": ["'none'"], "form-action": ["'self'"],
    "base-uri": ["'self'"],
}  # fmt: skip
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = (
        ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", True) else None
    )
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = console_logging(env("LOG_LEVEL", "WARNING" if PROFILE == "test" else "INFO"))

# --- Integrations and public links -------------------------------------------------------------
OTP_TOTP_ISSUER = PRODUCT_NAME
# Follower counts for the TikTok account link: a real provider's base URL in production; with
# none set, a deterministic fake answers at the HTTP boundary (shops.tiktok).
TIKTOK_API_BASE_URL = env("TIKTOK_API_BASE_URL", "")
TIKTOK_API_TOKEN = env("TIKTOK_API_TOKEN", "")
# Carriers sign tracking events to /webhooks/carrier/ with this secret (common.webhooks).
CARRIER_WEBHOOK_SECRET = env("CARRIER_WEBHOOK_SECRET", "" if PRODUCTION else "dev-carrier-secret")
# Open Platform API (/api/v1/): calls a minute per app and shop (answered 429 past it, counted
# in the shared cache), and the largest request body it reads.
API_RATE_LIMIT_PER_MINUTE = env_int("API_RATE_LIMIT_PER_MINUTE", 600)
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 256 * 1024)
# Partner apps (django-oauth-toolkit): PKCE required, the consent page always shown (it binds
# the authorization to a shop), short access tokens, rotating refresh tokens.
OAUTH2_PROVIDER = {
    "PKCE_REQUIRED": True,
    "REQUEST_APPROVAL_PROMPT": "force",
    "SCOPES_BACKEND_CLASS": "openplatform.oauth.ShopScopes",
    "OAUTH2_VALIDATOR_CLASS": "openplatform.oauth.ShopOAuth2Validator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 30 * 24 * 3600,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    # The OAuth 2.0 Security BCP (RFC 9700) throughout: no implicit or password grants, S256
    # only, bearer tokens in headers only, iss in the response, tokens stored hashed.
    **{
        f"COMPLIANT_BCP_RFC9700_{rule}": True
        for rule in (
            "IMPLICIT_GRANT",
            "PASSWORD_GRANT",
            "PKCE_METHOD",
            "ACCESS_TOKEN_TRANSPORT",
            "AUTHZ_RESPONSE_ISS",
            "TOKEN_STORAGE",
            "REFRESH_TOKEN",
            "REDIRECT_URI_SCHEME",
            "REDIRECT_URI_MATCHING",
            "PKCE_REQUIRED",
        )
    },  # fmt: skip
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"] if PRODUCTION else ["https", "http"],
}
# Its models, named as its swappable settings (migrations that reference them read these).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"
# Webhook targets must be public addresses (no SSRF); tests reach a local server on loopback.
WEBHOOKS_ALLOW_LOOPBACK = env_bool("WEBHOOKS_ALLOW_LOOPBACK", PROFILE == "test")
# Inventory sync (openplatform.sync): empty calls https://<store>.myshopify.com; tests point every
# store at a local server (the same SSRF guard applies, loopback allowed as for webhooks).
SHOPIFY_ADMIN_BASE_URL = env("SHOPIFY_ADMIN_BASE_URL", "")
# Absolute links in buyer emails (order page) start with this.
PUBLIC_SITE_URL = env("PUBLIC_SITE_URL", "http://localhost:8000")
