"""Binance transaction history statement (Wallet → Transaction History → Export → "Generate
all statements"): `User_ID, UTC_Time, Account, Operation, Coin, Change, Remark` (older exports
without `User_ID`); one row per change of one coin's balance in one account, times in UTC,
English numbers, negative changes leave the account. The operation names follow public
readers (BittyTax, cryptoTax; see `docs/calculators.md`); Binance publishes no list.

A trade is several rows with the same time: "Transaction Buy"/"Transaction Spend"/"Transaction
Fee"/"Transaction Sold"/"Transaction Revenue" (older: "Buy", "Sell", "Fee"), "Binance Convert",
"Large OTC trading", "Buy Crypto With Card". We sum each coin's changes at that second: one coin
in and one coin out make one trade (several fills of one order add up); a fee in a third coin
(BNB) is a disposal of it. More than one coin in or out at the same second cannot be paired
without guessing: those rows are named, and the trade history export helps. Small balances
converted to BNB ("Small assets exchange BNB") are one swap per coin, the BNB split by the
coins' € values.

Income (§ 22 Nr. 3 EStG, valued with our daily close): staking (Staking Rewards, Simple Earn
Locked Rewards, ETH 2.0 Staking Rewards, POS savings interest, …), lending (Simple Earn
Flexible Interest, Savings Interest, …), airdrops (Airdrop Assets, HODLer Airdrops
Distribution, Launchpool Airdrop, Megadrop Rewards, Distribution), other (referral
commissions, vouchers, Crypto Box, card cashback). Moves between the reader's own Binance
accounts (Earn subscriptions and redemptions, spot/funding transfers) are skipped; deposits and
withdrawals are transfers between own wallets; futures and margin accounts are not computed.

If the trade history of the same account is uploaded as well, the statement's trades are left
out (`merge`), so that nothing is counted twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kryptowelt.calculators.tax.rules import FIAT, ZERO
from kryptowelt.calculators.tax_import.columns import (
    at,
    coin_symbol,
    first_column,
    has_any,
    number,
)
from kryptowelt.calculators.tax_import.parsing import exchange_time
from kryptowelt.calculators.tax_import.records import ParsedUpload, PriceLookup, Table, count_row
from kryptowelt.calculators.tax_import.registry import FileFormat, register
from kryptowelt.calculators.tax_import.valuation import (
    lookup_quote,
    no_price_message,
    record_coin_fee,
    record_income,
    record_trade,
    record_transfer,
)

SOURCE = "Binance"
# Trades derived from the statement carry this source, so that `merge` can leave them out
# when the trade history is uploaded too.
TRADE_SOURCE = "Binance (Kontoauszug)"
_TRADE = {
    "buy",
    "sell",
    "transaction related",
    "transaction buy",
    "transaction spend",
    "transaction sold",
    "transaction revenue",
    "binance convert",
    "large otc trading",
    "buy crypto with card",
}
_FEE = {"fee", "transaction fee"}
_DUST = {"small assets exchange bnb", "small asset exchange bnb"}
_INCOME = {
    "staking rewards": "staking",
    "eth 2.0 staking rewards": "staking",
    "simple earn locked rewards": "staking",
    "pos savings interest": "staking",
    "bnb vault rewards": "staking",
    "dot slot auction rewards": "staking",
    "launchpool earnings withdrawal": "staking",
    "simple earn flexible interest": "lending",
    "savings interest": "lending",
    "savings distribution": "lending",
    "launchpool interest": "lending",
    "airdrop assets": "airdrop",
    "hodler airdrops distribution": "airdrop",
    "launchpool airdrop": "airdrop",
    "megadrop rewards": "airdrop",
    "simple earn flexible airdrop": "airdrop",
    "distribution": "airdrop",
    "commission history": "einnahme",
    "referral kickback": "einnahme",
    "referral commission": "einnahme",
    "commission rebate": "einnahme",
    "commission fee shared with you": "einnahme",
    "cash voucher distribution": "einnahme",
    "campaign related reward": "einnahme",
    "crypto box": "einnahme",
    "binance card cashback": "einnahme",
}
_INTERNAL = {
    "transfer_in",
    "transfer_out",
    "savings purchase",
    "savings principal redemption",
    "pos savings purchase",
    "pos savings redemption",
    "staking purchase",
    "staking redemption",
    "simple earn locked subscription",
    "simple earn locked redemption",
    "simple earn flexible subscription",
    "simple earn flexible redemption",
    "transfer between main and funding wallet",
    "transfer between spot account and um futures account",
    "transfer between spot account and cm futures account",
    "transfer between main account/futures and margin account",
    "launchpool subscription/redemption",
    "launchpad subscribe",
    "eth 2.0 staking",
}
_TRANSFERS = {
    "deposit": "einzahlung",
    "fiat deposit": "einzahlung",
    "crypto deposit": "einzahlung",
    "withdraw": "auszahlung",
    "withdrawal": "auszahlung",
    "fiat withdraw": "auszahlung",
    "fiat withdrawal": "auszahlung",
    "send": "auszahlung",
}
_DERIVATIVE_ACCOUNTS = {
    "usdt-futures",
    "usd-mfutures",
    "usd-m futures",
    "coin-m futures",
    "isolated margin",
    "crossmargin",
    "cross margin",
    "options",
}

_BNB_STEP = Decimal("1e-12")
Change = tuple[int, str, Decimal, bool]  # (row, coin, change, is a fee row)


def _detect(names: frozenset[str]) -> bool:
    return has_any(names, ("utc_time",), ("account",), ("operation",), ("coin",), ("change",))


def _parse(table: Table, result: ParsedUpload, price_lookup: PriceLookup | None) -> None:
    c, errors = table.columns, table.errors
    result.exchange = SOURCE
    col = {
        key: first_column(c, key) for key in ("utc_time", "account", "operation", "coin", "change")
    }
    groups: dict[tuple[dt.datetime, str, str], list[Change]] = {}
    for row, cells in table.rows:
        if not count_row(result, errors):
            break
        operation = at(cells, col["operation"]).lower()
        account = at(cells, col["account"]).lower()
        if account in _DERIVATIVE_ACCOUNTS:
            result.skipped["Futures und Margin (nicht berechnet)"] += 1
            continue
        if operation in _INTERNAL:
            result.skipped["Übertrag zwischen eigenen Binance-Konten (z. B. Earn)"] += 1
            continue
        try:
            when = exchange_time(at(cells, col["utc_time"]))
        except ValueError:
            errors.add(row, f"„{at(cells, col['utc_time'])[:40]}“ ist kein lesbarer Zeitstempel.")
            continue
        try:
            change = number(at(cells, col["change"]))
        except ValueError as exc:
            errors.add(row, f"unlesbarer Wert ({exc}).")
            continue
        coin = coin_symbol(at(cells, col["coin"]))
        if change == 0:
            result.skipped["Buchung ohne Betrag"] += 1
            continue
        if operation in _TRADE or operation in _FEE:
            groups.setdefault((when, account, "trade"), []).append(
                (row, coin, change, operation in _FEE)
            )
        elif operation in _DUST:
            groups.setdefault((when, account, "dust"), []).append((row, coin, change, False))
        elif operation in _INCOME:
            if change < 0:
                # e.g. a "Distribution" that takes coins away in a token swap
                errors.add(
                    row,
                    f"„{at(cells, col['operation'])[:40]}“ mit negativem Betrag "
                    "können wir nicht zuordnen; bitte in unserem Format eintragen.",
                )
                continue
            if coin in FIAT:
                result.skipped["Erträge in Euro/Fiat (nicht berechnet)"] += 1
                continue
            record_income(
                row=row,
                when=when,
                kind=_INCOME[operation],
                coin=coin,
                amount=change,
                unit_price=None,
                source=SOURCE,
                price_lookup=price_lookup,
                result=result,
                errors=errors,
            )
        elif operation in _TRANSFERS:
            record_transfer(
                row=row,
                when=when,
                kind=_TRANSFERS[operation],
                coin=coin,
                amount=abs(change),
                source=SOURCE,
                result=result,
            )
        else:
            errors.add(
                row,
                f"den Binance-Vorgang „{at(cells, col['operation'])[:40]}“ kennen wir nicht; "
                "bitte tragen Sie ihn in unserem Format ein.",
            )
    for (when, _, kind), changes in groups.items():
        if kind == "dust":
            _dust(when, changes, result, errors, price_lookup)
        else:
            _trade(when, changes, result, errors, price_lookup)
    errors.raise_if_any()


def _sums(changes: list[Change]):
    """Per coin: what came in, what left (fees apart), and the fees."""
    incoming: dict[str, Decimal] = {}
    outgoing: dict[str, Decimal] = {}
    fees: dict[str, Decimal] = {}
    for _, coin, change, is_fee in changes:
        side = fees if is_fee else incoming if change > 0 else outgoing
        side[coin] = side.get(coin, ZERO) + abs(change)
    return incoming, outgoing, fees


def _trade(when, changes: list[Change], result, errors, price_lookup) -> None:
    """All trade rows of one second: one coin in and one coin out (fills of one order add
    up); fees in the coin received or given reduce those amounts, a fee in a third coin is
    a disposal of that coin."""
    row = changes[0][0]
    incoming, outgoing, fees = _sums(changes)
    if len(incoming) != 1 or len(outgoing) != 1:
        errors.add(row, _ambiguous(len(changes)))
        return
    [(get, get_amount)] = incoming.items()
    [(give, give_amount)] = outgoing.items()
    fee_third = ZERO
    for coin, amount in fees.items():
        if coin in {get, give}:
            continue
        value = record_coin_fee(
            row=row,
            when=when,
            coin=coin,
            amount=amount,
            source=TRADE_SOURCE,
            price_lookup=price_lookup,
            result=result,
            errors=errors,
        )
        if value is None:
            return
        fee_third += value
    record_trade(
        row=row,
        when=when,
        give=give,
        give_amount=give_amount,
        give_fee=fees.get(give, ZERO),
        get=get,
        get_amount=get_amount,
        get_fee=fees.get(get, ZERO),
        source=TRADE_SOURCE,
        price_lookup=price_lookup,
        result=result,
        errors=errors,
        fee_third=fee_third,
    )


def _dust(when, changes: list[Change], result, errors, price_lookup) -> None:
    """Small balances converted into BNB: one swap per coin, BNB split by € value."""
    row = changes[0][0]
    incoming, outgoing, _ = _sums(changes)
    bnb = incoming.get("BNB", ZERO)
    outgoing.pop("BNB", None)
    if bnb <= 0 or not outgoing:
        errors.add(row, "die Umwandlung von Kleinstbeträgen in BNB ist unvollständig.")
        return
    values = {}
    for coin, amount in outgoing.items():
        quote = lookup_quote(price_lookup, coin, when.date())
        if quote is None:
            errors.add(row, no_price_message(coin, when.date()))
            return
        values[coin] = quote[0] * amount
    total = sum(values.values(), ZERO)
    if total <= 0:
        errors.add(row, "die umgewandelten Kleinstbeträge haben keinen Euro-Wert.")
        return
    given = ZERO
    coins = sorted(outgoing)
    for index, coin in enumerate(coins):
        last = index == len(coins) - 1
        share = bnb - given if last else (bnb * values[coin] / total).quantize(_BNB_STEP)
        given += share
        record_trade(
            row=row,
            when=when,
            give=coin,
            give_amount=outgoing[coin],
            give_fee=ZERO,
            get="BNB",
            get_amount=share,
            get_fee=ZERO,
            source=TRADE_SOURCE,
            price_lookup=price_lookup,
            result=result,
            errors=errors,
        )


def _ambiguous(rows: int) -> str:
    return (
        f"{rows} Buchungen derselben Sekunde lassen sich nicht eindeutig zu einem Handel "
        "zusammenfügen (mehrere Coins gekauft oder verkauft). Bitte laden Sie zusätzlich den "
        "Handelsverlauf (Trade History) von Binance hoch."
    )


register(
    FileFormat(
        name="binance_statement",
        label="Binance (Kontoauszug)",
        detect=_detect,
        parse=_parse,
        priority=30,
    )
)
