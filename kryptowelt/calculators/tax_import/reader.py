"""The entry point for uploads: bytes → text → header line and format → transactions."""

from __future__ import annotations

import kryptowelt.calculators.tax_import.formats  # noqa: F401 - registers every format
from kryptowelt.calculators.tax_import.decoding import decode_upload
from kryptowelt.calculators.tax_import.errors import RowErrors, TaxImportError
from kryptowelt.calculators.tax_import.records import ParsedUpload, PriceLookup, Table
from kryptowelt.calculators.tax_import.table import find_table, normalise_header, read_rows


def parse_upload(data: bytes, *, price_lookup: PriceLookup | None = None) -> ParsedUpload:
    """Read an upload into transactions, or raise `TaxImportError` naming each bad row."""
    return parse_text(decode_upload(data), price_lookup=price_lookup)


def parse_text(text: str, *, price_lookup: PriceLookup | None = None) -> ParsedUpload:
    if not text.strip():
        raise TaxImportError(["Die Datei ist leer."])
    lines = text.splitlines()
    file_format, header_index, header, delimiter = find_table(lines)
    errors = RowErrors()
    table = Table(
        columns={normalise_header(name): i for i, name in enumerate(header)},
        rows=read_rows(lines, header_index, delimiter, errors),
        errors=errors,
    )
    result = ParsedUpload(
        format=file_format.name,
        transactions=[],
        delimiter=delimiter,
        format_label=file_format.label,
    )
    file_format.parse(table, result, price_lookup)
    if not result.transactions and not result.skipped:
        raise TaxImportError(["Die Datei enthält keine Transaktionen."])
    return result
