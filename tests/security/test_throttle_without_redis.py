"""Sign-in throttling holds while Redis is down: the cache falls back to the database cache
instead of answering "empty" (which let every attempt through: ``add`` said yes and the
counter read zero). Redis here is a closed port on this machine."""

import pytest
from django.core.cache import caches
from django.test import override_settings

from common.environment import DATABASE_CACHE
from tests.factories import MembershipFactory, UserFactory
from tests.security.test_brute_force import ACCOUNT_BUDGET, admin_attempt, seller_attempt

ATTEMPTS = 20
REDIS_DOWN = {
    "default": {
        "BACKEND": "sellercenter.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "KEY_PREFIX": "sc-down",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        "FALLBACK": "database",
    },
    "database": DATABASE_CACHE,
}


@pytest.fixture
def redis_down(db):
    with override_settings(CACHES=REDIS_DOWN):
        caches["database"].clear()
        yield
        caches["database"].clear()


@pytest.mark.parametrize(
    ("door", "attempt"), [("seller", seller_attempt), ("admin", admin_attempt)]
)
def test_twenty_wrong_passwords_are_throttled_as_with_redis_up(redis_down, password, door, attempt):
    user = UserFactory(email=f"target-{door}@alpha.test", is_staff=door == "admin")
    MembershipFactory(user=user)
    checked = sum(attempt(i, user.email, f"wrong-{i}", rotate=False) for i in range(ATTEMPTS))
    assert 1 <= checked <= ACCOUNT_BUDGET, f"{checked} passwords checked with Redis down"
    assert not attempt(ATTEMPTS, user.email, password, rotate=False)  # the right one, refused


def test_the_fallback_keeps_counters_and_locks(redis_down):
    from django.core.cache import cache

    assert cache.add("lock", 1, 30) is True
    assert cache.add("lock", 1, 30) is False  # a lock taken while Redis is down stays taken
    cache.set("n", 1, 30)
    assert cache.incr("n") == 2 and cache.get("n") == 2
    assert caches["database"].get("n") is None  # kept under the Redis key, in the table


def test_without_a_fallback_it_still_answers_as_an_empty_cache():
    from sellercenter.cache import RedisCache

    down = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    assert down.get("k") is None and down.add("lock", 1, 5) is True
