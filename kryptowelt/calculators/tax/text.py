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


def row_ref(file: str, row: int) -> str:
    """Where a transaction stands in the reader's data: "bitpanda.csv, Zeile 7", "Zeile 7"
    (one file or the form), or "" (no row known)."""
    if not row:
        return f"„{file}“" if file else ""
    return f"„{file}“, Zeile {row}" if file else f"Zeile {row}"


def row_prefix(file: str, row: int) -> str:
    """`row_ref` as the start of a message: "„bitpanda.csv“, Zeile 7: "."""
    where = row_ref(file, row)
    return f"{where}: " if where else ""
