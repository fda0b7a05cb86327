"""Django's Redis cache backend, reusing one redis-py client per connection pool, and falling
back to the database cache while Redis is unreachable.

The fallback matters for what the cache *decides*, not only what it speeds up: sign-in
throttling (allauth's counters and their locks), buyer post limits and single-flight locks all
live in the cache. Answering "empty" during an outage would let every sign-in attempt through
(``add`` says yes, the counter reads zero), so while Redis is down every operation goes to the
``FALLBACK`` cache instead (the database cache, as ``make run`` uses without Redis), and stays
there for ``RETRY_REDIS_AFTER`` seconds before Redis is tried again — one slow connect per
window, not one per call. Counters restart in the other store when it switches: a limit holds
within each store, which is what throttling needs. Without a fallback table it answers as an
empty cache, as before.

Django builds a new ``redis.Redis`` for every cache call, and redis-py builds its table of
~170 response callbacks (upper-casing every command name) in each constructor: profiled, that
was a fifth of a signed-in request's CPU (the session read). The client holds no state of its
own beyond the pool it wraps, so one per pool serves every call.
"""

import logging
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


RETRY_REDIS_AFTER = 5.0  # seconds


def _tolerant(name: str, when_down):
    def method(self, *args, **kwargs):
        if self._fallback is not None and time.monotonic() < self._redis_down_until:
            return getattr(self._fallback, name)(*args, **kwargs)
        try:
            return getattr(super(RedisCacheClient, self), name)(*args, **kwargs)
        except UNREACHABLE as exc:
            if self._fallback is None:
                logger.error("cache unreachable (%s): %s answered as an empty cache", exc, name)
                return when_down(*args, **kwargs)
            logger.error("cache unreachable (%s): the database cache answers for now", exc)
            self._redis_down_until = time.monotonic() + RETRY_REDIS_AFTER
            return getattr(self._fallback, name)(*args, **kwargs)

    method.__name__ = name
    return method


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, fallback: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._fallback_alias = fallback
        self._redis_down_until = 0.0

    @property
    def _fallback(self):
        return caches[self._fallback_alias] if self._fallback_alias else None

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    # With no fallback: what an empty cache would answer.
    get = _tolerant("get", lambda key, default: default)
    get_many = _tolerant("get_many", lambda keys: {})
    has_key = _tolerant("has_key", lambda key: False)
    add = _tolerant("add", lambda key, value, timeout: True)
    set = _tolerant("set", lambda key, value, timeout: None)
    set_many = _tolerant("set_many", lambda data, timeout: [])
    touch = _tolerant("touch", lambda key, timeout: False)
    delete = _tolerant("delete", lambda key: False)
    delete_many = _tolerant("delete_many", lambda keys: None)
    incr = _tolerant("incr", lambda key, delta: _no_counter(key))
    clear = _tolerant("clear", lambda: False)


def _no_counter(key):
    raise ValueError(f"Key '{key}' not found (the cache is unreachable)")


class RedisCache(DjangoRedisCache):
    """``FALLBACK`` (a top-level cache setting): the alias of the cache that answers while
    Redis is unreachable."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        if alias := params.get("FALLBACK"):
            self._options = {**self._options, "fallback": alias}
