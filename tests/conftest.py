import contextlib

import pytest
from django.conf import settings
from django_scopes import scopes_disabled

from tests.factories import PASSWORD, MembershipFactory, ShopFactory, UserFactory


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(
        reason="needs PostgreSQL (set DATABASE_URL); SQLite has no row locks or real concurrency"
    )
    for item in items:
        if "postgres" in item.keywords and not settings.IS_POSTGRES:
            item.add_marker(skip_pg)


@pytest.fixture(autouse=True)
def _unscoped_test_body():
    """Test bodies read across shops freely; views still run inside their own shop scope."""
    with scopes_disabled():
        yield


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
