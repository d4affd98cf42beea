"""Several uploaded files read into one history, and the reader's settings applied to it.

`uploads_read` reads each file on its own (its format is recognised by itself; every message
names the file and the line), then puts all transactions into one list: the tax engine
matches them per coin over all exchanges and wallets together, so coins moved between the
reader's own wallets keep their acquisition day. Limits hold for the whole upload.

`settings_apply` carries out the two settings that need prices (see `tax.settings`):
"tag" values every market valuation with our daily close; "verfuegbar" moves rewards with a
`Verfuegbar_ab` day to that day and values them there. Both may be applied twice without
changing anything (the result page hands the transactions back for the downloads)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from kryptowelt.calculators.tax.records import Transaction
from kryptowelt.calculators.tax.rules import INCOME_KINDS, MAX_ERRORS
from kryptowelt.calculators.tax.settings import TaxSettings
from kryptowelt.calculators.tax.text import row_prefix
from kryptowelt.calculators.tax_import.errors import TaxImportError
from kryptowelt.calculators.tax_import.formats.binance_statement import (
    TRADE_SOURCE as STATEMENT_TRADES,
)
from kryptowelt.calculators.tax_import.reader import parse_upload
from kryptowelt.calculators.tax_import.records import MAX_ROWS, ParsedUpload, PriceLookup
from kryptowelt.calculators.tax_import.valuation import (
    DAILY_PREFIX,
    daily_source,
    lookup_quote,
    no_price_message,
)

MAX_FILES = 10


@dataclass
class MergedUpload:
    files: list[ParsedUpload]
    transactions: list[Transaction]
    valued_rows: int = 0  # rows valued with our stored prices, incl. by the settings
    notes: list[str] = field(default_factory=list)  # German remarks for the result page


def uploads_read(
    files: list[tuple[str, bytes]],
    *,
    settings: TaxSettings,
    price_lookup: PriceLookup | None = None,
) -> MergedUpload:
    """Read `(file name, bytes)` pairs into one history; raises `TaxImportError` with the
    messages of every file that could not be read."""
    if not files:
        raise TaxImportError(["Bitte wählen Sie mindestens eine Datei aus."])
    if len(files) > MAX_FILES:
        raise TaxImportError([f"Bitte laden Sie höchstens {MAX_FILES} Dateien auf einmal hoch."])
    messages: list[str] = []
    parsed: list[ParsedUpload] = []
    seen: dict[str, str] = {}
    names: set[str] = set()
    rows = 0
    for name, data in files:
        name = _unique(name.strip() or "Datei", names)
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen:
            messages.append(
                f"„{name}“ hat denselben Inhalt wie „{seen[digest]}“; jede Datei zählt nur "
                "einmal, sonst würden die Transaktionen doppelt gerechnet."
            )
            continue
        seen[digest] = name
        try:
            result = parse_upload(data, file_name=name, price_lookup=price_lookup)
        except TaxImportError as exc:
            messages.extend(exc.messages)
            continue
        rows += result.rows
        if rows > MAX_ROWS:
            limit = f"{MAX_ROWS:_}".replace("_", ".")
            raise TaxImportError(
                [f"Die Dateien haben zusammen mehr als {limit} Zeilen; bitte teilen Sie sie auf."]
            )
        parsed.append(result)
        if len(messages) > MAX_ERRORS:
            break
    if messages:
        raise TaxImportError(_capped(messages))
    notes: list[str] = []
    transactions = [tx for result in parsed for tx in result.transactions]
    formats = {result.format for result in parsed}
    if {"binance_trades", "binance_statement"} <= formats:
        # Both Binance exports hold the same trades: keep the trade history's, which has a
        # row per fill with its fee; the statement still gives income and transfers.
        before = len(transactions)
        transactions = [tx for tx in transactions if tx.source != STATEMENT_TRADES]
        if before != len(transactions):
            notes.append(
                f"{before - len(transactions)} Handelsbuchungen aus dem Binance-Kontoauszug "
                "sind nicht gezählt, weil der Binance-Handelsverlauf dieselben Trades enthält."
            )
    merged = MergedUpload(
        files=parsed,
        transactions=transactions,
        valued_rows=sum(result.valued_rows for result in parsed),
        notes=notes + [note for result in parsed for note in result.notes],
    )
    settings_apply(merged, settings=settings, price_lookup=price_lookup)
    return merged


def settings_apply(
    merged: MergedUpload, *, settings: TaxSettings, price_lookup: PriceLookup | None
) -> None:
    """Value market valuations by daily closes ("tag") and move rewards to the day they
    become available ("verfuegbar"), in place; raises `TaxImportError` for a reward that
    cannot be valued on that day."""
    errors: list[str] = []
    missing_daily = 0
    changed: list[Transaction] = []
    for tx in merged.transactions:
        if (
            settings.rewards == "verfuegbar"
            and tx.kind in INCOME_KINDS
            and tx.available is not None
            and tx.available != tx.when
        ):
            quote = lookup_quote(price_lookup, tx.coin, tx.available.date())
            if quote is None:
                errors.append(
                    row_prefix(tx.file, tx.row) + no_price_message(tx.coin, tx.available.date())
                )
                changed.append(tx)
                continue
            merged.valued_rows += 1
            tx = tx._replace(
                when=tx.available,
                price=quote[0],
                price_source=daily_source(quote[1]),
                price_time=_midnight(quote[1]),
            )
        elif (
            settings.prices == "tag"
            and tx.market
            and not tx.price_source.startswith(DAILY_PREFIX)
            and tx.price > 0
        ):
            quote = lookup_quote(price_lookup, tx.coin, tx.when.date())
            if quote is None:
                missing_daily += 1
            else:
                merged.valued_rows += 1
                ratio = quote[0] / tx.price
                tx = tx._replace(
                    price=quote[0],
                    fee=tx.fee * ratio,
                    price_source=daily_source(quote[1]),
                    price_time=_midnight(quote[1]),
                )
        changed.append(tx)
    if errors:
        raise TaxImportError(_capped(errors))
    merged.transactions = changed
    if missing_daily:
        merged.notes.append(
            f"Für {missing_daily} Marktbewertung{'en' if missing_daily != 1 else ''} kennen wir "
            "keinen Tagesschlusskurs; dort gilt der Kurs laut Export (in der Dokumentation je "
            "Zeile ausgewiesen)."
        )


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


def _unique(name: str, names: set[str]) -> str:
    name = name[:80]
    candidate, number = name, 2
    while candidate in names:
        candidate = f"{name} ({number})"
        number += 1
    names.add(candidate)
    return candidate


def _capped(messages: list[str]) -> list[str]:
    if len(messages) > MAX_ERRORS:
        return [*messages[:MAX_ERRORS], "Weitere Fehler werden nicht angezeigt."]
    return messages


def merged_from(
    parsed: ParsedUpload, *, settings: TaxSettings, price_lookup: PriceLookup | None
) -> MergedUpload:
    """One already read source (the form, our sample, the data handed back by the browser)
    as a merged upload with the settings applied."""
    merged = MergedUpload(
        files=[parsed],
        transactions=list(parsed.transactions),
        valued_rows=parsed.valued_rows,
        notes=list(parsed.notes),
    )
    settings_apply(merged, settings=settings, price_lookup=price_lookup)
    return merged
