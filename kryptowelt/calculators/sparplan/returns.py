"""Return and risk figures: the money-weighted yearly return (XIRR) and the maximum
drawdown. Floats where the figure is only shown rounded; see each function."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from decimal import Decimal

from kryptowelt.calculators.sparplan.results import HUNDRED, ZERO, Drawdown


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
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


def rate_to_percent(rate: float | None) -> Decimal | None:
    if rate is None or not math.isfinite(rate):
        return None
    return Decimal(repr(rate)) * HUNDRED


def drawdown_indices(values: Sequence[float]) -> tuple[int, int] | None:
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
    found = drawdown_indices([float(value) for _, value in points])
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
