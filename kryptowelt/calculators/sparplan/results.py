"""The inputs and results of a Sparplan backtest: the fee model, each purchase, the yearly
table, the one-off comparison and the whole result."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

INTERVALS = {
    "woechentlich": "wöchentlich",
    "zweiwoechentlich": "alle zwei Wochen",
    "monatlich": "monatlich",
}
HUNDRED = Decimal(100)
ZERO = Decimal(0)
MIN_DAYS_FOR_ANNUALISED = 365


class SparplanError(ValueError):
    """Input the backtest cannot work with; the message is German and shown to the reader."""


@dataclass(frozen=True)
class Fees:
    percent: Decimal = ZERO
    fixed: Decimal = ZERO
    spread_percent: Decimal = ZERO

    def split(self, amount: Decimal) -> tuple[Decimal, Decimal]:
        """(fee, net amount that buys coins) for one execution of `amount` euros."""
        fee = amount * self.percent / HUNDRED + self.fixed
        return fee, amount - fee

    def execution_price(self, close: Decimal) -> Decimal:
        return close * (1 + self.spread_percent / HUNDRED)

    @property
    def is_zero(self) -> bool:
        return not (self.percent or self.fixed or self.spread_percent)


@dataclass(frozen=True)
class Purchase:
    scheduled: dt.date
    executed: dt.date
    close: Decimal
    price: Decimal  # paid per coin, including the spread
    amount: Decimal  # euros debited
    fee: Decimal
    coins: Decimal

    @property
    def moved(self) -> bool:
        return self.executed != self.scheduled


class ValuePoint(NamedTuple):
    """One day of the chart. Floats: only drawn, never summed or shown as a figure (the
    figures are recomputed in Decimal for the days they describe)."""

    day: dt.date
    invested: float
    value: float
    lump_value: float


@dataclass(frozen=True)
class Drawdown:
    percent: Decimal  # negative, e.g. -54.3; zero if the value never fell
    peak_day: dt.date | None
    peak_value: Decimal
    trough_day: dt.date | None
    trough_value: Decimal


@dataclass(frozen=True)
class YearRow:
    year: int
    invested: Decimal
    fees: Decimal
    coins_bought: Decimal
    average_price: Decimal | None
    coins_total: Decimal
    invested_total: Decimal
    value_end: Decimal
    value_day: dt.date
    profit: Decimal
    profit_percent: Decimal | None


@dataclass(frozen=True)
class LumpSum:
    day: dt.date
    close: Decimal
    invested: Decimal
    fee: Decimal
    coins: Decimal
    value: Decimal
    profit: Decimal
    profit_percent: Decimal | None
    annualised_percent: Decimal | None
    max_drawdown: Drawdown


@dataclass(frozen=True)
class SparplanResult:
    start: dt.date
    end: dt.date
    interval: str
    amount: Decimal
    fees: Fees
    purchases: list[Purchase]
    invested: Decimal
    fees_total: Decimal
    coins: Decimal
    average_price: Decimal
    end_close: Decimal
    value: Decimal
    profit: Decimal
    profit_percent: Decimal | None
    annualised_percent: Decimal | None
    max_drawdown: Drawdown
    worst_profit: Decimal
    worst_profit_day: dt.date
    lump_sum: LumpSum
    # The daily chart data, one entry per day with a price from the first purchase to the
    # end (floats: drawn, never shown as figures).
    chart_days: list[dt.date]
    chart_invested: list[float]
    chart_value: list[float]
    chart_lump: list[float]
    years: list[YearRow]
    notes: list[str] = field(default_factory=list)

    @property
    def moved_purchases(self) -> int:
        return sum(1 for p in self.purchases if p.moved)

    @property
    def series(self) -> list[ValuePoint]:
        return list(
            map(ValuePoint, self.chart_days, self.chart_invested, self.chart_value, self.chart_lump)
        )
