"""From the uploaded bytes to text: size limit, Excel and binary files recognised,
UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252."""

from __future__ import annotations

from kryptowelt.calculators.tax_import.errors import TaxImportError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def decode_upload(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise TaxImportError([f"Die Datei ist größer als {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."])
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise TaxImportError(
            [
                "Das ist eine Excel-Datei, keine CSV-Datei. Bitte speichern Sie die Tabelle "
                "als „CSV (Trennzeichen-getrennt)“ und laden Sie diese Datei hoch."
            ]
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise TaxImportError(["Die Datei ist keine Textdatei (CSV)."])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise TaxImportError(
            [
                "Die Zeichenkodierung der Datei ist weder UTF-8 noch Windows-1252. "
                "Bitte speichern Sie die Datei als „CSV UTF-8“."
            ]
        ) from exc
