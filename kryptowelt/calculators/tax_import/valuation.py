"""Exchange rows without euro amounts turned into transactions of the tax engine: trades
against US dollars or between coins, staking rewards and coin fees are valued with our
stored daily € prices (the `price_lookup` passed in), and every such row is counted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kryptowelt.calculators.tax.records import Transaction
from kryptowelt.calculators.tax.rules import FIAT
from kryptowelt.calculators.tax_import.errors import RowErrors
from kryptowelt.calculators.tax_import.records import ParsedUpload, PriceLookup


def lookup_price(price_lookup: PriceLookup | None, coin: str, day: dt.date) -> Decimal | None:
    if coin == "EUR":
        return Decimal(1)
    if price_lookup is None:
        return None
    price = price_lookup(coin, day)
    return price if price is not None and price > 0 else None


def no_price_message(coin: str, day: dt.date) -> str:
    return (
        f"für {coin} am {day.day:02d}.{day.month:02d}.{day.year} kennen wir keinen Euro-Kurs; "
        "bitte tragen Sie diese Zeile mit Euro-Wert in unserem Format ein."
    )


def record_trade(
    *,
    row: int,
    when: dt.datetime,
    give: str,
    give_amount: Decimal,
    give_fee: Decimal,
    get: str,
    get_amount: Decimal,
    get_fee: Decimal,
    source: str,
    price_lookup: PriceLookup | None,
    result: ParsedUpload,
    errors: RowErrors,
) -> None:
    """One exchange trade in which `give_amount + give_fee` of `give` left the account and
    `get_amount - get_fee` of `get` arrived. Becomes a Kauf, Verkauf or Tausch with euro
    values; a non-euro fiat side is converted with our stored € price of the coin."""
    day = when.date()
    give_fiat, get_fiat = give in FIAT, get in FIAT
    if give_fiat and get_fiat:
        result.skipped["Devisentausch ohne Kryptowährung"] += 1
        return
    if give_fiat:  # a purchase
        coins = get_amount - get_fee
        if coins <= 0:
            errors.add(row, "die gekaufte Menge ist nach Abzug der Gebühr nicht positiv.")
            return
        if give == "EUR":
            rate = Decimal(1)
        else:
            coin_price = lookup_price(price_lookup, get, day)
            if coin_price is None:
                errors.add(row, no_price_message(get, day))
                return
            rate = coin_price * get_amount / give_amount  # € per unit of the fiat currency
            result.valued_rows += 1
        paid = give_amount * rate
        result.transactions.append(
            Transaction(
                row=row,
                when=when,
                kind="kauf",
                coin=get,
                amount=coins,
                price=paid / coins,
                fee=give_fee * rate,
                source=source,
            )
        )
        return
    if get_fiat:  # a sale
        coins = give_amount + give_fee
        if get == "EUR":
            rate = Decimal(1)
        else:
            coin_price = lookup_price(price_lookup, give, day)
            if coin_price is None:
                errors.add(row, no_price_message(give, day))
                return
            rate = coin_price * give_amount / get_amount
            result.valued_rows += 1
        unit = get_amount * rate / give_amount  # € per coin
        result.transactions.append(
            Transaction(
                row=row,
                when=when,
                kind="verkauf",
                coin=give,
                amount=coins,
                price=unit,
                fee=get_fee * rate + give_fee * unit,
                source=source,
            )
        )
        return
    # Coin for coin: valued with our daily € price of the coin given, else of the coin got.
    given = give_amount + give_fee
    unit_give = lookup_price(price_lookup, give, day)
    unit_get = lookup_price(price_lookup, get, day)
    if unit_give is None and unit_get is None:
        errors.add(row, no_price_message(f"{give} und {get}", day))
        return
    if unit_give is None:
        unit_give = unit_get * get_amount / give_amount
    if unit_get is None:
        unit_get = unit_give * give_amount / get_amount
    result.valued_rows += 1
    result.transactions.append(
        Transaction(
            row=row,
            when=when,
            kind="tausch",
            coin=give,
            amount=given,
            price=unit_give,
            fee=give_fee * unit_give + get_fee * unit_get,
            to_coin=get,
            to_amount=get_amount - get_fee,
            source=source,
        )
    )


def record_income(
    *,
    row: int,
    when: dt.datetime,
    kind: str,
    coin: str,
    amount: Decimal,
    unit_price: Decimal | None,
    source: str,
    price_lookup: PriceLookup | None,
    result: ParsedUpload,
    errors: RowErrors,
) -> None:
    if unit_price is None:
        unit_price = lookup_price(price_lookup, coin, when.date())
        if unit_price is None:
            errors.add(row, no_price_message(coin, when.date()))
            return
        result.valued_rows += 1
    result.transactions.append(
        Transaction(
            row=row, when=when, kind=kind, coin=coin, amount=amount, price=unit_price, source=source
        )
    )
