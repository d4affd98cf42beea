"""`csv.field_size_limit` is process-wide (one number in the C module), so raising it for one
importer would change what every other reader in the process accepts – including the tax
calculator, which tells a reader about an oversized field. Importers that need longer fields
raise the limit only while they read, and put it back."""

from __future__ import annotations

import csv
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()


@contextmanager
def field_size_limit(chars: int) -> Iterator[None]:
    """Within the block, csv readers accept fields of up to `chars` characters."""
    with _lock:
        previous = csv.field_size_limit()
        csv.field_size_limit(max(chars, previous))
        try:
            yield
        finally:
            csv.field_size_limit(previous)
