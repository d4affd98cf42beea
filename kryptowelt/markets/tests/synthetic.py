"""SYNTHETIC price history for tests – invented numbers, not real prices.

Writes CSV files in the formats `kryptowelt import_prices` and `kryptowelt import_fx` read
(the same columns as the real exports: `date,open,high,low,close,volume` and
`date,usd_per_eur`). Prices are a seeded random walk, so every run writes the same files;
years of daily rows are generated instead of committed.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

CENT = Decimal("0.01")


def random_walk(
    *, start: dt.date, end: dt.date, first: Decimal, seed: int, volatility: float = 0.04
) -> list[tuple[dt.date, Decimal]]:
    """One close per calendar day from `start` to `end`, beginning with `first`."""
    rng = random.Random(seed)  # noqa: S311 - test data, not cryptography
    rows, value, day = [], float(first), start
    while day <= end:
        rows.append((day, max(CENT, Decimal(repr(value)).quantize(CENT))))
        value *= 1 + rng.gauss(0.002, volatility)
        value = max(value, 0.5)
        day += dt.timedelta(days=1)
    rows[0] = (start, first)
    return rows


def ecb_rates(*, start: dt.date, end: dt.date, seed: int) -> list[tuple[dt.date, Decimal]]:
    """US dollars per euro on working days only (no rates on weekends, as at the ECB)."""
    rng = random.Random(seed)  # noqa: S311 - test data, not cryptography
    rows, rate, day = [], 1.40, start
    while day <= end:
        if day.weekday() < 5:
            rows.append((day, Decimal(f"{rate:.4f}")))
            rate = min(1.50, max(1.05, rate + rng.gauss(0, 0.006)))
        day += dt.timedelta(days=1)
    return rows


def prices_csv(rows: list[tuple[dt.date, Decimal]], *, ohlc: bool) -> str:
    """Like the real exports: all columns filled, or (ohlc=False) only date and close."""
    lines = ["date,open,high,low,close,volume"]
    previous = rows[0][1]
    for day, close in rows:
        if ohlc:
            high, low = (
                max(previous, close) * Decimal("1.01"),
                min(previous, close) * Decimal("0.99"),
            )
            lines.append(
                f"{day},{previous},{high.quantize(CENT)},{low.quantize(CENT)},{close},1234.5"
            )
        else:
            lines.append(f"{day},,,,{close},")
        previous = close
    return "\n".join(lines) + "\n"


@dataclass
class History:
    usd_path: Path
    eur_path: Path
    fx_path: Path
    usd: list[tuple[dt.date, Decimal]]
    eur: list[tuple[dt.date, Decimal]]
    fx: list[tuple[dt.date, Decimal]]


def bitcoin_like_history(folder: Path) -> History:
    """About six years of invented daily closes, shaped like the real bitcoin exports: USD
    from 2011-08-18 (first close 10.9) to 2016-12-31 with all columns, EUR from 2012-01-01
    (first close 3.53) to 2017-06-30 with only the close, ECB rates from 2011-08-01."""
    usd = random_walk(
        start=dt.date(2011, 8, 18), end=dt.date(2016, 12, 31), first=Decimal("10.9"), seed=1
    )
    eur = random_walk(
        start=dt.date(2012, 1, 1), end=dt.date(2017, 6, 30), first=Decimal("3.53"), seed=2
    )
    fx = ecb_rates(start=dt.date(2011, 8, 1), end=dt.date(2017, 6, 30), seed=3)
    history = History(
        usd_path=folder / "btc-usd-daily.csv",
        eur_path=folder / "btc-eur-daily.csv",
        fx_path=folder / "eur-usd-ecb-daily.csv",
        usd=usd,
        eur=eur,
        fx=fx,
    )
    history.usd_path.write_text(prices_csv(usd, ohlc=True), encoding="utf-8")
    history.eur_path.write_text(prices_csv(eur, ohlc=False), encoding="utf-8")
    history.fx_path.write_text(
        "date,usd_per_eur\n" + "".join(f"{day},{rate}\n" for day, rate in fx), encoding="utf-8"
    )
    return history
