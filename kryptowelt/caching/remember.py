"""Values computed once per change of what they show: navigation, lists, rendered fragments."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from kryptowelt.caching.memory import memory
from kryptowelt.caching.scopes import (
    Scope,
    collecting,
    depends_on,
    generations,
    is_current,
    stamp,
)

T = TypeVar("T")
SHARED_PREFIX = "kw:memo:"


def remembered(
    key: str,
    compute: Callable[[], T],
    *,
    seconds: float,
    scopes: tuple[Scope, ...] = (),
    size: int | None = None,
) -> T:
    """`compute()`, kept in this process and in the shared cache until a scope it read
    changes (or `seconds` pass).

    The scopes are content, those given, and those the selectors called by `compute` declare
    (`scopes.reads`); whatever shows the value depends on them too. Callers must not modify
    the value they get: it is shared by every later request."""
    found = memory.get(key)
    if found is not None:
        value_stamp, value = found
        depends_on(*(Scope(name) for name, _ in value_stamp))
        return value
    shared_key = SHARED_PREFIX + key
    stored = cache.get(shared_key)
    if stored is not None and is_current(stored[0]):
        value_stamp, value = stored
        depends_on(*(Scope(name) for name, _ in value_stamp))
    else:
        current = generations()  # before computing: what the value is at least as new as
        with collecting() as read:
            read.update(scopes)
            value = compute()
        value_stamp = stamp(read, current)
        cache.set(shared_key, (value_stamp, value), seconds)
    memory.set(key, value_stamp, value, seconds=seconds, size=size)
    return value
