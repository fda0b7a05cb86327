"""The Redis cache backend reuses one client per pool and still behaves as Django's."""

import os

import pytest

from sellercenter.cache import RedisCache

REDIS_URL = os.environ.get("REDIS_URL")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="needs Redis (set REDIS_URL)")


@needs_redis
def test_one_client_per_pool_and_values_round_trip():
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": "sc-test-backend"})
    try:
        first = cache._cache.get_client(write=True)
        assert cache._cache.get_client(write=False) is first  # one server: one pool, one client
        cache.set("k", {"a": 1}, 30)
        assert cache.get("k") == {"a": 1}
        assert cache.add("k", "other", 30) is False
        assert cache.add("n", 0, 30) is True and cache.incr("n") == 1
        cache.delete("k")
        assert cache.get("k") is None
    finally:
        cache.delete_many(["k", "n"])


def test_an_unreachable_redis_answers_as_an_empty_cache_and_logs(caplog):
    # A port nothing listens on: every operation fails to connect.
    cache = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    assert cache.get("k") is None and cache.get("k", "dflt") == "dflt"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("lock", 1, 5) is True  # "compute it yourself"
    cache.set("k", 1, 5)
    cache.set_many({"a": 1}, 5)
    cache.delete("k")
    assert "k" not in cache
    assert any("cache unreachable" in r.getMessage() for r in caplog.records)
