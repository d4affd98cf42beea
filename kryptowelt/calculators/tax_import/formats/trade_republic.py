"""Trade Republic crypto transactions. Trade Republic publishes no description of a CSV
export; its yearly crypto report is a PDF. We read the table that readers copy out of it (or
that community tools write), in the column set of the public reader in CoinTaxman
(`src/exchanges/trade_republic.py`): `Asset; Transaktion; Nominale; Preis pro Stück; Gebühren;
Gebucht; Gewinn; Gewinn < 1 Jahr`, separated by ";", German numbers ("75.702,20"), the
`Transaktion` cell being the day and the action ("13.04.2025 KAUF", "06.10.2025 VERKAUF"). The
same columns in English (`Asset; Transaction; Quantity; Price per unit; Fees; Booked; …`) are
our assumption. Everything here is flagged as built without an official description.

`Gebucht` is the euro amount booked to the account (negative for a purchase): a purchase
costs its amount (fee included), a sale brings its amount (fee deducted). Without `Gebucht`,
`Nominale × Preis pro Stück` and the fee are used. The report's own gain columns are ignored:
we compute gains over all exchanges together. Times are not given; a day's purchases count
before its sales. Coin names ("Bitcoin") become symbols."""

from __future__ import annotations

import re

from kryptowelt.calculators.tax.rules import ZERO
from kryptowelt.calculators.tax_import.columns import (
    at,
    coin_symbol,
    file_style,
    first_column,
    has_any,
    number,
)
from kryptowelt.calculators.tax_import.parsing import parse_local_datetime
from kryptowelt.calculators.tax_import.records import ParsedUpload, PriceLookup, Table, count_row
from kryptowelt.calculators.tax_import.registry import FileFormat, register
from kryptowelt.calculators.tax_import.valuation import record_trade

SOURCE = "Trade Republic"
_TRANSACTION = ("transaktion", "transaction")
_QUANTITY = ("nominale", "quantity", "menge", "stueck")
_PRICE = ("preis_pro_stueck", "price_per_unit", "kurs")
_FEES = ("gebuehren", "fees", "gebuehr", "fee")
_BOOKED = ("gebucht", "booked", "betrag")
_ACTION = re.compile(r"^\s*(\d{1,2}\.\d{1,2}\.\d{4})(?:[ ,]+(\d{1,2}:\d{2}(?::\d{2})?))?\s+(\S+)")
_ACTIONS = {"kauf": "buy", "buy": "buy", "sparplan": "buy", "verkauf": "sell", "sell": "sell"}


def _detect(names: frozenset[str]) -> bool:
    return "asset" in names and has_any(names, _TRANSACTION, _QUANTITY, _FEES)


def _parse(table: Table, result: ParsedUpload, price_lookup: PriceLookup | None) -> None:
    c, errors = table.columns, table.errors
    result.exchange = SOURCE
    col = {
        "asset": first_column(c, "asset"),
        "transaction": first_column(c, *_TRANSACTION),
        "quantity": first_column(c, *_QUANTITY),
        "price": first_column(c, *_PRICE),
        "fees": first_column(c, *_FEES),
        "booked": first_column(c, *_BOOKED),
    }
    rows = []
    for row, cells in table.rows:
        if not count_row(result, errors):
            break
        rows.append((row, tuple(cells)))
    errors.raise_if_any()
    numbers = (col["quantity"], col["price"], col["fees"], col["booked"])
    style = "de" if result.delimiter == ";" else file_style(rows, numbers)
    for row, cells in rows:
        cells = list(cells)
        match = _ACTION.match(at(cells, col["transaction"]))
        action = _ACTIONS.get(match.group(3).lower()) if match else None
        if action is None:
            errors.add(
                row,
                f"„{at(cells, col['transaction'])[:40]}“: erwartet werden Datum und KAUF oder "
                "VERKAUF, z. B. „13.04.2025 KAUF“.",
            )
            continue
        try:
            when = parse_local_datetime(" ".join(filter(None, match.group(1, 2))))
            quantity = abs(number(at(cells, col["quantity"]), style=style))
            price = abs(number(at(cells, col["price"]), style=style))
            fee = abs(number(at(cells, col["fees"]), style=style))
            booked = abs(number(at(cells, col["booked"]), style=style))
        except ValueError as exc:
            errors.add(row, f"unlesbarer Wert ({exc}).")
            continue
        coin = coin_symbol(at(cells, col["asset"]))
        if not coin or quantity <= 0:
            errors.add(row, "Asset oder Menge (Nominale) fehlt.")
            continue
        if action == "buy":
            total = booked or quantity * price + fee
            give_amount, give_fee = total - fee, fee
            get_amount, get_fee = quantity, ZERO
        else:
            total = booked or quantity * price - fee
            give_amount, give_fee = quantity, ZERO
            get_amount, get_fee = total + fee, fee
        if total <= 0 or (action == "buy" and give_amount <= 0):
            errors.add(row, "der gebuchte Betrag ist nicht größer als die Gebühr.")
            continue
        record_trade(
            row=row,
            when=when,
            give="EUR" if action == "buy" else coin,
            give_amount=give_amount,
            give_fee=give_fee,
            get=coin if action == "buy" else "EUR",
            get_amount=get_amount,
            get_fee=get_fee,
            source=SOURCE,
            price_lookup=price_lookup,
            result=result,
            errors=errors,
        )
    errors.raise_if_any()


register(
    FileFormat(
        name="trade_republic",
        label="Trade Republic (Krypto-Transaktionen)",
        detect=_detect,
        parse=_parse,
        priority=40,
    )
)
