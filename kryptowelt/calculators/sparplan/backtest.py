"""Sparplan backtest: what a savings plan in one coin would really have returned.

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
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from kryptowelt.calculators.sparplan.results import (
    HUNDRED,
    INTERVALS,
    MIN_DAYS_FOR_ANNUALISED,
    ZERO,
    Drawdown,
    Fees,
    LumpSum,
    Purchase,
    SparplanError,
    SparplanResult,
    YearRow,
)
from kryptowelt.calculators.sparplan.returns import (
    drawdown_indices,
    percent,
    rate_to_percent,
    xirr,
)
from kryptowelt.calculators.sparplan.schedule import schedule_dates


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
        found = drawdown_indices(values)
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
        annualised = rate_to_percent(xirr(flows))
        lump_value_end = lump_coins * end_close
        if lump_value_end > 0:
            lump_annualised = rate_to_percent(
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
        profit_percent=percent(lump_value - invested, invested),
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
        profit_percent=percent(profit, invested),
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
                profit_percent=percent(profit, paid),
            )
        )
    return rows


def _short(day: dt.date) -> str:
    return f"{day.day:02d}.{day.month:02d}.{day.year}"
