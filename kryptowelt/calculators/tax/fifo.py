"""FIFO matching: every disposal uses up the oldest acquisition lots of its coin first, over
all exchanges and wallets together (see `rules` for why)."""

from __future__ import annotations

import datetime as dt
from collections import deque
from decimal import Decimal

from kryptowelt.calculators.tax.records import (
    Disposal,
    Income,
    TaxInputError,
    Transaction,
    capped,
)
from kryptowelt.calculators.tax.rules import (
    FIAT,
    INCOME_KINDS,
    MAX_ERRORS,
    ZERO,
    is_tax_free,
    money,
)
from kryptowelt.calculators.tax.text import german_amount, short_date

# An acquisition lot not yet used up: (row, day acquired, kind, amount left, cost left).
# A plain tuple, replaced when a sale takes part of it: the collector stops tracking plain
# tuples of numbers, dates and strings, so tens of thousands of open lots cost it nothing.
Lot = tuple[int, dt.date, str, Decimal, Decimal]


def match_fifo(
    items: list[Transaction],
) -> tuple[list[Disposal], list[Income], dict[str, deque[Lot]]]:
    """(disposals, incomes, remaining lots per coin) for `items` in time order.

    Raises `TaxInputError` naming every disposal of more coins than were held at that moment
    (at most `MAX_ERRORS`)."""
    errors: list[str] = []
    lots: dict[str, deque[Lot]] = {}
    held: dict[str, Decimal] = {}
    disposals: list[Disposal] = []
    incomes: list[Income] = []

    def acquire(coin: str, row: int, day: dt.date, kind: str, amount: Decimal, cost: Decimal):
        lots.setdefault(coin, deque()).append((row, day, kind, amount, money(cost)))
        held[coin] = held.get(coin, ZERO) + amount

    for tx in items:
        day = tx.when.date()
        if tx.kind == "kauf":
            acquire(tx.coin, tx.row, day, tx.kind, tx.amount, tx.value + tx.fee)
            continue
        if tx.kind in INCOME_KINDS:
            acquire(tx.coin, tx.row, day, tx.kind, tx.amount, tx.value)
            incomes.append(Income(tx.row, tx.when, tx.kind, tx.coin, tx.amount, money(tx.value)))
            continue
        # Disposals: verkauf, tausch, gebuehr.
        available = held.get(tx.coin, ZERO)
        if tx.amount > available:
            errors.append(_oversold_message(tx, available))
            if len(errors) >= MAX_ERRORS:
                break
            continue
        gross = money(tx.value)
        fee = ZERO if tx.kind == "gebuehr" else money(tx.fee)
        proceeds = gross - fee
        parts = _take_fifo(lots[tx.coin], tx.amount, proceeds, day)
        held[tx.coin] = available - tx.amount
        cost = sum((part[4] for part in parts), ZERO)
        disposals.append(
            Disposal(
                row=tx.row,
                when=tx.when,
                kind=tx.kind,
                coin=tx.coin,
                amount=tx.amount,
                gross=gross,
                fee=fee,
                proceeds=proceeds,
                cost=cost,
                parts=parts,
                to_coin=tx.to_coin,
                to_amount=tx.to_amount,
            )
        )
        if tx.kind == "tausch" and tx.to_coin not in FIAT:
            acquire(tx.to_coin, tx.row, day, "tausch", tx.to_amount, proceeds)
    if errors:
        raise TaxInputError(capped(errors))
    return disposals, incomes, lots


def _take_fifo(
    queue: deque[Lot], amount: Decimal, proceeds: Decimal, sold: dt.date
) -> tuple[tuple, ...]:
    """Use up `amount` from the oldest lots; split `proceeds` in proportion to the amounts
    (the last part gets the remainder, so the parts add up exactly). One plain tuple per lot
    in the field order of `LotMatch` (see `Disposal.parts`)."""
    parts: list[tuple] = []
    remaining = amount
    proceeds_left = proceeds
    while remaining > 0:
        row, acquired, kind, lot_amount, lot_cost = queue[0]
        if lot_amount <= remaining:
            take, cost = lot_amount, lot_cost
            queue.popleft()
        else:
            take = remaining
            cost = money(lot_cost * take / lot_amount)
            queue[0] = (row, acquired, kind, lot_amount - take, lot_cost - cost)
        remaining -= take
        part = proceeds_left if remaining == 0 else money(proceeds * take / amount)
        proceeds_left -= part
        parts.append(
            (
                row,
                acquired,
                kind,
                take,
                cost,
                part,
                (sold - acquired).days,
                is_tax_free(acquired=acquired, sold=sold),
            )
        )
    return tuple(parts)


def _oversold_message(tx: Transaction, available: Decimal) -> str:
    where = f"Zeile {tx.row}: " if tx.row else ""
    verb = {"verkauf": "Verkauf", "tausch": "Tausch", "gebuehr": "Gebühr"}[tx.kind]
    return (
        f"{where}{verb} von {german_amount(tx.amount)} {tx.coin} am {short_date(tx.when.date())}, "
        f"aber zu diesem Zeitpunkt sind nur {german_amount(available)} {tx.coin} im Bestand. "
        "Fehlen Käufe, Einnahmen oder Zeilen aus einer anderen Börse?"
    )
