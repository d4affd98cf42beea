"""Matching disposals to acquisition lots, per coin over all exchanges and wallets together:
FIFO (the oldest lot first, the tax administration's method) or, on request, LIFO (the
newest lot first, FG Nürnberg 3 K 760/22; see `settings`).

Transfers between the reader's own wallets ("einzahlung", "auszahlung") neither use up nor
start a lot: the coins keep their acquisition day and cost, so a transfer never restarts the
holding period. They are remembered to explain a sale of more coins than are held."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal

from kryptowelt.calculators.tax.records import (
    Disposal,
    Holding,
    Income,
    TaxInputError,
    Transaction,
    capped,
)
from kryptowelt.calculators.tax.rules import (
    FIAT,
    INCOME_KINDS,
    MAX_ERRORS,
    TRANSFER_KINDS,
    ZERO,
    money,
    tax_free_from,
)
from kryptowelt.calculators.tax.text import german_amount, row_prefix, row_ref, short_date

# An acquisition lot not yet used up: (row, file, day acquired, kind, amount left, cost left,
# first tax-free day). A plain tuple, replaced when a sale takes part of it: the collector
# stops tracking plain tuples of numbers, dates and strings, so tens of thousands of open lots
# cost it nothing. The tax-free day is computed once per lot, not once per sale.
Lot = tuple[int, str, dt.date, str, Decimal, Decimal, dt.date]


@dataclass
class Matched:
    disposals: list[Disposal] = field(default_factory=list)
    incomes: list[Income] = field(default_factory=list)
    lots: dict[str, deque[Lot]] = field(default_factory=dict)
    year_end: dict[int, list[Holding]] = field(default_factory=dict)
    transfers: list[Transaction] = field(default_factory=list)
    removals: list[Disposal] = field(default_factory=list)


def match_lots(items: list[Transaction], *, method: str = "fifo") -> Matched:
    """Disposals, incomes, remaining lots per coin and the holdings at the end of each year,
    for `items` in time order.

    Raises `TaxInputError` naming every disposal of more coins than were held at that moment
    (at most `MAX_ERRORS`), with what the data says about the missing coins."""
    newest_first = method == "lifo"
    errors: list[tuple[Transaction, Decimal]] = []
    result = Matched()
    lots = result.lots
    held: dict[str, Decimal] = {}
    deposits: dict[str, list[Transaction]] = {}
    year = items[0].when.year if items else 0

    free_days: dict[dt.date, dt.date] = {}

    def acquire(coin: str, tx: Transaction, kind: str, amount: Decimal, cost: Decimal):
        day = tx.when.date()
        free = free_days.get(day)
        if free is None:
            free = free_days[day] = tax_free_from(day)
        queue = lots.get(coin)
        if queue is None:
            queue = lots[coin] = deque()
        queue.append((tx.row, tx.file, day, kind, amount, money(cost), free))
        held[coin] = held.get(coin, ZERO) + amount

    for tx in items:
        if tx.when.year != year:
            for closed in range(year, tx.when.year):
                result.year_end[closed] = holdings_of(lots)
            year = tx.when.year
        kind = tx.kind
        if kind == "kauf":
            acquire(tx.coin, tx, kind, tx.amount, tx.value + tx.fee + tx.fee_third)
            continue
        if kind in INCOME_KINDS:
            acquire(tx.coin, tx, kind, tx.amount, tx.value)
            result.incomes.append(
                Income(
                    tx.row,
                    tx.when,
                    kind,
                    tx.coin,
                    tx.amount,
                    money(tx.value),
                    tx.file,
                    tx.price_source,
                )
            )
            continue
        if kind in TRANSFER_KINDS:
            result.transfers.append(tx)
            if kind == "einzahlung":
                deposits.setdefault(tx.coin, []).append(tx)
            continue
        # Disposals: verkauf, tausch, gebuehr; and abgang (no consideration, no gain).
        available = held.get(tx.coin, ZERO)
        if tx.amount > available:
            errors.append((tx, available))
            if len(errors) >= MAX_ERRORS:
                break
            continue
        gross = ZERO if kind == "abgang" else money(tx.value)
        own_fee = ZERO if kind in {"gebuehr", "abgang"} else money(tx.fee)
        fee = own_fee + (ZERO if kind in {"gebuehr", "abgang"} else money(tx.fee_third))
        proceeds = gross - fee
        parts = _take(lots[tx.coin], tx.amount, proceeds, tx.when.date(), newest_first)
        held[tx.coin] = available - tx.amount
        (result.removals if kind == "abgang" else result.disposals).append(
            Disposal(
                row=tx.row,
                when=tx.when,
                kind=kind,
                coin=tx.coin,
                amount=tx.amount,
                gross=gross,
                fee=fee,
                proceeds=proceeds,
                cost=sum((part[5] for part in parts), ZERO),
                parts=parts,
                to_coin=tx.to_coin,
                to_amount=tx.to_amount,
                file=tx.file,
            )
        )
        if kind == "tausch" and tx.to_coin not in FIAT:
            # The coin received costs what was given for it: the coins exchanged, net of fees
            # paid from them; a fee paid in a third coin was deducted from the proceeds only.
            acquire(tx.to_coin, tx, "tausch", tx.to_amount, gross - own_fee)
    if errors:
        raise TaxInputError(capped(_oversold_messages(errors, items, deposits)))
    if items:
        result.year_end[year] = holdings_of(lots)
    return result


def _take(
    queue: deque[Lot], amount: Decimal, proceeds: Decimal, sold: dt.date, newest_first: bool
) -> tuple[tuple, ...]:
    """Use up `amount` from the oldest (FIFO) or newest (LIFO) lots; split `proceeds` in
    proportion to the amounts (the last part gets the remainder, so the parts add up exactly).
    One plain tuple per lot in the field order of `LotMatch` (see `Disposal.parts`)."""
    parts: list[tuple] = []
    remaining = amount
    proceeds_left = proceeds
    end = -1 if newest_first else 0
    while remaining > 0:
        row, file, acquired, kind, lot_amount, lot_cost, free = queue[end]
        if lot_amount <= remaining:
            take, cost = lot_amount, lot_cost
            if newest_first:
                queue.pop()
            else:
                queue.popleft()
        else:
            take = remaining
            cost = money(lot_cost * take / lot_amount)
            queue[end] = (row, file, acquired, kind, lot_amount - take, lot_cost - cost, free)
        remaining -= take
        part = proceeds_left if remaining == 0 else money(proceeds * take / amount)
        proceeds_left -= part
        parts.append(
            (
                row,
                file,
                acquired,
                kind,
                take,
                cost,
                part,
                (sold - acquired).days,
                sold >= free,  # more than one year: §§ 187, 188 BGB, see `rules`
            )
        )
    return tuple(parts)


def holdings_of(lots: dict[str, deque[Lot]]) -> list[Holding]:
    """What the lots hold per coin, with the day the oldest lot becomes tax-free."""
    holdings = []
    for coin in sorted(lots):
        queue = lots[coin]
        amount = sum((lot[4] for lot in queue), ZERO)
        if amount <= 0:
            continue
        oldest = min(queue, key=lambda lot: lot[2])
        holdings.append(
            Holding(
                coin=coin,
                amount=amount,
                cost=sum((lot[5] for lot in queue), ZERO),
                oldest=oldest[2],
                tax_free_from=oldest[6],
            )
        )
    return holdings


_VERBS = {"verkauf": "Verkauf", "tausch": "Tausch", "gebuehr": "Gebühr", "abgang": "Abgang"}


def _oversold_messages(
    errors: list[tuple[Transaction, Decimal]],
    items: list[Transaction],
    deposits: dict[str, list[Transaction]],
) -> list[str]:
    """Explain each shortfall from the data, without guessing: deposits of the coin whose
    purchase is not in the upload, or an acquisition that only comes later."""
    acquired_at: dict[str, list[dt.datetime]] = {}
    for tx in items:
        if tx.kind == "kauf" or tx.kind in INCOME_KINDS:
            acquired_at.setdefault(tx.coin, []).append(tx.when)
        elif tx.kind == "tausch":
            acquired_at.setdefault(tx.to_coin, []).append(tx.when)
    messages = []
    for tx, available in errors:
        text = (
            f"{row_prefix(tx.file, tx.row)}{_VERBS[tx.kind]} von {german_amount(tx.amount)} "
            f"{tx.coin} am {short_date(tx.when.date())}, aber zu diesem Zeitpunkt sind nur "
            f"{german_amount(available)} {tx.coin} im Bestand."
        )
        earlier = [d for d in deposits.get(tx.coin, ()) if d.when <= tx.when]
        later = acquired_at.get(tx.coin, [])
        index = bisect.bisect_right(later, tx.when)
        next_acquisition = later[index] if index < len(later) else None
        if earlier:
            last = earlier[-1]
            text += (
                f" Vorher wurden {german_amount(sum((d.amount for d in earlier), ZERO))} "
                f"{tx.coin} eingezahlt (zuletzt {row_ref(last.file, last.row)} am "
                f"{short_date(last.when.date())}); ihre Anschaffung fehlt in den hochgeladenen "
                "Dateien. Laden Sie den Export der Börse oder Wallet mit hoch, von der sie kamen."
            )
        elif next_acquisition is not None:
            text += (
                f" Eine Anschaffung von {tx.coin} folgt erst am "
                f"{short_date(next_acquisition.date())} – stimmen Datum und Uhrzeit?"
            )
        else:
            text += " Fehlen Käufe, Einnahmen oder Zeilen aus einer anderen Börse?"
        messages.append(text)
    return messages
