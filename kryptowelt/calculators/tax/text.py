"""German notation in the engine's messages (and the calculators' template filter)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def short_date(day: dt.date) -> str:
    """15.03.2024"""
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def german_amount(value: Decimal) -> str:
    """German, without needless zeros: 1.5 -> "1,5", 1234.5 -> "1.234,5"."""
    text = format(value.normalize(), "f")
    integer, _, fraction = text.partition(".")
    sign = "-" if integer.startswith("-") else ""
    integer = integer.lstrip("-")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    result = sign + ".".join(groups)
    return f"{result},{fraction}" if fraction else result
