"""Errors of an upload: one German message per bad row, naming its line in the file."""

from __future__ import annotations

from kryptowelt.calculators.tax.rules import MAX_ERRORS


class TaxImportError(ValueError):
    """The upload cannot be read; `messages` are German and name the rows concerned."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


class RowErrors:
    """The messages about bad rows of one file, "Zeile N: …", at most `MAX_ERRORS`."""

    def __init__(self):
        self.messages: list[str] = []

    def add(self, row: int, text: str) -> None:
        if len(self.messages) < MAX_ERRORS:
            self.messages.append(f"Zeile {row}: {text}")
        elif len(self.messages) == MAX_ERRORS:
            self.messages.append("Weitere Fehler werden nicht angezeigt.")

    def raise_if_any(self) -> None:
        if self.messages:
            raise TaxImportError(self.messages)
