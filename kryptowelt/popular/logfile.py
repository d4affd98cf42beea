"""The view log nginx writes (deploy/nginx.conf), read without Django.

One line per GET request outside /static/, /media/, /admin/ and /api/:

    2025-03-01T14+01:00 200 00 /neuigkeiten/bitcoin-etf/

the hour with its UTC offset, the status, two flags (bot by User-Agent, prefetch by the
`Purpose`/`Sec-Purpose` headers; "1" = yes) and the path without query. Nothing else is
written: no address, no browser, no referrer, no query string, no exact time."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable

COUNTED = ("200", "00")  # a successful page view by a person, not a bot, not a prefetch
_LINE = re.compile(
    r"^(?P<day>\d{4}-\d\d-\d\d)T(?P<hour>\d\d)(?P<offset>[+-]\d\d:\d\d|Z)?"
    r" (?P<status>\d{3}) (?P<flags>[01]{2}) (?P<path>/\S*)$"
)
_ESCAPE = re.compile(rb"\\x([0-9A-Fa-f]{2})")


def _path(raw: str) -> str:
    """nginx writes bytes outside printable ASCII as \\xHH; undo that, as UTF-8."""
    if "\\x" not in raw:
        return raw
    data = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw.encode())
    return data.decode("utf-8", errors="replace")


def parse_line(line: str) -> tuple[dt.datetime, str, str, str] | None:
    """(hour in UTC, status, flags, path), or None for a line that is not ours."""
    match = _LINE.match(line.strip())
    if match is None:
        return None
    offset = match["offset"] or "Z"
    try:
        start = dt.datetime.fromisoformat(f"{match['day']}T{match['hour']}:00:00{offset}")
    except ValueError:
        return None
    hour = start.astimezone(dt.UTC)
    return hour, match["status"], match["flags"], _path(match["path"])


def count_views(lines: Iterable[str]) -> tuple[Counter, int]:
    """Views per (hour, path), and how many lines did not count (bots, prefetches,
    redirects, errors, lines that are not ours)."""
    counts: Counter = Counter()
    skipped = 0
    for line in lines:
        parsed = parse_line(line)
        if parsed is None or (parsed[1], parsed[2]) != COUNTED:
            skipped += 1
            continue
        hour, _status, _flags, path = parsed
        if not path.endswith("/"):
            path += "/"
        counts[(hour, path)] += 1
    return counts, skipped
