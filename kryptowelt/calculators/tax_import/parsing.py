"""Numbers and dates as readers and exchanges write them: German ("1.234,56", "15.03.2024")
and English ("1,234.56", "2024-03-15"), exchange timestamps in UTC converted to German time."""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")

_GROUPED_DOT = re.compile(r"^[1-9]\d{0,2}(\.\d{3})+$")
_GROUPED_COMMA = re.compile(r"^[1-9]\d{0,2}(,\d{3})+$")
_SIMPLE = re.compile(r"^-?\d+(?:[.,]\d+)?$")
_PLAIN = re.compile(r"^\d+(\.\d+)?([eE][-+]?\d+)?$")
_DIGIT_START = frozenset("0123456789-.")
_CURRENCY = re.compile(r"[€$£\s\u00a0\u202f']|EUR|USD|GBP|CHF", re.IGNORECASE)


def parse_number(text: str, *, style: str = "auto") -> Decimal:
    """A number in German or English notation; `style` "de" reads "1.234" as 1234, "en"
    reads "1,234" as 1234; "auto" decides per value. Raises ValueError with a German text."""
    if text[:1] == "€" or text[:2] == "-€":  # Coinbase: "€3343.11", "-€597.50"
        text = text.replace("€", "", 1)
    if style != "de" and "," not in text and text[:1] in _DIGIT_START:
        try:  # the common English "1234.56" without a regular expression
            value = Decimal(text)
        except InvalidOperation:
            pass
        else:
            if value.is_finite() and "_" not in text and text.strip() == text:
                return value
    if _SIMPLE.match(text) and not (
        ("." in text and style == "de" and _GROUPED_DOT.match(text.lstrip("-")))
        or ("," in text and style == "en" and _GROUPED_COMMA.match(text.lstrip("-")))
    ):
        return Decimal(text.replace(",", "."))  # the common case: "0,5", "1234.56", "-2"
    raw = text
    cleaned = _CURRENCY.sub("", text or "")
    negative = False
    if cleaned.startswith("-") or cleaned.startswith("\u2212"):
        negative, cleaned = True, cleaned[1:]
    elif cleaned.startswith("+"):
        cleaned = cleaned[1:]
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1]
    if not cleaned:
        raise ValueError(f"„{raw}“ ist keine Zahl")
    has_dot, has_comma = "." in cleaned, "," in cleaned
    if has_dot and has_comma:
        if cleaned.rfind(",") > cleaned.rfind("."):  # 1.234,56
            integer, _, fraction = cleaned.rpartition(",")
            if not (_GROUPED_DOT.match(integer) or integer.isdigit()):
                raise ValueError(f"„{raw}“ ist keine gültige Zahl")
            cleaned = integer.replace(".", "") + "." + fraction
        else:  # 1,234.56
            integer, _, fraction = cleaned.rpartition(".")
            if not (_GROUPED_COMMA.match(integer) or integer.isdigit()):
                raise ValueError(f"„{raw}“ ist keine gültige Zahl")
            cleaned = integer.replace(",", "") + "." + fraction
    elif has_comma:
        if cleaned.count(",") > 1 or (style == "en" and _GROUPED_COMMA.match(cleaned)):
            if not _GROUPED_COMMA.match(cleaned):
                raise ValueError(f"„{raw}“ ist keine gültige Zahl")
            cleaned = cleaned.replace(",", "")
        else:
            cleaned = cleaned.replace(",", ".")
    elif has_dot and (cleaned.count(".") > 1 or (style == "de" and _GROUPED_DOT.match(cleaned))):
        if not _GROUPED_DOT.match(cleaned):
            raise ValueError(f"„{raw}“ ist keine gültige Zahl")
        cleaned = cleaned.replace(".", "")
    if not _PLAIN.match(cleaned):
        raise ValueError(f"„{raw}“ ist keine Zahl")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above guards this
        raise ValueError(f"„{raw}“ ist keine Zahl") from exc
    return -value if negative else value


_DE_DATE = re.compile(
    r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ ,T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?(?:\s*Uhr)?$"
)


def parse_local_datetime(text: str) -> dt.datetime:
    """German local time as a naive datetime. Accepts "15.03.2024", "15.03.2024 14:30",
    "2024-03-15", "2024-03-15 14:30:00" and ISO 8601 with an offset (converted)."""
    value = (text or "").strip()
    if len(value) in (10, 16) and value[2:3] == "." and value[5:6] == ".":
        try:  # the common "15.03.2024" and "15.03.2024 14:30", without a regular expression
            return dt.datetime(
                int(value[6:10]),
                int(value[3:5]),
                int(value[0:2]),
                int(value[11:13] or 0),
                int(value[14:16] or 0),
            )
        except ValueError:
            pass
    match = _DE_DATE.match(value)
    if match:
        day, month, year, hour, minute, second = match.groups()
        return dt.datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
    iso = value.replace("Z", "+00:00").replace(" UTC", "+00:00")
    parsed = dt.datetime.fromisoformat(iso)  # raises ValueError
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(BERLIN).replace(tzinfo=None)
    return parsed


def utc_to_local(text: str) -> dt.datetime:
    """An exchange's UTC timestamp ("2024-01-15 10:23:45.1234", "…Z", "… UTC", or ISO with
    an offset) in German local time (naive), because the tax year and the holding period
    follow German dates."""
    value = (text or "").strip().replace(" UTC", "").replace("Z", "")
    if "." in value:
        head, _, rest = value.partition(".")
        digits = re.match(r"\d*", rest).group()
        value = f"{head}.{(digits + '000000')[:6]}{rest[len(digits) :]}"
    parsed = dt.datetime.fromisoformat(value)
    offset = parsed.utcoffset()
    if offset is not None:
        parsed = parsed.replace(tzinfo=None) - offset
    return parsed + _berlin_offset(parsed.year, parsed.month, parsed.day, parsed.hour)


@functools.lru_cache(maxsize=100_000)
def _berlin_offset(year: int, month: int, day: int, hour: int) -> dt.timedelta:
    """German time's offset from UTC in that UTC hour (daylight saving time changes on the
    hour, so one answer per hour is exact). Cached: an export has many rows per hour."""
    moment = dt.datetime(year, month, day, hour, tzinfo=dt.UTC)
    return moment.astimezone(BERLIN).utcoffset()


def exchange_time(text: str) -> dt.datetime:
    """An exchange's timestamp in UTC – ISO ("2024-01-15 10:23:45", with "T", "Z" or an
    offset) or German ("15.01.2024 10:23:45") – in German local time (naive)."""
    value = (text or "").strip()
    if value[2:3] == "." and value[5:6] == ".":
        naive = parse_local_datetime(value)
        return naive.replace(tzinfo=dt.UTC).astimezone(BERLIN).replace(tzinfo=None)
    if "/" in value:
        raise ValueError(f"„{value[:40]}“ ist kein eindeutiges Datum")
    return utc_to_local(value)
