"""What reading a file produces (`ParsedUpload`: transactions of the tax engine, skipped
rows, the format) and the small helpers every format's parser uses on its rows."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from kryptowelt.calculators.tax.records import Transaction
from kryptowelt.calculators.tax_import.errors import RowErrors

MAX_ROWS = 200_000

# (coin symbol, day) -> € close of that day, or None if unknown; a lookup may also answer
# (close, day of the close) when it used a nearby day (see `valuation.lookup_quote`).
PriceLookup = Callable[[str, dt.date], Decimal | tuple[Decimal, dt.date] | None]


@dataclass
class ParsedUpload:
    format: str
    transactions: list[Transaction]
    skipped: Counter = field(default_factory=Counter)  # reason -> number of rows
    valued_rows: int = 0  # rows whose euro value came from our stored prices
    rows: int = 0
    delimiter: str = ","
    format_label: str = ""  # German, shown on the result page
    file: str = ""  # the uploaded file's name, as rows are referred to ("„x.csv“, Zeile 4")
    exchange: str = ""  # who made the export, e.g. "Bitpanda"; in price sources
    notes: list[str] = field(default_factory=list)  # German remarks for the result page


@dataclass
class Table:
    """The rows below the header line of one file, for a format's parser."""

    columns: dict[str, int]  # normalised column name -> index of its cell (the last one)
    rows: Iterable[tuple[int, list[str]]]  # (line number in the file, cells); no blank lines
    errors: RowErrors = field(default_factory=RowErrors)
    header: list[str] = field(default_factory=list)  # normalised names in order (repeats kept)


def cell(cells: list[str], columns: dict[str, int], key: str) -> str:
    """The stripped cell of column `key`, or "" if the row or the file has no such cell."""
    index = columns.get(key)
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def count_row(result: ParsedUpload, errors: RowErrors) -> bool:
    """Count one row; False (and only the message about the size) after `MAX_ROWS`."""
    result.rows += 1
    if result.rows > MAX_ROWS:
        errors.messages = [
            f"Die Datei hat mehr als {MAX_ROWS:_} Zeilen; bitte teilen Sie sie auf.".replace(
                "_", "."
            )
        ]
        return False
    return True
