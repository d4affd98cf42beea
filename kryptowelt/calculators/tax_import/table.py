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
        try:
            cells = next(csv.reader([line], delimiter=delimiter))
        except csv.Error:  # e.g. a field longer than the csv module reads: not a header
            continue
        names = frozenset(normalise_header(c) for c in cells)
        for file_format in formats:
            if file_format.detect(names):
                return file_format, index, cells, delimiter
    first = next((line for line in lines if line.strip()), "")
    shown = first[:200] + ("…" if len(first) > 200 else "")
    raise TaxImportError(
        [
            "Die Spalten der Datei passen zu keinem bekannten Format. Wir lesen unser Format "
            "(Datum, Typ, Coin, Menge, Preis_EUR, …) und die Exporte von "
            + ", ".join(sorted({f.label.split(" (")[0] for f in formats if f.priority < 100}))
            + f". Erste Zeile der Datei: „{shown}“"
        ]
    )


# The csv module's default field limit; no cell of an exchange export comes near it.
MAX_FIELD_CHARS = 131_072


def read_rows(
    lines: list[str], header_index: int, delimiter: str, errors: RowErrors
) -> Iterator[tuple[int, list[str]]]:
    """(physical line number, cells) after the header; blank lines skipped.

    A row the csv module cannot read, or with a field longer than MAX_FIELD_CHARS, becomes a
    message in `errors` naming its line, and reading goes on with the next line. The check
    is our own: `csv.field_size_limit` is process-wide, and an importer may have raised it
    for a moment (core/csv_limits.py)."""
    body = io.StringIO("\n".join(lines[header_index + 1 :]))
    reader = csv.reader(body, delimiter=delimiter)
    consumed = 0  # lines of the body read before the current row
    while True:
        try:
            for cells in reader:
                if not cells:
                    pass
                elif max(map(len, cells)) > MAX_FIELD_CHARS:
                    errors.add(header_index + 2 + consumed, _too_long())
                elif "".join(cells).strip():
                    yield header_index + 1 + reader.line_num, cells
                consumed = reader.line_num
            return
        except csv.Error as exc:
            errors.add(header_index + 2 + consumed, _unreadable(exc))
            consumed = reader.line_num


def _unreadable(exc: csv.Error) -> str:
    # The only error csv.reader raises for text in its lenient default mode; matched by its
    # wording, with a general message for anything a later Python might add.
    if "field limit" in str(exc):
        return _too_long()
    return "die Zeile kann nicht als CSV gelesen werden."


def _too_long() -> str:
    limit = f"{MAX_FIELD_CHARS:_}".replace("_", ".")
    return f"ein Feld ist länger als {limit} Zeichen; die Zeile kann nicht gelesen werden."
