"""Reading the environment (12-factor) and the embedded defaults that need no server: the
plumbing behind sellercenter/settings.py, kept out of it so settings reads as decisions."""

import os
from pathlib import Path

import dj_database_url


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database(var_dir: Path) -> dict:
    """DATABASE_URL (PostgreSQL, persistent connections) or the embedded SQLite file."""
    if url := env("DATABASE_URL"):
        max_age = env_int("CONN_MAX_AGE", 60)
        return dj_database_url.parse(url, conn_max_age=max_age, conn_health_checks=True)
    return embedded_sqlite(env("SQLITE_PATH", str(var_dir / "sellercenter.sqlite3")))


DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "sellercenter_cache",  # created by `manage.py createcachetable`
}


def caches(redis_url: str | None) -> dict:
    """Redis (Django's backend, one client per pool: sellercenter/cache.py) or the database.
    The database cache is always there as "database": it answers while Redis is unreachable, so
    throttles and locks kept in the cache hold (they fail closed, not open), and
    ``createcachetable`` creates its table whichever is the default."""
    if redis_url:
        default = {
            "BACKEND": "sellercenter.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "sc",
            "FALLBACK": "database",
        }
        return {"default": default, "database": DATABASE_CACHE}
    return {"default": DATABASE_CACHE, "database": DATABASE_CACHE}


def embedded_sqlite(path: str) -> dict:
    """A SQLite file tuned for a web process and workers side by side: WAL lets readers run
    beside the writer; IMMEDIATE makes concurrent writers wait for the lock (up to the timeout)
    instead of failing half-way."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        # Tests get a file of their own beside it, not Django's in-memory default: an in-memory
        # database is one connection that the live server's threads and the test share, and
        # two of them querying at once can read nothing (Django's LiveServerTestCase docs).
        "TEST": {"NAME": str(Path(path).with_name("test-" + Path(path).name))},
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


def filesystem_broker_options(folder: Path) -> dict:
    """kombu's filesystem transport: a Celery broker with no server."""
    return {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }


def mailer(*, smtp: bool, var_dir: Path) -> dict:
    """SMTP from SMTP_* (production, or wherever SMTP_HOST is set), else files in var/mail."""
    if not smtp:
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(var_dir / "mail")},
        }
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env("SMTP_HOST", "localhost"),
            "port": env_int("SMTP_PORT", 587),
            "username": env("SMTP_USER", ""),
            "password": env("SMTP_PASSWORD", ""),
            "use_tls": env_bool("SMTP_USE_TLS", True),
            "timeout": 20,
        },
    }


def production_secrets(*, debug: bool) -> tuple[str, list[str], str]:
    """SECRET_KEY, ALLOWED_HOSTS and FIELD_ENCRYPTION_KEY for the production profile, which
    refuses to start without any of them, with a short key, or with DEBUG on."""
    from django.core.exceptions import ImproperlyConfigured

    secret_key, hosts = env("SECRET_KEY", ""), env_list("ALLOWED_HOSTS")
    field_key = env("FIELD_ENCRYPTION_KEY", "")
    missing = [
        name
        for name, value in (
            ("SECRET_KEY", secret_key),
            ("ALLOWED_HOSTS", hosts),
            ("FIELD_ENCRYPTION_KEY", field_key),
        )
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(
            f"The production profile refuses to start without {', '.join(missing)}."
        )
    if len(secret_key) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production.")
    if debug:
        raise ImproperlyConfigured("DEBUG must be off in production.")
    return secret_key, hosts, field_key


def storages(*, private_root: Path, production: bool) -> dict:
    """Public media, private files (documents, exports: served by views only) and static files
    (hashed and compressed in production)."""
    static = (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if production
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    return {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(private_root)},
        },
        "staticfiles": {"BACKEND": static},
    }


def console_logging(level: str) -> dict:
    """Everything to stderr at ``level`` (12-factor: the platform collects the stream)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"console": {"class": "logging.StreamHandler"}},
        "root": {"handlers": ["console"], "level": level},
    }
