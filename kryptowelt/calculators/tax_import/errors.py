"""Errors of an upload: one German message per bad row, naming its file and its line."""

from __future__ import annotations

from kryptowelt.calculators.tax.rules import MAX_ERRORS
from kryptowelt.calculators.tax.text import row_prefix


class TaxImportError(ValueError):
    """The upload cannot be read; `messages` are German and name the rows concerned."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


class RowErrors:
    """The messages about bad rows of one file ("„datei.csv“, Zeile N: …", or "Zeile N: …"
    without a file name), at most `MAX_ERRORS`."""

    def __init__(self, file: str = ""):
        self.file = file
        self.messages: list[str] = []

    def add(self, row: int, text: str, *, file: str | None = None) -> None:
        """`file` names another file than this reader's (rows handed back by the browser
        carry the name of the file they came from)."""
        if len(self.messages) < MAX_ERRORS:
            where = row_prefix(self.file if file is None else file, row)
            self.messages.append(f"{where}{text}")
        elif len(self.messages) == MAX_ERRORS:
            self.messages.append("Weitere Fehler werden nicht angezeigt.")

    def raise_if_any(self) -> None:
        if self.messages:
            raise TaxImportError(self.messages)


def in_file(file: str, messages: list[str]) -> list[str]:
    """Messages about a whole file, prefixed with its name (once several files are read)."""
    if not file:
        return messages
    prefix = f"„{file}“: "
    return [m if m.startswith(f"„{file}“") else prefix + m for m in messages]
