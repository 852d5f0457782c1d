"""The Redis cache, tolerant of Redis being away.

The cache only ever holds copies (closure days, rate-limit counters), so a Redis outage must not
turn saves into errors: while Redis does not answer, reads miss, writes are dropped and counters
start over (rate limits fail open), and after one failure this process leaves Redis alone for a
few seconds instead of waiting on it at every call. Short socket timeouts are set in settings.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

PAUSE = 5.0  # seconds without trying Redis after a failure
_down_until: dict[str, float] = {}


class ReusedClient(RedisCacheClient):
    """Django's client makes a `redis.Redis` per call (about 100 microseconds in redis-py 8, most
    of a cache read on localhost; a dashboard page makes ten). A `redis.Redis` is safe to share
    between threads (each command takes a connection from the pool), so one per pool is kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClient

    def _try(self, default, method, *args, **kwargs):
        location = ",".join(self._servers)
        if time.monotonic() < _down_until.get(location, 0.0):
            return default
        try:
            result = method(*args, **kwargs)
        except RedisError as exc:
            if location not in _down_until:
                log.warning("cache: Redis does not answer (%r); working without the cache", exc)
            _down_until[location] = time.monotonic() + PAUSE
            return default
        if _down_until.pop(location, None) is not None:
            log.warning("cache: Redis answers again")
        return result

    def get(self, key, default=None, version=None):
        return self._try(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._try({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._try(False, super().has_key, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(False, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(False, super().touch, key, timeout, version)

    def incr(self, key, delta=1, version=None):
        return self._try(delta, super().incr, key, delta, version)

    def count_in_window(self, key: str, timeout: int) -> int:
        """One more in a counter that starts at 0 and lives `timeout` seconds; the new count.

        `add(key, 0)` then `incr(key)` cost three round trips (Django's incr asks whether the key
        exists first), on every SMS webhook; here they are one MULTI pipeline, which is also
        atomic (the counter cannot expire between the two). Counters start over while Redis is
        away (rate limits fail open), as `incr` does."""

        def count() -> int:
            full = self.make_and_validate_key(key)
            pipeline = self._cache.get_client(full, write=True).pipeline()
            pipeline.set(full, 0, ex=timeout, nx=True)
            pipeline.incr(full)
            return int(pipeline.execute()[1])

        return self._try(1, count)

    def delete(self, key, version=None):
        return self._try(False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._try(None, super().delete_many, keys, version)

    def clear(self):
        return self._try(False, super().clear)
