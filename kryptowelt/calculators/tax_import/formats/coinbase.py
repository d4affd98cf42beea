"""Coinbase "Transaction History" report: a few lines before the table ("Transactions",
"User,…"), then `ID, Timestamp, Transaction Type, Asset, Quantity Transacted, Price
Currency, Price at Transaction, Subtotal, Total (inclusive of fees and/or spread), Fees
and/or Spread, Notes`; older reports lack `ID` and say `Spot Price Currency` / `Spot Price
at Transaction`. Amounts may carry a currency sign ("€3343.11", "-€597.50").

Buy/Sell (also Advanced Trade), Convert (a swap; the coin received comes from the note
"Converted X A to Y B", the spread reduces the proceeds), staking and rewards income
(§ 22 Nr. 3 EStG), Coinbase Earn and Learning Rewards (other income). Sends, receives,
deposits and withdrawals are skipped and counted."""

from __future__ import annotations

import re
from decimal import Decimal

from kryptowelt.calculators.tax.records import Transaction
from kryptowelt.calculators.tax.rules import ZERO
from kryptowelt.calculators.tax_import.errors import TaxImportError
from kryptowelt.calculators.tax_import.parsing import parse_number, utc_to_local
from kryptowelt.calculators.tax_import.records import ParsedUpload, PriceLookup, Table, count_row
from kryptowelt.calculators.tax_import.registry import FileFormat, has_columns, register
from kryptowelt.calculators.tax_import.valuation import (
    daily_source,
    exchange_source,
    lookup_price,
    no_price_message,
    paid_source,
)

_COINBASE_IGNORED = {
    "send": "Versand an eine andere Adresse",
    "receive": "Empfang von einer anderen Adresse",
    "deposit": "Einzahlung",
    "withdrawal": "Auszahlung",
    "pro deposit": "Übertrag zwischen eigenen Konten",
    "pro withdrawal": "Übertrag zwischen eigenen Konten",
    "exchange deposit": "Übertrag zwischen eigenen Konten",
    "exchange withdrawal": "Übertrag zwischen eigenen Konten",
    "retail staking transfer": "Übertrag zwischen eigenen Konten",
    "retail unstaking transfer": "Übertrag zwischen eigenen Konten",
    "retail eth2 deprecation": "Übertrag zwischen eigenen Konten",
}
_COINBASE_BUY = {"buy", "advanced trade buy", "advance trade buy"}
_COINBASE_SELL = {"sell", "advanced trade sell", "advance trade sell"}
_COINBASE_STAKING = {"staking income", "rewards income", "inflation reward", "reward income"}
_COINBASE_OTHER_INCOME = {"coinbase earn", "learning reward"}
_CONVERT_NOTE = re.compile(
    r"Converted\s+([\d.,]+)\s+([A-Za-z0-9]+)\s+to\s+([\d.,]+)\s+([A-Za-z0-9]+)", re.IGNORECASE
)


def _coinbase_columns(columns: dict[str, int]) -> dict[str, int | None]:
    def first(*names):
        return next((columns[n] for n in names if n in columns), None)

    return {
        "time": first("timestamp"),
        "type": first("transaction_type"),
        "asset": first("asset"),
        "quantity": first("quantity_transacted"),
        "currency": first("price_currency", "spot_price_currency"),
        "price": first(
            "price_at_transaction", "spot_price_at_transaction", "eur_spot_price_at_transaction"
        ),
        "subtotal": first("subtotal", "eur_subtotal"),
        "total": first(
            "total_inclusive_of_fees_and_or_spread",
            "total_inclusive_of_fees",
            "eur_total_inclusive_of_fees_and_or_spread",
            "eur_total_inclusive_of_fees",
        ),
        "fees": first("fees_and_or_spread", "fees", "eur_fees_and_or_spread", "eur_fees"),
        "notes": first("notes"),
        "implied_eur": 1 if "eur_spot_price_at_transaction" in columns else None,
    }


def _parse(table: Table, result: ParsedUpload, price_lookup: PriceLookup | None) -> None:
    errors = table.errors
    result.exchange = "Coinbase"
    col = _coinbase_columns(table.columns)
    if col["price"] is None:
        raise TaxImportError(
            ["Im Coinbase-Export fehlt die Spalte „Price at Transaction“ (Kurs je Coin)."]
        )

    def cell(cells, key):
        index = col[key]
        return cells[index].strip() if index is not None and index < len(cells) else ""

    for row, cells in table.rows:
        if not count_row(result, errors):
            break
        kind_text = cell(cells, "type").lower()
        if kind_text in _COINBASE_IGNORED:
            result.skipped[_COINBASE_IGNORED[kind_text]] += 1
            continue
        asset = cell(cells, "asset").upper()
        try:
            when = utc_to_local(cell(cells, "time"))
        except ValueError:
            errors.add(row, f"„{cell(cells, 'time')}“ ist kein lesbarer Zeitstempel.")
            continue
        try:
            quantity = abs(parse_number(cell(cells, "quantity"), style="en"))
            price = abs(parse_number(cell(cells, "price"), style="en"))
            subtotal = _optional_number(cell(cells, "subtotal"))
            total = _optional_number(cell(cells, "total"))
            fees = _optional_number(cell(cells, "fees")) or ZERO
        except ValueError as exc:
            errors.add(row, f"unlesbarer Wert ({exc}).")
            continue
        if quantity <= 0:
            errors.add(row, "die Menge ist 0.")
            continue
        currency = (cell(cells, "currency") or "EUR").upper() if not col["implied_eur"] else "EUR"
        rate = Decimal(1)
        valued = exchange_source("Coinbase")
        if currency != "EUR":
            coin_price = lookup_price(price_lookup, asset, when.date())
            if coin_price is None:
                errors.add(row, no_price_message(asset, when.date()))
                continue
            rate = coin_price / price
            valued = daily_source(when.date())
            result.valued_rows += 1
        unit = price * rate
        fees_eur = abs(fees) * rate
        if kind_text in _COINBASE_BUY:
            paid = abs(subtotal) * rate if subtotal is not None else quantity * unit
            result.transactions.append(
                Transaction(
                    row=row,
                    when=when,
                    kind="kauf",
                    coin=asset,
                    amount=quantity,
                    price=paid / quantity,
                    fee=fees_eur,
                    source="Coinbase",
                    file=result.file,
                    price_source=paid_source("Coinbase") if currency == "EUR" else valued,
                    price_time=when,
                )
            )
        elif kind_text in _COINBASE_SELL:
            gross = abs(subtotal) * rate if subtotal is not None else quantity * unit
            result.transactions.append(
                Transaction(
                    row=row,
                    when=when,
                    kind="verkauf",
                    coin=asset,
                    amount=quantity,
                    price=gross / quantity,
                    fee=min(fees_eur, gross),
                    source="Coinbase",
                    file=result.file,
                    price_source=paid_source("Coinbase") if currency == "EUR" else valued,
                    price_time=when,
                )
            )
        elif kind_text == "convert":
            match = _CONVERT_NOTE.search(cell(cells, "notes"))
            if not match:
                errors.add(
                    row,
                    "bei „Convert“ fehlt in den Notizen die Angabe „Converted … to …“, "
                    "aus der wir den erhaltenen Coin lesen.",
                )
                continue
            to_amount = parse_number(match.group(3), style="en")
            to_coin = match.group(4).upper()
            # Total is the value of the coins given; Subtotal what arrived after the spread.
            value = abs(total) * rate if total is not None else quantity * unit
            net = abs(subtotal) * rate if subtotal is not None else value - fees_eur
            spread = fees_eur if fees else max(value - net, ZERO)
            result.transactions.append(
                Transaction(
                    row=row,
                    when=when,
                    kind="tausch",
                    coin=asset,
                    amount=quantity,
                    price=value / quantity,
                    fee=min(spread, value),
                    to_coin=to_coin,
                    to_amount=to_amount,
                    source="Coinbase",
                    file=result.file,
                    price_source=valued,
                    price_time=when,
                    market=True,
                )
            )
        elif kind_text in _COINBASE_STAKING or kind_text in _COINBASE_OTHER_INCOME:
            kind = "staking" if kind_text in _COINBASE_STAKING else "einnahme"
            result.transactions.append(
                Transaction(
                    row=row,
                    when=when,
                    kind=kind,
                    coin=asset,
                    amount=quantity,
                    price=unit,
                    source="Coinbase",
                    file=result.file,
                    price_source=valued,
                    price_time=when,
                    market=True,
                )
            )
        else:
            result.skipped[f"Coinbase-Typ „{cell(cells, 'type')}“ (nicht berechnet)"] += 1
    errors.raise_if_any()


def _optional_number(text: str) -> Decimal | None:
    return parse_number(text, style="en") if text else None


register(
    FileFormat(
        name="coinbase",
        label="Coinbase (Transaktionsverlauf)",
        detect=has_columns("timestamp", "transaction_type", "asset", "quantity_transacted"),
        parse=_parse,
        priority=30,
    )
)
