"""Django's Redis cache backend, reusing one redis-py client per connection pool.

Django builds a new ``redis.Redis`` for every cache call, and redis-py builds its table of
~170 response callbacks (upper-casing every command name) in each constructor: profiled, that
was a fifth of a signed-in request's CPU (the session read). The client holds no state of its
own beyond the pool it wraps, so one per pool serves every call.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


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


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
