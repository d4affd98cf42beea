"""Binance trade history (Orders → Spot Order → Trade History → Export): one row per fill, so a
partially filled order is several rows. Two layouts, recognised by their columns:

- current: `Date(UTC), Pair, Side, Price, Executed, Amount, Fee`, the amounts written with their
  unit ("0.00100000BTC", "30.00000000USDT", fee "0.00000075BNB");
- older: `Date(UTC), Market, Type, Price, Amount, Total, Fee, Fee Coin`.

Times are UTC ("2024-03-15 10:20:30"), numbers English. The column sets follow public readers
(BittyTax, see `docs/calculators.md`); Binance publishes no description. German column names
(`Datum(UTC), Paar, Seite, Preis, Ausgeführt, Betrag, Gebühr`) are read too – their wording is
our assumption.

BUY gives the quote asset for the base asset, SELL the other way round. Trades against euros
are purchases and sales; against USDT, BTC and other coins they are swaps, valued with our
daily € close. A fee in the coin received reduces what arrived, a fee in the coin given adds
to what left; a fee in a third coin (BNB) is a "Gebühr" disposal of it and the trade's fee."""

from __future__ import annotations

from kryptowelt.calculators.tax.rules import ZERO
from kryptowelt.calculators.tax_import.columns import (
    amount_with_unit,
    at,
    first_column,
    has_any,
    number,
)
from kryptowelt.calculators.tax_import.parsing import exchange_time
from kryptowelt.calculators.tax_import.records import ParsedUpload, PriceLookup, Table, count_row
from kryptowelt.calculators.tax_import.registry import FileFormat, register
from kryptowelt.calculators.tax_import.valuation import record_coin_fee, record_trade

SOURCE = "Binance"
QUOTES = (
    "FDUSD",
    "USDT",
    "BUSD",
    "USDC",
    "TUSD",
    "USDP",
    "EUR",
    "BTC",
    "ETH",
    "BNB",
    "TRY",
    "GBP",
    "BRL",
    "DAI",
    "AUD",
    "PLN",
    "JPY",
    "XRP",
    "TRX",
    "DOGE",
)
_DATE = ("date_utc", "datum_utc")
_NEW = (_DATE, ("pair", "paar"), ("side", "seite"), ("executed", "ausgefuehrt"))
_OLD = (_DATE, ("market", "markt"), ("type", "typ"), ("total", "gesamt"), ("fee_coin",))


def _detect(names: frozenset[str]) -> bool:
    return has_any(names, *_NEW) or has_any(names, *_OLD)


def split_pair(pair: str) -> tuple[str, str] | None:
    text = pair.replace("/", "").replace("-", "").upper()
    for quote in sorted(QUOTES, key=len, reverse=True):
        if text.endswith(quote) and len(text) > len(quote):
            return text[: -len(quote)], quote
    return None


def _parse(table: Table, result: ParsedUpload, price_lookup: PriceLookup | None) -> None:
    c, errors = table.columns, table.errors
    result.exchange = SOURCE
    new = has_any(frozenset(c), *_NEW)
    col = {
        "date": first_column(c, *_DATE),
        "side": first_column(c, "side", "seite") if new else first_column(c, "type", "typ"),
        "pair": first_column(c, "pair", "paar", "market", "markt"),
        "executed": first_column(c, "executed", "ausgefuehrt"),
        "amount": first_column(c, "amount", "betrag"),
        "total": first_column(c, "total", "gesamt"),
        "fee": first_column(c, "fee", "gebuehr"),
        "fee_coin": first_column(c, "fee_coin"),
    }
    for row, cells in table.rows:
        if not count_row(result, errors):
            break
        side = at(cells, col["side"]).upper()
        if side in {"KAUF", "KAUFEN"}:
            side = "BUY"
        elif side in {"VERKAUF", "VERKAUFEN"}:
            side = "SELL"
        if side not in {"BUY", "SELL"}:
            errors.add(row, f"unbekannte Handelsrichtung „{at(cells, col['side'])[:20]}“.")
            continue
        try:
            when = exchange_time(at(cells, col["date"]))
        except ValueError:
            errors.add(row, f"„{at(cells, col['date'])[:40]}“ ist kein lesbarer Zeitstempel.")
            continue
        try:
            if new:
                base_amount, base = amount_with_unit(at(cells, col["executed"]).replace(",", ""))
                quote_amount, quote = amount_with_unit(at(cells, col["amount"]).replace(",", ""))
                fee, fee_coin = amount_with_unit(at(cells, col["fee"]).replace(",", ""))
            else:
                pair = split_pair(at(cells, col["pair"]))
                if pair is None:
                    errors.add(
                        row, f"das Handelspaar „{at(cells, col['pair'])[:20]}“ ist unbekannt."
                    )
                    continue
                base, quote = pair
                base_amount = number(at(cells, col["amount"]))
                quote_amount = number(at(cells, col["total"]))
                fee = number(at(cells, col["fee"]))
                fee_coin = at(cells, col["fee_coin"]).upper()
        except ValueError as exc:
            errors.add(row, f"unlesbarer Wert ({exc}).")
            continue
        if base_amount <= 0 or quote_amount <= 0:
            errors.add(row, "Menge und Betrag müssen größer als 0 sein.")
            continue
        if side == "BUY":
            give, give_amount, get, get_amount = quote, quote_amount, base, base_amount
        else:
            give, give_amount, get, get_amount = base, base_amount, quote, quote_amount
        give_fee = get_fee = fee_third = ZERO
        if fee > 0 and fee_coin == get:
            get_fee = fee
        elif fee > 0 and fee_coin == give:
            give_fee = fee
        elif fee > 0:
            value = record_coin_fee(
                row=row,
                when=when,
                coin=fee_coin,
                amount=fee,
                source=SOURCE,
                price_lookup=price_lookup,
                result=result,
                errors=errors,
            )
            if value is None:
                continue
            fee_third = value
        record_trade(
            row=row,
            when=when,
            give=give,
            give_amount=give_amount,
            give_fee=give_fee,
            get=get,
            get_amount=get_amount,
            get_fee=get_fee,
            source=SOURCE,
            price_lookup=price_lookup,
            result=result,
            errors=errors,
            fee_third=fee_third,
        )
    errors.raise_if_any()


register(
    FileFormat(
        name="binance_trades",
        label="Binance (Handelsverlauf)",
        detect=_detect,
        parse=_parse,
        priority=30,
    )
)
