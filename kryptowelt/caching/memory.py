"""Per-process copies of cached values, in front of the shared cache.

An uncached page otherwise makes one round trip to Redis per fragment, route and navigation
lookup; on a busy machine each costs more than rendering the fragment's surroundings. Each
entry keeps the stamp (scope generations, scopes.py) it was computed for and is served only
while that stamp is current; entries also expire after their own time, as in the shared
cache, and the memory holds at most `max_bytes` (of text, or what `set` is told an object
takes), dropping the oldest entries first.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings

from kryptowelt.caching.scopes import Stamp, is_current


class ProcessMemory:
    def __init__(self, *, max_bytes: int):
        self.max_bytes = max_bytes
        self.entries: dict[str, tuple[float, Stamp, object, int]] = {}
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: str) -> tuple[Stamp, object] | None:
        """(stamp, value) while the stamp is current and the entry has not expired."""
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            expires_at, stamp, value, _ = entry
            if expires_at < time.monotonic() or not is_current(stamp):
                self._drop(key)
                return None
            return stamp, value

    def set(self, key: str, stamp: Stamp, value, *, seconds: float, size: int | None = None):
        if size is None:
            size = len(value) if isinstance(value, str) else 1024
        with self.lock:
            self._drop(key)
            if size > self.max_bytes:
                return
            while self.entries and self.size + size > self.max_bytes:
                self._drop(next(iter(self.entries)))  # the oldest entry
            self.entries[key] = (time.monotonic() + seconds, stamp, value, size)
            self.size += size

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0

    def _drop(self, key: str) -> None:
        entry = self.entries.pop(key, None)
        if entry is not None:
            self.size -= entry[3]


memory = ProcessMemory(max_bytes=settings.KRYPTOWELT_PROCESS_MEMORY_BYTES)
