"""Cells of the CSV files we write for readers (German spreadsheet conventions: `;` between
fields, decimal comma, UTF-8 with BOM so that Excel shows umlauts).

Text from the reader's data (coin symbols, file names, exchange names, notes) is neutralised
against formula injection (OWASP "CSV Injection"): a cell that starts with `=`, `+`, `-`, `@`,
a tab or a carriage return gets a leading apostrophe, so spreadsheet programs show it as text
("=HYPERLINK(…)" as a coin symbol). Numbers we format ourselves are left alone: "-103,04" is a
loss and must stay a number."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal

BOM = "\ufeff"
CENT = Decimal("0.01")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text(value: str) -> str:
    """A text cell from the reader's data, never read as a formula by a spreadsheet."""
    return "'" + value if value.startswith(FORMULA_START) else value


def eur(value: Decimal) -> str:
    """1234.565 -> "1234,57": cents, decimal comma, no thousands separator (spreadsheets
    read that as a number). Written here for speed: a report can have 200,000 amounts."""
    return format(value.quantize(CENT, rounding=ROUND_HALF_UP), "f").replace(".", ",")


def amount(value: Decimal) -> str:
    """A coin amount without needless zeros, decimal comma: 0.50000 -> "0,5"."""
    return format(value.normalize(), "f").replace(".", ",")


def price(value: Decimal) -> str:
    """A price per coin, to 8 decimal places at most (tiny coins), decimal comma."""
    rounded = value.quantize(Decimal("1e-8"), rounding=ROUND_HALF_UP).normalize()
    return format(rounded, "f").replace(".", ",")


def date(value: dt.date | dt.datetime | None) -> str:
    """24.11.2026"""
    if value is None:
        return ""
    return f"{value.day:02d}.{value.month:02d}.{value.year}"


def date_time(value: dt.datetime | None) -> str:
    """24.11.2026 14:05:09 (German time)"""
    if value is None:
        return ""
    return (
        f"{value.day:02d}.{value.month:02d}.{value.year} "
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    )


def yes_no(flag: bool) -> str:
    return "ja" if flag else "nein"


def table(header: list[str], rows) -> str:
    """A whole CSV file: BOM, header, rows (already formatted cells)."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
