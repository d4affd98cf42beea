"""Kraken trades export (`trades.csv`, History → Export → Trades): `txid, ordertxid, pair,
time, type, ordertype, price, cost, fee, vol, margin, misc, ledgers` (newer exports have more
columns; we read them by name). Times are UTC. EUR pairs are purchases and sales, coin pairs
are swaps; other fiat pairs and swaps are valued with our stored daily € prices. Margin
trades are skipped."""

from __future__ import annotations

from kryptowelt.calculators.tax.rules import ZERO
from kryptowelt.calculators.tax_import.kraken_codes import kraken_pair
from kryptowelt.calculators.tax_import.parsing import parse_number, utc_to_local
from kryptowelt.calculators.tax_import.records import (
    ParsedUpload,
    PriceLookup,
    Table,
    cell,
    count_row,
)
from kryptowelt.calculators.tax_import.registry import FileFormat, has_columns, register
from kryptowelt.calculators.tax_import.valuation import record_trade


def _parse(table: Table, result: ParsedUpload, price_lookup: PriceLookup | None) -> None:
    columns, errors = table.columns, table.errors
    result.exchange = "Kraken"
    for row, cells in table.rows:
        if not count_row(result, errors):
            break
        get = lambda key, cells=cells: cell(cells, columns, key)  # noqa: E731
        pair = kraken_pair(get("pair"))
        if pair is None:
            errors.add(row, f"das Handelspaar „{get('pair')}“ ist unbekannt.")
            continue
        base, quote = pair
        try:
            when = utc_to_local(get("time"))
            vol = parse_number(get("vol"), style="en")
            cost = parse_number(get("cost"), style="en")
            fee = parse_number(get("fee") or "0", style="en")
        except ValueError as exc:
            errors.add(row, f"unlesbarer Wert ({exc}).")
            continue
        side = get("type").lower()
        if vol <= 0 or cost <= 0:
            errors.add(row, "Menge und Betrag müssen größer als 0 sein.")
            continue
        if _is_positive(get("margin")):
            result.skipped["Margin-Handel (nicht berechnet)"] += 1
            continue
        # Kraken charges trade fees in the quote currency.
        if side == "buy":
            record_trade(
                row=row,
                when=when,
                give=quote,
                give_amount=cost,
                give_fee=fee,
                get=base,
                get_amount=vol,
                get_fee=ZERO,
                source="Kraken",
                price_lookup=price_lookup,
                result=result,
                errors=errors,
            )
        elif side == "sell":
            record_trade(
                row=row,
                when=when,
                give=base,
                give_amount=vol,
                give_fee=ZERO,
                get=quote,
                get_amount=cost,
                get_fee=fee,
                source="Kraken",
                price_lookup=price_lookup,
                result=result,
                errors=errors,
            )
        else:
            errors.add(row, f"unbekannte Handelsrichtung „{get('type')}“.")
    errors.raise_if_any()


def _is_positive(text: str) -> bool:
    try:
        return parse_number(text, style="en") > 0
    except ValueError:
        return False


register(
    FileFormat(
        name="kraken_trades",
        label="Kraken (Trades-Export)",
        detect=has_columns("txid", "pair", "time", "type", "price", "cost", "fee", "vol"),
        parse=_parse,
        priority=10,
    )
)
