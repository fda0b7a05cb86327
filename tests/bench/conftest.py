import pytest
from django.test import override_settings


@pytest.fixture
def bench_settings():
    """What bench.settings adds to the product's: the bench app and its URLconf."""
    from bench import settings as bench

    with override_settings(INSTALLED_APPS=bench.INSTALLED_APPS, ROOT_URLCONF=bench.ROOT_URLCONF):
        yield
