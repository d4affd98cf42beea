"""Reading PHP's `serialize()` format, as WordPress stores `_wp_attachment_metadata`
(no Django).

Only data is read: strings, numbers, booleans, null and arrays. Objects and references,
which WordPress metadata never contains, make the value unreadable (None), so nothing in an
export can make this code do more than build dicts and lists."""

from __future__ import annotations

MAX_DEPTH = 20


class _Unreadable(Exception):
    pass


def php_unserialize(text: str):
    """The Python value of a serialised PHP value; arrays become dicts (keys as in PHP).
    None when the text is not a serialised value."""
    if not text:
        return None
    data = text.encode("utf-8")
    try:
        value, end = _value(data, 0, 0)
    except (_Unreadable, ValueError, IndexError):
        return None
    return value if end == len(data) else None


def _until(data: bytes, position: int, marker: bytes) -> tuple[bytes, int]:
    end = data.index(marker, position)
    return data[position:end], end + len(marker)


def _value(data: bytes, position: int, depth: int):
    if depth > MAX_DEPTH:
        raise _Unreadable
    kind = data[position : position + 2]
    position += 2
    if kind == b"N;":
        return None, position
    if kind == b"b:":
        raw, position = _until(data, position, b";")
        return raw == b"1", position
    if kind == b"i:":
        raw, position = _until(data, position, b";")
        return int(raw), position
    if kind == b"d:":
        raw, position = _until(data, position, b";")
        return float(raw), position
    if kind == b"s:":
        raw, position = _until(data, position, b":")
        length = int(raw)
        if data[position : position + 1] != b'"':
            raise _Unreadable
        start = position + 1
        end = start + length
        if data[end : end + 2] != b'";':
            raise _Unreadable
        # PHP counts bytes; a broken length (edited by hand) lands off the closing quote.
        return data[start:end].decode("utf-8", errors="replace"), end + 2
    if kind == b"a:":
        raw, position = _until(data, position, b":")
        count = int(raw)
        if data[position : position + 1] != b"{":
            raise _Unreadable
        position += 1
        result = {}
        for _ in range(count):
            key, position = _value(data, position, depth + 1)
            if not isinstance(key, int | str):
                raise _Unreadable
            result[key], position = _value(data, position, depth + 1)
        if data[position : position + 1] != b"}":
            raise _Unreadable
        return result, position + 1
    raise _Unreadable
