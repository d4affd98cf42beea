"""Django's Redis cache backend, made safe to lose: a dead or hung Redis is a cache miss.

Redis holds only caches and rate-limit counters (docs/runbook.md), so when it is away every
page must still render, slower. Three things make that so:

- **Short timeouts.** `socket_connect_timeout` and `socket_timeout` (settings: `CACHE_TIMEOUT`,
  0.5 s) instead of redis-py's 5 s; no retries (Django's client passes none).
- **A circuit breaker per process** (`CircuitBreaker`): the first operation that fails with a
  connection error or a timeout opens it, and for `CACHE_RETRY_SECONDS` (10 s) every operation
  answers at once as a miss (`get` → default, `add`/`set` → nothing stored, `incr` →
  ValueError as for a missing key) without touching the network. Then one operation tries
  again (a PING first). A dead Redis costs each process one short timeout per interval, not
  one per operation. What readers see: pages rendered without caches; rate limits open
  (`RATELIMIT_FAIL_OPEN`); the scope generations unknown, so every cached value is a miss.
- **Nothing stale afterwards.** While the breaker was open this process may have failed to
  start a new generation (a publish, a market sync); Redis may come back with its old data.
  So before the first operation after an outage, `reconnected` is sent and
  `scopes.py` starts a new generation of every scope: what was cached before is renewed.

The breaker logs in German, at most once per minute while Redis stays away.

Django also builds a new `redis.Redis` object for every cache operation; with redis-py 7+
that costs about 0.3 ms (a callback table of ~170 entries and a signature check) – more than
the round trip to Redis itself, and pages make several cache calls. The client is thread-safe
and uses the same pool, so one is kept per pool; after a fork the pool reconnects by itself.
"""

from __future__ import annotations

import functools
import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.dispatch import Signal
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Sent (by the process that noticed) when Redis answers again after an outage, before the
# operation that found it back runs.
reconnected = Signal()

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
DEFAULT_TIMEOUT_SECONDS = 0.5
DEFAULT_RETRY_SECONDS = 10.0
LOG_EVERY_SECONDS = 60.0


class CircuitBreaker:
    """Open after a failure, for `retry_seconds`; then one caller tries again."""

    def __init__(self, *, retry_seconds: float, name: str = "Redis"):
        self.retry_seconds = retry_seconds
        self.name = name
        self.lock = threading.Lock()
        self.down_since: float | None = None  # monotonic time of the first failure
        self.retry_at = 0.0
        self.logged_at = 0.0
        self.failures = 0

    @property
    def is_open(self) -> bool:
        return self.down_since is not None

    def allow(self) -> bool:
        """Whether an operation may try the network now (at most one per interval while
        open: the caller that gets True is the one that tries)."""
        if self.down_since is None:
            return True
        with self.lock:
            now = time.monotonic()
            if now < self.retry_at:
                return False
            self.retry_at = now + self.retry_seconds
            return True

    def failed(self, error: Exception) -> None:
        with self.lock:
            now = time.monotonic()
            self.failures += 1
            self.retry_at = now + self.retry_seconds
            first = self.down_since is None
            if first:
                self.down_since = now
            if first or now - self.logged_at >= LOG_EVERY_SECONDS:
                self.logged_at = now
                logger.warning(
                    "%s nicht erreichbar (%s) – seit %.0f s, %d fehlgeschlagene Versuche; "
                    "Seiten werden ohne Cache ausgeliefert, nächster Versuch in %.0f s.",
                    self.name,
                    error,
                    now - self.down_since,
                    self.failures,
                    self.retry_seconds,
                )

    def recovered(self) -> None:
        with self.lock:
            if self.down_since is None:
                return
            seconds = time.monotonic() - self.down_since
            self.down_since = None
            self.failures = 0
            self.retry_at = 0.0
        logger.warning(
            "%s wieder erreichbar nach %.1f s; alle Cache-Bereiche werden erneuert.",
            self.name,
            seconds,
        )


def _guarded(fallback):
    """Run the client operation unless the breaker is open; a connection error or timeout
    opens it, and the operation answers `fallback(*args)` instead."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            breaker = self.breaker
            if not breaker.allow():
                return fallback(*args, **kwargs)
            try:
                if breaker.is_open:  # the one trial after an outage
                    self.get_client(write=True).ping()
                    breaker.recovered()
                    reconnected.send(sender=type(self))
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                breaker.failed(error)
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


def _missing_key(*args, **kwargs):
    raise ValueError("Schlüssel nicht im Cache (Redis nicht erreichbar)")


def _default(key, default=None, *args, **kwargs):
    return default


class BreakerRedisCacheClient(RedisCacheClient):
    """One `redis.Redis` per pool, and every operation behind the process's breaker."""

    def __init__(self, *args, breaker: CircuitBreaker, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self.breaker = breaker

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client

    add = _guarded(lambda *a, **k: False)(RedisCacheClient.add)
    get = _guarded(_default)(RedisCacheClient.get)
    set = _guarded(lambda *a, **k: None)(RedisCacheClient.set)
    touch = _guarded(lambda *a, **k: False)(RedisCacheClient.touch)
    delete = _guarded(lambda *a, **k: False)(RedisCacheClient.delete)
    get_many = _guarded(lambda *a, **k: {})(RedisCacheClient.get_many)
    has_key = _guarded(lambda *a, **k: False)(RedisCacheClient.has_key)
    incr = _guarded(_missing_key)(RedisCacheClient.incr)
    set_many = _guarded(lambda *a, **k: None)(RedisCacheClient.set_many)
    delete_many = _guarded(lambda *a, **k: None)(RedisCacheClient.delete_many)
    clear = _guarded(lambda *a, **k: False)(RedisCacheClient.clear)


class RedisCache(DjangoRedisCache):
    """CACHES backend. OPTIONS as Django's, plus `retry_seconds` (how long the breaker stays
    open); `socket_timeout` and `socket_connect_timeout` default to 0.5 s."""

    def __init__(self, server, params):
        super().__init__(server, params)
        options = dict(self._options)
        retry_seconds = float(options.pop("retry_seconds", DEFAULT_RETRY_SECONDS))
        options.setdefault("socket_timeout", DEFAULT_TIMEOUT_SECONDS)
        options.setdefault("socket_connect_timeout", options["socket_timeout"])
        self._options = options
        self.breaker = CircuitBreaker(retry_seconds=retry_seconds)
        self._class = functools.partial(BreakerRedisCacheClient, breaker=self.breaker)

    @property
    def is_available(self) -> bool:
        """False while this process holds Redis for unreachable (the breaker is open)."""
        return not self.breaker.is_open
