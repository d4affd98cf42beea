"""The entry point of the tax engine: check the reader's transactions, match them FIFO and
sum up each calendar year (netting, Freigrenzen; see `rules`)."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable

from kryptowelt.calculators.tax.fifo import Lot, match_fifo
from kryptowelt.calculators.tax.records import (
    Disposal,
    Holding,
    Income,
    TaxInputError,
    TaxReport,
    Transaction,
    YearSummary,
    capped,
)
from kryptowelt.calculators.tax.rules import (
    FIAT,
    KIND_LABELS,
    MAX_ERRORS,
    MAX_VALUE,
    ZERO,
    freigrenze_23,
    holding_period_end,
)
from kryptowelt.calculators.tax.text import short_date


def tax_report(*, transactions: Iterable[Transaction], today: dt.date | None = None) -> TaxReport:
    """Match disposals to acquisitions (FIFO per coin) and sum up each calendar year.

    Raises `TaxInputError` naming every problem row (at most `MAX_ERRORS`), e.g. a sale of
    more coins than were held at that moment or a date in the future."""
    return _tax_report(list(transactions), today)


def _tax_report(items: list[Transaction], today: dt.date | None) -> TaxReport:
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
    disposals, incomes, lots = match_fifo(items)
    return TaxReport(
        years=_years(disposals, incomes),
        disposals=disposals,
        incomes=incomes,
        holdings=_holdings(lots),
        transaction_count=len(items),
    )


def _validate(tx: Transaction, today: dt.date | None) -> str | None:
    where = f"Zeile {tx.row}: " if tx.row else ""
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
    if tx.fee < 0:
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
    if tx.kind in {"verkauf", "tausch"} and tx.fee > tx.value:
        return f"{where}die Gebühr ist höher als der Wert des Geschäfts."
    return None


def _years(disposals: list[Disposal], incomes: list[Income]) -> list[YearSummary]:
    """Per calendar year: gains and losses within the holding period netted, the result of
    sales after more than a year, and the § 22 Nr. 3 income."""
    years: dict[int, YearSummary] = {}

    def summary(year: int) -> YearSummary:
        if year not in years:
            years[year] = YearSummary(year=year, freigrenze=freigrenze_23(year))
        return years[year]

    for disposal in disposals:
        year = summary(disposal.when.year)
        year.disposals.append(disposal)
        for match in disposal.matches:
            gain = match.gain
            if match.tax_free:
                year.tax_free_gains += gain
            elif gain >= 0:
                year.taxable_gains += gain
            else:
                year.taxable_losses += gain
    for income in incomes:
        year = summary(income.when.year)
        year.incomes.append(income)
        year.income += income.value
        year.income_by_kind[income.kind] = year.income_by_kind.get(income.kind, ZERO) + (
            income.value
        )
    return [years[y] for y in sorted(years)]


def _holdings(lots: dict[str, deque[Lot]]) -> list[Holding]:
    """What is still held at the end, per coin, with the day its oldest lot becomes tax-free."""
    holdings = []
    for coin in sorted(lots):
        queue = lots[coin]
        amount = sum((lot[3] for lot in queue), ZERO)
        if amount <= 0:
            continue
        oldest = queue[0][1] if queue else None
        holdings.append(
            Holding(
                coin=coin,
                amount=amount,
                cost=sum((lot[4] for lot in queue), ZERO),
                oldest=oldest,
                tax_free_from=holding_period_end(oldest) + dt.timedelta(days=1) if oldest else None,
            )
        )
    return holdings
