"""The entry point of the tax engine: check the reader's transactions, match them to lots
(FIFO or LIFO, `fifo`), sum up each calendar year with its rules and carry § 23 losses across
years (`years`), and list what is still held with the day each lot becomes tax-free."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from kryptowelt.calculators.tax.fifo import holdings_of, match_lots
from kryptowelt.calculators.tax.records import (
    OpenLot,
    TaxInputError,
    TaxReport,
    Transaction,
    capped,
)
from kryptowelt.calculators.tax.rules import (
    FIAT,
    KIND_LABELS,
    MAX_ERRORS,
    MAX_VALUE,
    TRANSFER_KINDS,
)
from kryptowelt.calculators.tax.settings import TaxSettings
from kryptowelt.calculators.tax.text import row_prefix, short_date
from kryptowelt.calculators.tax.years import years_summarise


def tax_report(
    *,
    transactions: Iterable[Transaction],
    today: dt.date | None = None,
    settings: TaxSettings | None = None,
) -> TaxReport:
    """Match disposals to acquisitions and sum up each calendar year.

    Raises `TaxInputError` naming every problem row (at most `MAX_ERRORS`), e.g. a sale of
    more coins than were held at that moment or a date in the future."""
    return _tax_report(list(transactions), today, settings or TaxSettings())


def _tax_report(items: list[Transaction], today: dt.date | None, settings: TaxSettings):
    errors: list[str] = []
    for tx in items:
        problem = _validate(tx, today)
        if problem:
            errors.append(problem)
            if len(errors) >= MAX_ERRORS:
                break
    if errors:
        raise TaxInputError(capped(errors))
    items.sort(key=Transaction.sort_key)
    if settings.carryforward and settings.carryforward_year and items:
        first = items[0].when.year
        if settings.carryforward_year >= first:
            raise TaxInputError(
                [
                    f"Der Verlustvortrag zum 31.12.{settings.carryforward_year} kann nicht "
                    f"für Ihre Daten ab {first} gelten: Die Verluste dieser Jahre rechnen wir "
                    f"selbst. Geben Sie den Verlustvortrag zum 31.12.{first - 1} an oder "
                    "lassen Sie das Feld leer."
                ]
            )
    matched = match_lots(items, method=settings.method)
    return TaxReport(
        years=years_summarise(matched.disposals, matched.incomes, settings),
        disposals=matched.disposals,
        incomes=matched.incomes,
        holdings=holdings_of(matched.lots),
        transaction_count=len(items),
        lots=_open_lots(matched.lots),
        year_end=matched.year_end,
        settings=settings,
        transfers=matched.transfers,
        removals=matched.removals,
    )


def _validate(tx: Transaction, today: dt.date | None) -> str | None:
    where = row_prefix(tx.file, tx.row)
    if tx.kind not in KIND_LABELS:
        return f"{where}unbekannte Art „{tx.kind}“."
    if not tx.coin:
        return f"{where}Coin fehlt."
    if tx.coin in FIAT:
        return (
            f"{where}„{tx.coin}“ ist eine gesetzliche Währung, keine Kryptowährung – "
            "tragen Sie den gekauften oder verkauften Coin ein."
        )
    if tx.amount <= 0:
        return f"{where}die Menge muss größer als 0 sein."
    if tx.price < 0:
        return f"{where}der Preis kann nicht negativ sein."
    if tx.fee < 0 or tx.fee_third < 0:
        return f"{where}die Gebühr kann nicht negativ sein."
    if today is not None and tx.when.date() > today:
        return f"{where}das Datum {short_date(tx.when.date())} liegt in der Zukunft."
    if tx.kind == "tausch":
        if not tx.to_coin or tx.to_amount <= 0:
            return f"{where}bei einem Tausch fehlen Ziel-Coin oder Ziel-Menge."
        if tx.to_coin == tx.coin:
            return f"{where}Tausch von {tx.coin} in {tx.coin} ist kein Tausch."
    if tx.value > MAX_VALUE or tx.fee > MAX_VALUE or tx.to_amount > MAX_VALUE:
        return f"{where}der Betrag ist unrealistisch groß."
    if tx.kind in {"verkauf", "tausch"} and tx.fee + tx.fee_third > tx.value:
        return f"{where}die Gebühr ist höher als der Wert des Geschäfts."
    if (tx.kind in TRANSFER_KINDS or tx.kind == "abgang") and (tx.fee or tx.to_coin):
        return (
            f"{where}ein Übertrag hat keine Gebühr und keinen Ziel-Coin (Gebühr als eigene Zeile)."
        )
    return None


def _open_lots(lots) -> list[OpenLot]:
    """Every remaining lot, by the day it becomes tax-free, then coin."""
    result = [
        OpenLot(coin, lot[4], lot[5], lot[2], lot[3], lot[0], lot[1], lot[6])
        for coin, queue in lots.items()
        for lot in queue
        if lot[4] > 0
    ]
    result.sort(key=lambda lot: (lot.tax_free_from, lot.coin, lot.file, lot.row))
    return result
