"""German number, money and date formatting, without Django, so every app (markets,
comparisons, calculators) formats figures the same way: "1.234,56 €", "97,4 Mrd. US-Dollar",
"+3,2 %", "24. November 2026".

Written here rather than through `django.utils.formats` because these run in hot loops
(tables of 250 coins, tax reports) and must not depend on the active locale."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
MONTHS_SHORT = (
    "Jan.",
    "Feb.",
    "März",
    "Apr.",
    "Mai",
    "Juni",
    "Juli",
    "Aug.",
    "Sept.",
    "Okt.",
    "Nov.",
    "Dez.",
)
WEEKDAYS_SHORT = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")

_SCALES = (
    (Decimal("1e12"), "Bio."),
    (Decimal("1e9"), "Mrd."),
    (Decimal("1e6"), "Mio."),
    # Small figures too, so that a column of volumes never shows "97.512 €" beside
    # "1,2 Mrd. €": every amount carries its unit.
    (Decimal("1e3"), "Tsd."),
)


def to_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def format_number(value, decimals: int = 2, *, sign: bool = False) -> str:
    """German grouping and decimal comma: 1234567.891 -> "1.234.567,89"."""
    number = to_decimal(value)
    if number is None or not number.is_finite():
        return "–"
    quantum = Decimal(1).scaleb(-decimals) if decimals > 0 else Decimal(1)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    negative = rounded < 0
    text = f"{abs(rounded):.{max(decimals, 0)}f}"
    integer, _, fraction = text.partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    result = ".".join(groups)
    if fraction:
        result += "," + fraction
    if negative and rounded != 0:
        result = "-" + result
    elif sign and rounded > 0:
        result = "+" + result
    return result


def format_eur(value, decimals: int = 2) -> str:
    text = format_number(value, decimals)
    return text if text == "–" else f"{text}\u00a0€"


def format_percent(value, decimals: int = 1, *, sign: bool = False) -> str:
    text = format_number(value, decimals, sign=sign)
    return text if text == "–" else f"{text}\u00a0%"


def format_compact(value, unit: str = "", decimals: int = 1) -> str:
    """97400000000 -> "97,4 Mrd." (plus unit: "97,4 Mrd. US-Dollar"); 97512 -> "97,5 Tsd."."""
    number = to_decimal(value)
    if number is None or not number.is_finite():
        return "–"
    for threshold, label in _SCALES:
        if abs(number) >= threshold:
            text = f"{format_number(number / threshold, decimals)}\u00a0{label}"
            break
    else:
        text = format_number(number, decimals)
    return f"{text}\u00a0{unit}" if unit else text


def format_price(value) -> str:
    """Prices to the cent, with more places for coins worth less than a euro."""
    number = to_decimal(value)
    if number is None:
        return "–"
    magnitude = abs(number)
    if magnitude >= 1 or magnitude == 0:
        decimals = 2
    elif magnitude >= Decimal("0.01"):
        decimals = 4
    else:
        decimals = 8
    return format_eur(number, decimals)


def format_date(value: dt.date | dt.datetime | None) -> str:
    """24. November 2026"""
    if value is None:
        return ""
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def format_date_short(value: dt.date | dt.datetime | None) -> str:
    """24.11.2026"""
    if value is None:
        return ""
    return f"{value.day:02d}.{value.month:02d}.{value.year}"


def format_datetime(value: dt.datetime | None) -> str:
    """24. November 2026, 14:05 Uhr"""
    if value is None:
        return ""
    return f"{format_date(value)}, {value.hour:02d}:{value.minute:02d} Uhr"


def format_datetime_short(value: dt.datetime | None) -> str:
    """24.11.2026, 14:05 Uhr"""
    if value is None:
        return ""
    return f"{format_date_short(value)}, {value.hour:02d}:{value.minute:02d} Uhr"


def format_time_tick(value: dt.datetime, unit: str) -> str:
    """A chart's time axis label for a tick at the start of `unit`: "14:00" (hour),
    "Mo 30.11." (day), "30.11." (week), "Juni" (month), "2026" (year)."""
    if unit == "hour":
        return f"{value.hour:02d}:00"
    if unit == "day":
        return f"{WEEKDAYS_SHORT[value.weekday()]} {value.day}.{value.month}."
    if unit == "week":
        return f"{value.day}.{value.month}."
    if unit == "month":
        return MONTHS_SHORT[value.month - 1]
    return str(value.year)
