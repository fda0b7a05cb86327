"""Settings for the bench's bare view: the same project, no middleware, one URL."""

from sellercenter.settings import *  # noqa: F403

MIDDLEWARE: list[str] = []
ROOT_URLCONF = "sellercenter.bench_urls"
# allauth insists on its middleware; the bare view needs neither.
INSTALLED_APPS = [app for app in INSTALLED_APPS if not app.startswith("allauth")]  # noqa: F405
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
