"""Settings for `make bench`: the product's, plus the bench app and its reference views.

    DJANGO_SETTINGS_MODULE=bench.settings python manage.py bench

A deployment never loads this module, so the product serves no bench URL and has no bench
command.
"""

from sellercenter.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
ROOT_URLCONF = "bench.urls"

# wrk measures throughput, not the API's per-app rate limit; the bench process then counts each
# route's queries against the same Redis, whose minute the wrk run has used up.
API_RATE_LIMIT_PER_MINUTE = 1_000_000_000
