"""FIFO matching: every disposal uses up the oldest acquisition lots of its coin first, over
all exchanges and wallets together (see `rules` for why)."""

from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass
from decimal import Decimal

from kryptowelt.calculators.tax.records import (
    Disposal,
    Income,
    LotMatch,
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


@dataclass(slots=True)
class Lot:
    row: int
    acquired: dt.date
    kind: str
    amount: Decimal
    cost: Decimal


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
        lots.setdefault(coin, deque()).append(Lot(row, day, kind, amount, money(cost)))
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
        matches = _take_fifo(lots[tx.coin], tx.amount, proceeds, day)
        held[tx.coin] = available - tx.amount
        cost = sum((m.cost for m in matches), ZERO)
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
                matches=tuple(matches),
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
) -> list[LotMatch]:
    """Use up `amount` from the oldest lots; split `proceeds` in proportion to the amounts
    (the last part gets the remainder, so the parts add up exactly)."""
    matches: list[LotMatch] = []
    remaining = amount
    proceeds_left = proceeds
    while remaining > 0:
        lot = queue[0]
        if lot.amount <= remaining:
            take, cost = lot.amount, lot.cost
            queue.popleft()
        else:
            take = remaining
            cost = money(lot.cost * take / lot.amount)
            lot.amount -= take
            lot.cost -= cost
        remaining -= take
        part = proceeds_left if remaining == 0 else money(proceeds * take / amount)
        proceeds_left -= part
        matches.append(
            LotMatch(
                lot_row=lot.row,
                acquired=lot.acquired,
                acquired_kind=lot.kind,
                amount=take,
                cost=cost,
                proceeds=part,
                holding_days=(sold - lot.acquired).days,
                tax_free=is_tax_free(acquired=lot.acquired, sold=sold),
            )
        )
    return matches


def _oversold_message(tx: Transaction, available: Decimal) -> str:
    where = f"Zeile {tx.row}: " if tx.row else ""
    verb = {"verkauf": "Verkauf", "tausch": "Tausch", "gebuehr": "Gebühr"}[tx.kind]
    return (
        f"{where}{verb} von {german_amount(tx.amount)} {tx.coin} am {short_date(tx.when.date())}, "
        f"aber zu diesem Zeitpunkt sind nur {german_amount(available)} {tx.coin} im Bestand. "
        "Fehlen Käufe, Einnahmen oder Zeilen aus einer anderen Börse?"
    )
