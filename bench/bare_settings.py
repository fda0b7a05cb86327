"""Settings for the bench's bare view: the same project, no middleware, one URL."""

from sellercenter.settings import *  # noqa: F403

MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bench.bare_urls"
# allauth insists on its middleware at start-up; the project's apps need its models (two-step
# sign-in imports them), so the app stays, without that start-up check.
INSTALLED_APPS = [  # noqa: F405
    "bench.bare_apps.BareAccountConfig" if app == "allauth.account" else app
    for app in INSTALLED_APPS  # noqa: F405
]
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
