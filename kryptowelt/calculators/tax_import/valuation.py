"""Exchange rows turned into transactions of the tax engine, each with the source and time of
its euro value (the BMF letter of 6 March 2025 asks for both, Rn. 87 ff.):

- what was paid or received in euros counts as it is ("Zahlbetrag laut Export");
- a market valuation (swap, staking, a fee paid in coins) uses the exchange's price where the
  export has one ("Kurs laut Export"), else our stored daily close in euros ("Tages-
  schlusskurs"), looked up with the `price_lookup` passed in; such transactions are marked
  `market` so that the reader's price setting can value them all by daily closes
  (`merge.settings_apply`);
- trades against US dollars and other fiat are converted with the coin's daily close.

Every row valued with our prices is counted (`ParsedUpload.valued_rows`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kryptowelt.calculators.tax.records import Transaction
from kryptowelt.calculators.tax.rules import FIAT, ZERO
from kryptowelt.calculators.tax.text import short_date
from kryptowelt.calculators.tax_import.errors import RowErrors
from kryptowelt.calculators.tax_import.records import ParsedUpload, PriceLookup

OWN_SOURCE = "eigene Angabe"
DAILY_PREFIX = "Tagesschlusskurs Kryptowelt"


def daily_source(day: dt.date) -> str:
    return f"{DAILY_PREFIX} (CoinGecko) vom {short_date(day)}"


def exchange_source(exchange: str) -> str:
    return f"Kurs laut Export ({exchange})"


def paid_source(exchange: str) -> str:
    return f"Zahlbetrag laut Export ({exchange})"


def lookup_quote(
    price_lookup: PriceLookup | None, coin: str, day: dt.date
) -> tuple[Decimal, dt.date] | None:
    """(€ close, day of that close) of `coin` on `day`, or None if we know none."""
    if coin == "EUR":
        return Decimal(1), day
    if price_lookup is None:
        return None
    answer = price_lookup(coin, day)
    if answer is None:
        return None
    price, used = answer if isinstance(answer, tuple) else (answer, day)
    return (price, used) if price > 0 else None


def lookup_price(price_lookup: PriceLookup | None, coin: str, day: dt.date) -> Decimal | None:
    quote = lookup_quote(price_lookup, coin, day)
    return quote[0] if quote else None


def no_price_message(coin: str, day: dt.date) -> str:
    return (
        f"für {coin} am {day.day:02d}.{day.month:02d}.{day.year} kennen wir keinen Euro-Kurs; "
        "bitte tragen Sie diese Zeile mit Euro-Wert in unserem Format ein."
    )


def _at_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


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
    fee_third: Decimal = ZERO,
    give_value: Decimal | None = None,
) -> None:
    """One exchange trade in which `give_amount + give_fee` of `give` left the account and
    `get_amount - get_fee` of `get` arrived. Becomes a Kauf, Verkauf or Tausch with euro
    values; a non-euro fiat side is converted with our stored € price of the coin.
    `fee_third` is the € value of a fee paid in a third coin (already recorded by
    `record_coin_fee`); `give_value` the € value of the coins given, if the export has it."""
    day = when.date()
    give_fiat, get_fiat = give in FIAT, get in FIAT
    append = result.transactions.append
    if give_fiat and get_fiat:
        result.skipped["Devisentausch ohne Kryptowährung"] += 1
        return
    if give_fiat:  # a purchase
        coins = get_amount - get_fee
        if coins <= 0:
            errors.add(row, "die gekaufte Menge ist nach Abzug der Gebühr nicht positiv.")
            return
        price_source, price_time = paid_source(source), when
        if give == "EUR":
            rate = Decimal(1)
        else:
            quote = lookup_quote(price_lookup, get, day)
            if quote is None:
                errors.add(row, no_price_message(get, day))
                return
            rate = quote[0] * get_amount / give_amount  # € per unit of the fiat currency
            price_source, price_time = daily_source(quote[1]), _at_midnight(quote[1])
            result.valued_rows += 1
        paid = give_amount * rate
        append(
            Transaction(
                row=row,
                when=when,
                kind="kauf",
                coin=get,
                amount=coins,
                price=paid / coins,
                fee=give_fee * rate,
                source=source,
                file=result.file,
                fee_third=fee_third,
                price_source=price_source,
                price_time=price_time,
            )
        )
        return
    if get_fiat:  # a sale
        coins = give_amount + give_fee
        price_source, price_time = paid_source(source), when
        if get == "EUR":
            rate = Decimal(1)
        else:
            quote = lookup_quote(price_lookup, give, day)
            if quote is None:
                errors.add(row, no_price_message(give, day))
                return
            rate = quote[0] * give_amount / get_amount
            price_source, price_time = daily_source(quote[1]), _at_midnight(quote[1])
            result.valued_rows += 1
        unit = get_amount * rate / give_amount  # € per coin
        append(
            Transaction(
                row=row,
                when=when,
                kind="verkauf",
                coin=give,
                amount=coins,
                price=unit,
                fee=get_fee * rate + give_fee * unit,
                source=source,
                file=result.file,
                fee_third=fee_third,
                price_source=price_source,
                price_time=price_time,
            )
        )
        return
    # Coin for coin: the export's value if it has one, else our daily € price of the coin
    # given, else of the coin received.
    given = give_amount + give_fee
    if give_value is not None and give_value > 0:
        unit_give = give_value / give_amount
        unit_get = unit_give * give_amount / get_amount
        price_source, price_time = exchange_source(source), when
    else:
        quote_give = lookup_quote(price_lookup, give, day)
        quote_get = lookup_quote(price_lookup, get, day)
        if quote_give is None and quote_get is None:
            errors.add(row, no_price_message(f"{give} und {get}", day))
            return
        if quote_give is not None:
            unit_give, used = quote_give
            unit_get = unit_give * give_amount / get_amount
        else:
            unit_get, used = quote_get
            unit_give = unit_get * get_amount / give_amount
        price_source, price_time = daily_source(used), _at_midnight(used)
        result.valued_rows += 1
    append(
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
            file=result.file,
            fee_third=fee_third,
            price_source=price_source,
            price_time=price_time,
            market=True,
        )
    )


def record_coin_fee(
    *,
    row: int,
    when: dt.datetime,
    coin: str,
    amount: Decimal,
    source: str,
    price_lookup: PriceLookup | None,
    result: ParsedUpload,
    errors: RowErrors,
    unit_price: Decimal | None = None,
) -> Decimal | None:
    """A fee paid in `coin`: a "Gebühr" disposal of those coins at their € value (the
    exchange's `unit_price` if known, else our daily close). Returns the fee's € value (zero
    for no fee, the amount itself for euros), or None after adding an error for the row."""
    if amount <= 0:
        return ZERO
    if coin == "EUR":
        return amount
    if coin in FIAT:
        errors.add(row, f"eine Gebühr in {coin} können wir nicht in Euro umrechnen.")
        return None
    if unit_price is not None and unit_price > 0:
        price_source, price_time = exchange_source(source), when
    else:
        quote = lookup_quote(price_lookup, coin, when.date())
        if quote is None:
            errors.add(row, "Gebühr: " + no_price_message(coin, when.date()))
            return None
        unit_price, used = quote
        price_source, price_time = daily_source(used), _at_midnight(used)
        result.valued_rows += 1
    result.transactions.append(
        Transaction(
            row=row,
            when=when,
            kind="gebuehr",
            coin=coin,
            amount=amount,
            price=unit_price,
            source=source,
            file=result.file,
            price_source=price_source,
            price_time=price_time,
            market=True,
        )
    )
    return amount * unit_price


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
    available: dt.datetime | None = None,
) -> None:
    """Staking, lending, airdrop or other income, valued on receipt (§ 22 Nr. 3 EStG)."""
    if unit_price is not None and unit_price > 0:
        price_source, price_time = exchange_source(source), when
    else:
        quote = lookup_quote(price_lookup, coin, when.date())
        if quote is None:
            errors.add(row, no_price_message(coin, when.date()))
            return
        unit_price, used = quote
        price_source, price_time = daily_source(used), _at_midnight(used)
        result.valued_rows += 1
    result.transactions.append(
        Transaction(
            row=row,
            when=when,
            kind=kind,
            coin=coin,
            amount=amount,
            price=unit_price,
            source=source,
            file=result.file,
            price_source=price_source,
            price_time=price_time,
            market=True,
            available=available,
        )
    )


def record_transfer(
    *, row: int, when: dt.datetime, kind: str, coin: str, amount: Decimal, source: str, result
) -> None:
    """A deposit ("einzahlung") or withdrawal ("auszahlung") of coins between the reader's own
    wallets: kept for the history and for explaining shortfalls, never taxed. Fiat transfers
    are only counted."""
    label = "Einzahlung" if kind == "einzahlung" else "Auszahlung"
    if coin in FIAT or not coin:
        result.skipped[f"{label} in Euro oder anderer Währung"] += 1
        return
    result.skipped[f"{label} Krypto (Übertrag, nicht steuerbar)"] += 1
    result.transactions.append(
        Transaction(
            row=row,
            when=when,
            kind=kind,
            coin=coin,
            amount=amount,
            price=ZERO,
            source=source,
            file=result.file,
        )
    )
