"""The export formats we can read. Each module in `formats/` registers one or more with
`register(FileFormat(...))`; `table.find_table` asks them in turn whether a header line is
theirs, so adding an exchange never touches the detection code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kryptowelt.calculators.tax_import.records import ParsedUpload, PriceLookup, Table

# Tried after every format with a priority below it: our own format recognises generic
# column names ("type", "amount", "asset") that exchange exports use as well.
GENERIC = 100


@dataclass(frozen=True)
class FileFormat:
    name: str  # stored in `ParsedUpload.format`, e.g. "kraken_trades"
    label: str  # German, shown on the result page, e.g. "Kraken (Trades-Export)"
    # The header's normalised column names ("Transaction Type" -> "transaction_type") ->
    # whether this is the format's header line. May raise `TaxImportError` for a header
    # that is clearly meant as this format but lacks columns.
    detect: Callable[[frozenset[str]], bool]
    # Turns the rows into `result.transactions` (and `result.skipped`), adding a message to
    # `table.errors` per bad row and raising `TaxImportError` at the end if there were any.
    parse: Callable[[Table, ParsedUpload, PriceLookup | None], None]
    # Lower is asked first, ties in the order of the names. Only matters for a header that
    # two formats would accept.
    priority: int = 50


_FORMATS: dict[str, FileFormat] = {}


def register(file_format: FileFormat) -> FileFormat:
    if file_format.name in _FORMATS:
        raise ValueError(f"format {file_format.name!r} is registered twice")
    _FORMATS[file_format.name] = file_format
    return file_format


def registered() -> list[FileFormat]:
    """Every registered format, in the order in which detection asks them."""
    return sorted(_FORMATS.values(), key=lambda f: (f.priority, f.name))


def has_columns(*names: str) -> Callable[[frozenset[str]], bool]:
    """Detection by a set of (normalised) column names that the header must contain."""
    required = frozenset(names)
    return required.issubset
