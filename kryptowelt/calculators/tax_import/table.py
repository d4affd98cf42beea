"""Finding the table in the text: the header line (exports may have a few lines before it),
the delimiter, the format it belongs to, and the rows below it."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from kryptowelt.calculators.tax_import.errors import RowErrors, TaxImportError
from kryptowelt.calculators.tax_import.registry import FileFormat, registered

HEADER_SEARCH_LINES = 30


def normalise_header(name: str) -> str:
    """A column name as formats compare it: "Gebühr (€)" -> "gebuehr_eur"."""
    text = (name or "").strip().strip('"').lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("€", "eur")):
        text = text.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def sniff_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def find_table(lines: list[str]) -> tuple[FileFormat, int, list[str], str]:
    """(format, index of the header line, header cells, delimiter) of the first line among
    the first `HEADER_SEARCH_LINES` that a registered format recognises."""
    formats = registered()
    for index, line in enumerate(lines[:HEADER_SEARCH_LINES]):
        if not line.strip():
            continue
        delimiter = sniff_delimiter(line)
        cells = next(csv.reader([line], delimiter=delimiter))
        names = frozenset(normalise_header(c) for c in cells)
        for file_format in formats:
            if file_format.detect(names):
                return file_format, index, cells, delimiter
    first = next((line for line in lines if line.strip()), "")
    shown = first[:200] + ("…" if len(first) > 200 else "")
    raise TaxImportError(
        [
            "Die Spalten der Datei passen zu keinem bekannten Format. Erwartet wird unser "
            "Format (Datum, Typ, Coin, Menge, Preis_EUR, …) oder ein Export von Kraken "
            f"(trades.csv, ledgers.csv) oder Coinbase. Erste Zeile der Datei: „{shown}“"
        ]
    )


def read_rows(
    lines: list[str], header_index: int, delimiter: str, errors: RowErrors
) -> Iterator[tuple[int, list[str]]]:
    """(physical line number, cells) after the header; blank lines skipped."""
    body = io.StringIO("\n".join(lines[header_index + 1 :]))
    reader = csv.reader(body, delimiter=delimiter)
    for cells in reader:
        if not "".join(cells).strip():
            continue
        yield header_index + 1 + reader.line_num, cells
