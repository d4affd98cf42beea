"""Synthetic exports of four exchanges for the tax benchmark (`calculators.py`): about
100,000 transactions over five years (2020–2024), in the formats of Bitpanda, Binance (trade
history), Kraken (ledgers) and Coinbase (transaction history), with made-up daily € prices.

Events are generated in time order over all exchanges together and sales never exceed what
is held at that moment, so that the merged history computes without errors: purchases,
sales and staking rewards of five coins, fees in BNB on Binance (valued with the prices),
swaps between coins on Kraken. Deterministic (fixed seed); nothing here is real data."""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal

COINS = ("BTC", "ETH", "SOL", "ADA", "DOT")
START_PRICES = {"BTC": 8000.0, "ETH": 150.0, "SOL": 2.0, "ADA": 0.05, "DOT": 4.0, "BNB": 15.0}
FIRST_DAY = dt.date(2020, 1, 1)
DAYS = 5 * 365 + 1  # 2020-01-01 … 2024-12-31


def daily_prices(seed: int = 20) -> dict[str, list[float]]:
    rnd = random.Random(seed)
    prices = {}
    for coin, start in START_PRICES.items():
        series, price = [], start
        for _ in range(DAYS):
            price *= math.exp(rnd.gauss(0.0008, 0.03))
            series.append(price)
        prices[coin] = series
    return prices


def price_lookup(prices: dict[str, list[float]]):
    """`(symbol, day) -> Decimal | None`, like the calculator's lookup of stored closes."""
    cache: dict[tuple[str, int], Decimal] = {}

    def lookup(coin: str, day: dt.date):
        index = (day - FIRST_DAY).days
        series = prices.get(coin)
        if series is None or not 0 <= index < DAYS:
            return None
        key = (coin, index)
        if key not in cache:
            cache[key] = Decimal(f"{series[index]:.8f}")
        return cache[key]

    return lookup


def exports(count: int = 100_000, seed: int = 23) -> tuple[list[tuple[str, bytes]], object]:
    """[(file name, bytes)] of the four exchanges and the price lookup for them."""
    rnd = random.Random(seed)
    prices = daily_prices()
    held = dict.fromkeys(COINS, 0.0)
    bnb = 0.0
    rows: dict[str, list[str]] = {"bitpanda": [], "binance": [], "kraken": [], "coinbase": []}
    step = dt.timedelta(seconds=(DAYS - 1) * 86400 / count)
    moment = dt.datetime(2020, 1, 1, 8, 0)
    for i in range(count):
        moment += step
        day = (moment.date() - FIRST_DAY).days
        exchange = rnd.choice(("bitpanda", "binance", "kraken", "coinbase"))
        coin = rnd.choice(COINS)
        price = prices[coin][day]
        kind = rnd.choices(("buy", "sell", "reward"), (55, 35, 10))[0]
        amount = round(rnd.uniform(20, 400) / price, 8)
        if kind == "sell":
            amount = round(min(amount, held[coin] * 0.5), 8)
            if amount <= 0:
                kind, amount = "buy", round(rnd.uniform(20, 400) / price, 8)
        if exchange == "binance" and bnb < 0.01:
            # A fee coin first: Binance charges its fees in BNB here.
            bnb_price = prices["BNB"][day]
            rows["binance"].append(_binance(moment, "BNB", "BUY", bnb_price, 0.2, 0.0, "BNB"))
            bnb += 0.2
        if kind == "reward":
            amount = round(amount / 50, 8) or 0.00000001
            held[coin] += amount
        elif kind == "buy":
            held[coin] += amount
        else:
            held[coin] -= amount
        value = amount * price
        if exchange == "bitpanda":
            rows[exchange].append(_bitpanda(i, moment, kind, coin, amount, price, value))
        elif exchange == "binance":
            if kind == "reward":  # the trade history has no rewards: a purchase instead
                kind = "buy"
            fee = 0.0005
            bnb -= fee
            side = "BUY" if kind == "buy" else "SELL"
            rows[exchange].append(_binance(moment, coin, side, price, amount, fee, "BNB"))
        elif exchange == "kraken":
            rows[exchange].extend(_kraken(i, moment, kind, coin, amount, value))
        else:
            rows[exchange].append(_coinbase(i, moment, kind, coin, amount, price, value))
    files = [
        ("bitpanda.csv", _BITPANDA_HEAD + "\n".join(rows["bitpanda"])),
        (
            "binance.csv",
            "Date(UTC),Pair,Side,Price,Executed,Amount,Fee\n" + "\n".join(rows["binance"]),
        ),
        ("kraken-ledgers.csv", _KRAKEN_HEAD + "\n".join(rows["kraken"])),
        ("coinbase.csv", _COINBASE_HEAD + "\n".join(rows["coinbase"])),
    ]
    return [(name, text.encode()) for name, text in files], price_lookup(prices)


_BITPANDA_HEAD = (
    '"Disclaimer: synthetic benchmark data"\n'
    "Transaction ID,Timestamp,Transaction Type,In/Out,Amount Fiat,Fiat,Amount Asset,Asset,"
    "Asset market price,Asset market price currency,Asset class,Product ID,Fee,Fee asset,"
    "Spread,Spread Currency,Tax Fiat\n"
)
_KRAKEN_HEAD = (
    '"txid","refid","time","type","subtype","aclass","asset","wallet","amount","fee","balance"\n'
)
_COINBASE_HEAD = (
    "Transactions\nUser,Synthetic,00000000\n"
    "ID,Timestamp,Transaction Type,Asset,Quantity Transacted,Price Currency,Price at Transaction,"
    "Subtotal,Total (inclusive of fees and/or spread),Fees and/or Spread,Notes\n"
)


def _bitpanda(i, moment, kind, coin, amount, price, value) -> str:
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    if kind == "reward":
        return (
            f"R{i},{stamp},reward,incoming,{value:.2f},EUR,{amount:.8f},{coin},{price:.8f},EUR,"
            "Cryptocurrency,5,-,-,-,-,-"
        )
    fee = max(round(value * 0.0149, 2), 0.01)
    fiat = value + fee if kind == "buy" else max(value - fee, 0.02)
    direction = "outgoing" if kind == "buy" else "incoming"
    return (
        f"T{i},{stamp},{kind},{direction},{fiat:.2f},EUR,{amount:.8f},{coin},{price:.8f},EUR,"
        f"Cryptocurrency,1,{fee:.8f},EUR,-,-,0.00"
    )


def _binance(moment, coin, side, price, amount, fee, fee_coin) -> str:
    total = amount * price
    return (
        f"{moment:%Y-%m-%d %H:%M:%S},{coin}EUR,{side},{price:.8f},{amount:.8f}{coin},"
        f"{total:.8f}EUR,{fee:.8f}{fee_coin}"
    )


def _kraken(i, moment, kind, coin, amount, value) -> list[str]:
    stamp = f"{moment:%Y-%m-%d %H:%M:%S}"
    if kind == "reward":
        return [
            f'"L{i}A","S{i}","{stamp}","staking","","currency","{coin}.S","staking",{amount:.10f},0,0'
        ]
    fee = round(value * 0.0026, 4)
    euro = -value if kind == "buy" else value  # the fee comes off the euro balance as well
    coins = amount if kind == "buy" else -amount
    return [
        f'"L{i}A","T{i}","{stamp}","trade","","currency","ZEUR","spot / main",{euro:.4f},{fee:.4f},0',
        f'"L{i}B","T{i}","{stamp}","trade","","currency","{coin}","spot / main",{coins:.10f},0,0',
    ]


def _coinbase(i, moment, kind, coin, amount, price, value) -> str:
    stamp = f"{moment:%Y-%m-%d %H:%M:%S} UTC"
    if kind == "reward":
        return (
            f"cb{i},{stamp},Staking Income,{coin},{amount:.8f},EUR,€{price:.8f},€{value:.2f},"
            f"€{value:.2f},€0.00,"
        )
    fee = round(value * 0.015, 2)
    label = "Buy" if kind == "buy" else "Sell"
    total = value + fee if kind == "buy" else value - fee
    return (
        f"cb{i},{stamp},{label},{coin},{amount:.8f},EUR,€{price:.8f},€{value:.2f},€{total:.2f},"
        f"€{fee:.2f},"
    )
