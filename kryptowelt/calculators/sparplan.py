"""Sparplan backtest: what a savings plan in one coin would really have returned.

Pure Python with `Decimal` and no Django, so it is tested and benchmarked on its own.

Rules (shown on the page, kept in one place here):
- On every interval date the plan spends `amount` euros (the debit from the reader's account).
  It buys at that day's closing price in euros; a day without a price moves the purchase to
  the next day that has one (never to a day after the end date).
- Monthly plans keep the start date's day of the month; in shorter months they buy on the
  last day (a plan started on the 31st buys on 30 April and 28/29 February).
- Fees per execution: `fee_percent` of the amount plus `fee_fixed` euros are deducted from the
  amount; the rest buys coins. A spread makes every purchase `spread_percent` dearer than the
  closing price. Valuation uses the plain closing price (no selling costs).
- The comparison invests the plan's total once, on the plan's first purchase day, with the
  same fee model applied to that single purchase.
- The annualised return of the plan is its money-weighted return (XIRR: the yearly rate at
  which the payments grow into the end value); for the one-off purchase it is the
  compound annual growth rate. Periods shorter than a year are not annualised.
- Maximum drawdown is the largest fall of the portfolio value from an earlier high, as the
  account would have shown it (new payments raise the value, so they are part of it).
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import math
from collections.abc import Sequence
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


# --- dates --------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months, clamped to the end of shorter months."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def schedule_dates(*, start: dt.date, end: dt.date, interval: str) -> list[dt.date]:
    """The plan's interval dates from `start` up to and including `end`.

    Monthly dates are counted from the start date (not from the previous date), so a plan
    started on the 31st returns to the 31st after a short month."""
    if interval not in INTERVALS:
        raise SparplanError(f"Unbekanntes Intervall „{interval}“.")
    dates: list[dt.date] = []
    if interval == "monatlich":
        n = 0
        while (day := add_months(start, n)) <= end:
            dates.append(day)
            n += 1
        return dates
    step = dt.timedelta(days=7 if interval == "woechentlich" else 14)
    day = start
    while day <= end:
        dates.append(day)
        day += step
    return dates


# --- maths --------------------------------------------------------------------------------


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    return part / whole * HUNDRED if whole else None


def xirr(flows: Sequence[tuple[dt.date, float]]) -> float | None:
    """Yearly rate r with sum(cf / (1 + r) ** (days / 365)) == 0 (Excel's XIRR convention).

    Floats are enough here: the rate is shown to one decimal place. Newton's method from
    10 %, falling back to bisection when it leaves the valid range; the payments of a
    savings plan (all outflows before one inflow) have exactly one root."""
    if len(flows) < 2:
        return None
    t0 = flows[0][0]
    times = [(day - t0).days / 365.0 for day, _ in flows]
    amounts = [amount for _, amount in flows]
    if not any(a > 0 for a in amounts) or not any(a < 0 for a in amounts):
        return -1.0 if not any(a > 0 for a in amounts) else None

    def npv(rate: float) -> float:
        base = 1.0 + rate
        return sum(a / base**t for a, t in zip(amounts, times, strict=True))

    rate = 0.1
    for _ in range(50):
        base = 1.0 + rate
        value = 0.0
        slope = 0.0
        for a, t in zip(amounts, times, strict=True):
            discounted = a / base**t
            value += discounted
            slope -= t * discounted / base
        if abs(value) < 1e-9 * max(1.0, abs(amounts[-1])):
            return rate
        if slope == 0:
            break
        new_rate = rate - value / slope
        if not math.isfinite(new_rate) or new_rate <= -0.999999:
            break
        if abs(new_rate - rate) < 1e-12:
            return new_rate
        rate = new_rate
    low, high = -0.999999, 1.0
    while npv(high) > 0 and high < 1e9:
        high *= 10
    if npv(low) < 0 or npv(high) > 0:
        return None
    for _ in range(200):
        mid = (low + high) / 2
        if npv(mid) > 0:
            low = mid
        else:
            high = mid
        if high - low < 1e-12:
            break
    return (low + high) / 2


def _rate_to_percent(rate: float | None) -> Decimal | None:
    if rate is None or not math.isfinite(rate):
        return None
    return Decimal(repr(rate)) * HUNDRED


def _drawdown_indices(values: Sequence[float]) -> tuple[int, int] | None:
    """(peak index, trough index) of the largest fall from a running high, or None."""
    peak_index = 0
    peak = values[0] if values else 0.0
    worst = 0.0
    found = None
    for index, value in enumerate(values):
        if value > peak:
            peak, peak_index = value, index
        elif peak > 0:
            change = value / peak - 1.0
            if change < worst:
                worst, found = change, (peak_index, index)
    return found


def max_drawdown(points: Sequence[tuple[dt.date, Decimal]]) -> Drawdown:
    """Largest fall from a running high, in percent of that high."""
    found = _drawdown_indices([float(value) for _, value in points])
    if found is None:
        return Drawdown(ZERO, None, ZERO, None, ZERO)
    (peak_day, peak_value), (trough_day, trough_value) = points[found[0]], points[found[1]]
    return Drawdown(
        (trough_value - peak_value) / peak_value * HUNDRED,
        peak_day,
        peak_value,
        trough_day,
        trough_value,
    )


# --- the backtest -------------------------------------------------------------------------


def history_span(series: Sequence[tuple[dt.date, Decimal]]) -> tuple[dt.date, dt.date] | None:
    return (series[0][0], series[-1][0]) if series else None


def sparplan_backtest(
    *,
    series: Sequence[tuple[dt.date, Decimal]],
    amount: Decimal,
    interval: str,
    start: dt.date,
    end: dt.date,
    fees: Fees | None = None,
    coin_name: str = "diese Kryptowährung",
) -> SparplanResult:
    """Backtest a savings plan on `series` ((day, close in €), ascending, one per day).

    A start before the first stored price or an end after the last one is moved to the
    data's edge, with a German note in `notes`; everything else that cannot work raises
    `SparplanError` with a German message."""
    fees = fees or Fees()
    if interval not in INTERVALS:
        raise SparplanError(f"Unbekanntes Intervall „{interval}“.")
    if amount <= 0:
        raise SparplanError("Der Sparbetrag muss größer als 0 € sein.")
    if end < start:
        raise SparplanError("Das Enddatum liegt vor dem Startdatum.")
    if fees.percent < 0 or fees.fixed < 0 or fees.spread_percent < 0:
        raise SparplanError("Gebühren können nicht negativ sein.")
    fee_one, net_one = fees.split(amount)
    if net_one <= 0:
        raise SparplanError(
            "Die Gebühr je Ausführung ist so hoch wie der Sparbetrag oder höher – "
            "es würde nichts gekauft."
        )
    if not series:
        raise SparplanError(f"Für {coin_name} liegen keine Kursdaten vor.")
    days = [day for day, _ in series]
    closes = [close for _, close in series]

    notes: list[str] = []
    first_day, last_day = days[0], days[-1]
    if end < first_day or start > last_day:
        raise SparplanError(
            f"Für {coin_name} liegen Kurse nur vom {_short(first_day)} bis "
            f"{_short(last_day)} vor; der gewählte Zeitraum liegt außerhalb."
        )
    anchor = start  # interval dates stay on the reader's day of the month
    if start < first_day:
        notes.append(
            f"Kurse für {coin_name} liegen erst ab dem {_short(first_day)} vor; "
            "der Sparplan beginnt deshalb mit dem ersten Kauftermin danach."
        )
        start = first_day
    if end > last_day:
        notes.append(
            f"Kurse für {coin_name} liegen bis zum {_short(last_day)} vor; "
            "die Rechnung endet an diesem Tag."
        )
        end = last_day

    # Purchases: each interval date executes on the first day with a price.
    purchases: list[Purchase] = []
    skipped = 0
    for scheduled in schedule_dates(start=anchor, end=end, interval=interval):
        if scheduled < first_day:
            continue
        index = bisect.bisect_left(days, scheduled)
        if index >= len(days) or days[index] > end:
            skipped += 1
            continue
        close = closes[index]
        price = fees.execution_price(close)
        purchases.append(
            Purchase(
                scheduled=scheduled,
                executed=days[index],
                close=close,
                price=price,
                amount=amount,
                fee=fee_one,
                coins=net_one / price,
            )
        )
    if not purchases:
        raise SparplanError("Im gewählten Zeitraum fällt kein Kauftermin auf einen Tag mit Kurs.")
    if skipped:
        notes.append(
            f"{skipped} Kauftermin(e) am Ende des Zeitraums hatten bis zum Enddatum keinen "
            "Kurs mehr und wurden nicht ausgeführt."
        )

    first_buy = purchases[0].executed
    begin = bisect.bisect_left(days, first_buy)
    stop = bisect.bisect_right(days, end)

    # One-off purchase of the same total on the first purchase day.
    invested = amount * len(purchases)
    lump_fee, lump_net = fees.split(invested)
    lump_close = closes[begin]
    lump_coins = lump_net / fees.execution_price(lump_close) if lump_net > 0 else ZERO

    # Coins and payments after each purchase, for exact values on any day.
    cumulative_coins: list[Decimal] = []
    cumulative_paid: list[Decimal] = []
    coins = ZERO
    for purchase in purchases:
        coins += purchase.coins
        cumulative_coins.append(coins)
        cumulative_paid.append(amount * len(cumulative_paid) + amount)
    executed = [p.executed for p in purchases]

    def exact(index: int) -> tuple[Decimal, Decimal, Decimal]:
        """(paid, value, lump-sum value) on days[index], in Decimal."""
        bought = bisect.bisect_right(executed, days[index])
        held = cumulative_coins[bought - 1] if bought else ZERO
        paid = cumulative_paid[bought - 1] if bought else ZERO
        return paid, held * closes[index], lump_coins * closes[index]

    # Daily chart values from the first purchase to the end, in floats. Built segment by
    # segment (holdings only change on purchase days) with list operations: this loop runs
    # over thousands of days on every page view.
    window = closes[begin:stop]
    if any(close <= 0 for close in window):
        raise SparplanError(f"Die Kursdaten für {coin_name} enthalten ungültige Preise.")
    closes_f = [float(close) for close in window]
    count = len(closes_f)
    held_by_day: list[float] = []
    paid_by_day: list[float] = []
    starts = [bisect.bisect_left(days, day, begin, stop) - begin for day in executed]
    for index, first in enumerate(starts):
        following = starts[index + 1] if index + 1 < len(starts) else count
        if following > first:
            length = following - first
            held_by_day.extend([float(cumulative_coins[index])] * length)
            paid_by_day.extend([float(cumulative_paid[index])] * length)
    values_f = [held * close for held, close in zip(held_by_day, closes_f, strict=True)]
    lump_coins_f = float(lump_coins)
    lump_f = [lump_coins_f * close for close in closes_f]
    profits_f = [value - paid for value, paid in zip(values_f, paid_by_day, strict=True)]
    worst_profit_index = begin + min(range(count), key=profits_f.__getitem__)
    paid_worst, value_worst, _ = exact(worst_profit_index)
    worst_profit = value_worst - paid_worst
    worst_profit_day = days[worst_profit_index]

    def drawdown_of(values: list[float], pick: int) -> Drawdown:
        found = _drawdown_indices(values)
        if found is None:
            return Drawdown(ZERO, None, ZERO, None, ZERO)
        peak_i, trough_i = begin + found[0], begin + found[1]
        peak_value, trough_value = exact(peak_i)[pick], exact(trough_i)[pick]
        return Drawdown(
            (trough_value - peak_value) / peak_value * HUNDRED,
            days[peak_i],
            peak_value,
            days[trough_i],
            trough_value,
        )

    end_day = days[stop - 1]
    end_close = closes[stop - 1]
    coins = cumulative_coins[-1]
    value = coins * end_close
    profit = value - invested
    fees_total = sum((p.fee for p in purchases), ZERO)
    span_days = (end_day - first_buy).days
    annualised = None
    lump_annualised = None
    if span_days >= MIN_DAYS_FOR_ANNUALISED:
        flows = [(p.executed, -float(p.amount)) for p in purchases]
        flows.append((end_day, float(value)))
        annualised = _rate_to_percent(xirr(flows))
        lump_value_end = lump_coins * end_close
        if lump_value_end > 0:
            lump_annualised = _rate_to_percent(
                (float(lump_value_end) / float(invested)) ** (365.0 / span_days) - 1
            )
        else:
            lump_annualised = Decimal(-100)

    lump_value = lump_coins * end_close
    lump = LumpSum(
        day=first_buy,
        close=lump_close,
        invested=invested,
        fee=lump_fee,
        coins=lump_coins,
        value=lump_value,
        profit=lump_value - invested,
        profit_percent=_percent(lump_value - invested, invested),
        annualised_percent=lump_annualised,
        max_drawdown=drawdown_of(lump_f, 2),
    )

    # The last stored day of each year, for the table.
    year_ends: list[int] = []
    for i in range(begin, stop):
        if i == stop - 1 or days[i + 1].year != days[i].year:
            year_ends.append(i)
    years = _year_rows(purchases, [(days[i], *exact(i)[:2]) for i in year_ends])

    return SparplanResult(
        start=start,
        end=end_day,
        interval=interval,
        amount=amount,
        fees=fees,
        purchases=purchases,
        invested=invested,
        fees_total=fees_total,
        coins=coins,
        average_price=(invested - fees_total) / coins,
        end_close=end_close,
        value=value,
        profit=profit,
        profit_percent=_percent(profit, invested),
        annualised_percent=annualised,
        max_drawdown=drawdown_of(values_f, 1),
        worst_profit=worst_profit,
        worst_profit_day=worst_profit_day,
        lump_sum=lump,
        chart_days=days[begin:stop],
        chart_invested=paid_by_day,
        chart_value=values_f,
        chart_lump=lump_f,
        years=years,
        notes=notes,
    )


def _year_rows(
    purchases: list[Purchase], year_ends: list[tuple[dt.date, Decimal, Decimal]]
) -> list[YearRow]:
    """Per calendar year: payments, coins bought, holdings, and the value on the year's last
    day with a price (`year_ends`: (day, paid so far, value), one per year)."""
    by_year: dict[int, list[Purchase]] = {}
    for purchase in purchases:
        by_year.setdefault(purchase.executed.year, []).append(purchase)
    rows = []
    coins_total = ZERO
    for day, paid, value in year_ends:
        bought = by_year.get(day.year, [])
        invested = sum((p.amount for p in bought), ZERO)
        fees = sum((p.fee for p in bought), ZERO)
        coins = sum((p.coins for p in bought), ZERO)
        coins_total += coins
        profit = value - paid
        rows.append(
            YearRow(
                year=day.year,
                invested=invested,
                fees=fees,
                coins_bought=coins,
                average_price=(invested - fees) / coins if coins else None,
                coins_total=coins_total,
                invested_total=paid,
                value_end=value,
                value_day=day,
                profit=profit,
                profit_percent=_percent(profit, paid),
            )
        )
    return rows


def _short(day: dt.date) -> str:
    return f"{day.day:02d}.{day.month:02d}.{day.year}"
