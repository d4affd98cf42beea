"""Scopes and their generations: the one invalidation scheme of every cache.

A scope names a kind of data pages show. Each has a generation number in the shared cache;
`changed(scope)` starts a new one. A cached value remembers the generations of the scopes it
was computed from (its *stamp*) and is valid while they are current.

During a reader's request the generations are read once, with one round trip to the shared
cache (`request_started`), and every cache layer uses that snapshot; the scopes the request
read (`reads`) are collected so that the whole page is stored with exactly those.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum

from django.core.cache import cache
from django.db import transaction
from django.dispatch import receiver

from kryptowelt.caching.redis import reconnected


class Scope(StrEnum):
    # Published pages, snippets and settings: anything an editor publishes. Every page
    # depends on it (navigation, titles, the page itself).
    CONTENT = "content"
    # Prices, charts and rankings from the market data sync.
    MARKETS = "markets"
    # The Lexikon's register of terms that article texts link to.
    GLOSSARY = "glossary"
    # The stored "Weitere interessante Artikel" lists.
    RELATED = "related"
    # The "Meistgelesen" counts, added up from nginx's view log every few minutes.
    POPULAR = "popular"


KEY_PREFIX = "kw:generation:"
_KEYS = {scope: f"{KEY_PREFIX}{scope.value}" for scope in Scope}

# What the current request has seen: the generations at its start and the scopes it read.
_request = threading.local()

Stamp = tuple[tuple[str, int], ...]


def _start_value() -> int:
    # Not 1: after the shared cache was emptied (a Redis restart), a process's own memory of
    # an old generation (memory.py) must not match a new one by chance.
    return time.time_ns() // 1000


# While the shared cache is away (caching/redis.py) generations can be neither read nor
# started. A new number per request would make every process memory miss, so each page would
# be rendered from nothing (about one page a second per core when Redis hung). Instead every
# process uses an outage generation that changes once a minute: what a process keeps in its
# own memory serves for up to a minute, and a change made meanwhile shows within a minute.
# Negative, so never equal to a generation kept in Redis; when Redis is back every scope is
# renewed (`_renew_after_outage`).
OUTAGE_GENERATION_SECONDS = 60


def _outage_generation() -> int:
    return -int(time.time() // OUTAGE_GENERATION_SECONDS) - 1


def _read() -> dict[Scope, int]:
    found = cache.get_many(list(_KEYS.values()))
    missing = [key for key in _KEYS.values() if key not in found]
    if missing and not getattr(cache, "is_available", True):
        outage = _outage_generation()
        return {scope: found.get(key) or outage for scope, key in _KEYS.items()}
    if missing:
        start = _start_value()
        for key in missing:
            cache.add(key, start, timeout=None)
        found.update(cache.get_many(missing))
    return {scope: found.get(key) or _start_value() for scope, key in _KEYS.items()}


def generations() -> dict[Scope, int]:
    """The current generation of every scope (the request's snapshot while one runs)."""
    snapshot = getattr(_request, "generations", None)
    return snapshot if snapshot is not None else _read()


def stamp(scopes: Iterable[Scope], current: dict[Scope, int] | None = None) -> Stamp:
    """The generations of `scopes`, in a fixed order: what a cached value is valid for."""
    current = current if current is not None else generations()
    return tuple((scope.value, current[scope]) for scope in sorted(set(scopes)))


def is_current(value_stamp: Stamp, current: dict[Scope, int] | None = None) -> bool:
    current = current if current is not None else generations()
    return all(current[Scope(name)] == number for name, number in value_stamp)


# --- Changes -----------------------------------------------------------------------------
def bump(*scopes: Scope) -> None:
    """Start a new generation of each scope now."""
    snapshot = getattr(_request, "generations", None)
    for scope in scopes:
        key = _KEYS[Scope(scope)]
        try:
            number = cache.incr(key)
        except ValueError:  # not there (never read, or the cache was emptied)
            cache.add(key, _start_value(), timeout=None)
            number = None
        if snapshot is not None:
            # The request that changed something sees the change itself.
            if number is None:
                _request.generations = None
            else:
                snapshot[Scope(scope)] = number


@receiver(reconnected)
def _renew_after_outage(sender, **kwargs) -> None:
    """Redis is back after this process found it away: generations it failed to start
    meanwhile (a publish, a sync) are started now, and whatever Redis kept from before the
    outage is renewed (caching/redis.py)."""
    bump(*Scope)


def changed(*scopes: Scope) -> None:
    """Call after any change readers can see, naming what changed.

    Bumps now (this process sees it at once) and again after the commit, so a page rendered
    from the old data in between is not kept."""
    if not scopes:
        raise ValueError("changed() needs at least one scope")
    scopes = tuple(Scope(scope) for scope in scopes)
    bump(*scopes)
    transaction.on_commit(lambda: bump(*scopes))


# --- What a request read -----------------------------------------------------------------
def request_started(*extra_keys: str) -> tuple[dict[Scope, int], dict]:
    """Take the generation snapshot of a reader's request; `extra_keys` are read from the
    shared cache in the same round trip (the whole page's entry)."""
    found = cache.get_many([*_KEYS.values(), *extra_keys])
    if any(key not in found for key in _KEYS.values()):
        _request.generations = _read()
    else:
        _request.generations = {scope: found[key] for scope, key in _KEYS.items()}
    _request.collectors = [{Scope.CONTENT}]
    return _request.generations, {key: found[key] for key in extra_keys if key in found}


def request_finished() -> set[Scope]:
    """End the request's snapshot; returns the scopes the request read."""
    collectors = getattr(_request, "collectors", None) or [{Scope.CONTENT}]
    _request.generations = None
    _request.collectors = None
    return collectors[0]


def depends_on(*scopes: Scope) -> None:
    """Record that what is being rendered shows data of `scopes`."""
    collectors = getattr(_request, "collectors", None)
    if collectors:
        collectors[-1].update(scopes)


@contextmanager
def collecting() -> Iterator[set[Scope]]:
    """The scopes read inside the block (always including content); they count for the
    enclosing block and the page too."""
    collectors = getattr(_request, "collectors", None)
    if collectors is None:
        collectors = _request.collectors = []
    collected = {Scope.CONTENT}
    collectors.append(collected)
    try:
        yield collected
    finally:
        collectors.pop()
        if collectors:
            collectors[-1].update(collected)


def reads(*scopes: Scope):
    """Decorator for selectors: whatever shows their result shows data of `scopes`, so its
    cached copy must be renewed when one of them changes."""

    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            depends_on(*scopes)
            return function(*args, **kwargs)

        return wrapper

    return decorate
