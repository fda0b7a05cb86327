"""Django's Redis cache backend, reusing one redis-py client per connection pool, and
degrading to "no cache" while Redis is unreachable.

Django builds a new ``redis.Redis`` for every cache call, and redis-py builds its table of
~170 response callbacks (upper-casing every command name) in each constructor: profiled, that
was a fifth of a signed-in request's CPU (the session read). The client holds no state of its
own beyond the pool it wraps, so one per pool serves every call.
"""

import logging

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _tolerant(name: str, when_down):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(RedisCacheClient, self), name)(*args, **kwargs)
        except UNREACHABLE as exc:
            logger.error("cache unreachable (%s): %s answered as an empty cache", exc, name)
            return when_down(*args, **kwargs)

    method.__name__ = name
    return method


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    # What an empty cache would answer.
    get = _tolerant("get", lambda key, default: default)
    get_many = _tolerant("get_many", lambda keys: {})
    has_key = _tolerant("has_key", lambda key: False)
    add = _tolerant("add", lambda key, value, timeout: True)
    set = _tolerant("set", lambda key, value, timeout: None)
    set_many = _tolerant("set_many", lambda data, timeout: [])
    touch = _tolerant("touch", lambda key, timeout: False)
    delete = _tolerant("delete", lambda key: False)
    delete_many = _tolerant("delete_many", lambda keys: None)


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
