"""The entry point for one uploaded file: bytes → text → header line and format →
transactions. Several files are read one by one and merged by `merge.uploads_read`."""

from __future__ import annotations

import kryptowelt.calculators.tax_import.formats  # noqa: F401 - registers every format
from kryptowelt.calculators.tax_import.decoding import decode_upload
from kryptowelt.calculators.tax_import.errors import RowErrors, TaxImportError, in_file
from kryptowelt.calculators.tax_import.records import ParsedUpload, PriceLookup, Table
from kryptowelt.calculators.tax_import.table import find_table, normalise_header, read_rows


def parse_upload(
    data: bytes, *, file_name: str = "", price_lookup: PriceLookup | None = None
) -> ParsedUpload:
    """Read an upload into transactions, or raise `TaxImportError` naming each bad row (and
    the file, if `file_name` is given)."""
    try:
        text = decode_upload(data)
    except TaxImportError as exc:
        raise TaxImportError(in_file(file_name, exc.messages)) from exc
    return parse_text(text, file_name=file_name, price_lookup=price_lookup)


def parse_text(
    text: str, *, file_name: str = "", price_lookup: PriceLookup | None = None
) -> ParsedUpload:
    try:
        return _parse_text(text, file_name, price_lookup)
    except TaxImportError as exc:
        raise TaxImportError(in_file(file_name, exc.messages)) from exc


def _parse_text(text: str, file_name: str, price_lookup: PriceLookup | None) -> ParsedUpload:
    if not text.strip():
        raise TaxImportError(["Die Datei ist leer."])
    lines = text.splitlines()
    file_format, header_index, header, delimiter = find_table(lines)
    errors = RowErrors(file_name)
    names = [normalise_header(name) for name in header]
    table = Table(
        columns={name: i for i, name in enumerate(names)},
        rows=read_rows(lines, header_index, delimiter, errors),
        errors=errors,
        header=names,
    )
    result = ParsedUpload(
        format=file_format.name,
        transactions=[],
        delimiter=delimiter,
        format_label=file_format.label,
        file=file_name,
    )
    file_format.parse(table, result, price_lookup)
    if not result.transactions and not result.skipped:
        raise TaxImportError(["Die Datei enthält keine Transaktionen."])
    return result
