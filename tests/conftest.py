import contextlib

import pytest
from django.conf import settings
from django_scopes import scopes_disabled

from shops.tasking import no_inherited_scope
from tests.factories import PASSWORD, MembershipFactory, ShopFactory, UserFactory


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(
        reason="needs PostgreSQL (set DATABASE_URL); SQLite has no row locks or real concurrency"
    )
    for item in items:
        if "postgres" in item.keywords and not settings.IS_POSTGRES:
            item.add_marker(skip_pg)


# Tenancy in tests (ARCHITECTURE §Tenancy, 4): fixtures build rows for several shops, so their
# set-up and tear-down run with scopes disabled; the test body runs with scopes ON, exactly as
# production code does, so a service, task or page that forgets its scope fails its test.
# django-scopes keeps its state in a ContextVar that every phase of a test shares; the call
# phase starts from a fresh, empty state so nothing a fixture (or an earlier test) left open
# reaches the body.
@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    with scopes_disabled():
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    with scopes_disabled():
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    with no_inherited_scope():
        return (yield)


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Rate-limit counters live in the shared cache (Redis on CI): no test inherits another's."""
    from django.core.cache import cache

    marked = request.node.get_closest_marker("django_db")
    wants_db = {"db", "transactional_db"} & set(request.fixturenames)
    if wants_db and not marked:
        request.getfixturevalue(sorted(wants_db)[0])  # set the database up before clearing
    if marked or wants_db or settings.REDIS_URL:
        cache.clear()
    yield


@pytest.fixture
def override_policy():
    """``override_policy(return_window_days=5)``: a policy value changed for this test only."""
    from common.policy import policy_override

    with contextlib.ExitStack() as stack:
        yield lambda **changes: stack.enter_context(policy_override(**changes))


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def shop(db):
    return ShopFactory(name="Alpha Goods", slug="alpha-goods")


@pytest.fixture
def other_shop(db):
    return ShopFactory(name="Beta Market", slug="beta-market")


@pytest.fixture
def owner(shop):
    return MembershipFactory(
        shop=shop, role="owner", user=UserFactory(email="owner@alpha.test")
    ).user


@pytest.fixture
def other_owner(other_shop):
    return MembershipFactory(
        shop=other_shop, role="owner", user=UserFactory(email="owner@beta.test")
    ).user


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def admin_user(db):
    from tests.factories import UserFactory

    return UserFactory(email="admin@platform.test", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, admin_user):
    """The staff console is an OTPAdminSite: staff are signed in with their second factor."""
    from tests.factories import sign_in_verified

    sign_in_verified(client, admin_user)
    return client
