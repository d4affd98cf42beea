"""Scales and ticks: value → position, round value ticks, readable time ticks.

Time ticks are calendar-aware (midnights, Mondays, month and year starts in the given time
zone) and carry their unit; the caller turns (moment, unit) into a label."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

MAX_VALUE_TICKS = 12

# Time tick units, finest first, with their approximate length in seconds.
TIME_UNITS = ("hour", "day", "week", "month", "year")
_UNIT_SECONDS = {
    "hour": 3600.0,
    "day": 86400.0,
    "week": 7 * 86400.0,
    "month": 30.44 * 86400.0,
    "year": 365.25 * 86400.0,
}
# (unit, every n units), finest first: the first that yields few enough ticks wins.
_TIME_STEPS = (
    *(("hour", n) for n in (1, 2, 3, 4, 6, 12)),
    *(("day", n) for n in (1, 2, 3)),
    *(("week", n) for n in (1, 2, 3, 4)),
    *(("month", n) for n in (1, 2, 3, 4, 6)),
    *(("year", n) for n in (1, 2, 3, 4, 5, 10, 20, 25, 50, 100)),
)


@dataclass(frozen=True)
class LinearScale:
    """Maps the domain [d0, d1] linearly onto the range [r0, r1] (either may be reversed)."""

    d0: float
    d1: float
    r0: float
    r1: float

    def __call__(self, value: float) -> float:
        span = (self.d1 - self.d0) or 1.0
        return self.r0 + (value - self.d0) / span * (self.r1 - self.r0)


@dataclass(frozen=True)
class TimeTick:
    at: float  # epoch seconds
    moment: dt.datetime  # the same instant in the chart's time zone
    unit: str  # one of TIME_UNITS: what the label should name


def nice_step(raw: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^k that is at least `raw` (> 0)."""
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About `count` round tick values (steps of 1, 2, 2.5 or 5 × 10^k) covering [low, high];
    a flat series gets a small band around its value."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return []
    if high <= low:
        spread = abs(high) * 0.01 or 1.0
        low, high = low - spread, high + spread
    step = nice_step((high - low) / max(count - 1, 1))
    start = math.floor(low / step) * step
    ticks = [round(start, 12)]
    while ticks[-1] < high - step * 1e-9 and len(ticks) < MAX_VALUE_TICKS:
        ticks.append(round(start + len(ticks) * step, 12))
    if len(ticks) == 1:
        ticks.append(round(start + step, 12))
    return ticks


def step_decimals(step: float) -> int:
    """Decimal places that tell ticks `step` apart (2.5 steps need one more than 2 or 5)."""
    if step >= 1:
        return 0 if step >= 10 or step % 1 == 0 else 1
    return min(10, max(2, -math.floor(math.log10(step)) + 1))


def _time_step(span: float, max_ticks: int, finest: str) -> tuple[str, int]:
    allowed = TIME_UNITS[TIME_UNITS.index(finest) :]
    for unit, every in _TIME_STEPS:
        if unit in allowed and span / (every * _UNIT_SECONDS[unit]) <= max_ticks:
            return unit, every
    return "year", max(1, math.ceil(span / _UNIT_SECONDS["year"] / max_ticks))


def _midnight(moment: dt.datetime) -> dt.datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def _next_day(moment: dt.datetime, days: int, tz: dt.tzinfo) -> dt.datetime:
    """The midnight `days` calendar days later (correct across daylight saving changes)."""
    return dt.datetime.combine(moment.date() + dt.timedelta(days=days), dt.time(), tz)


def _candidates(start: dt.datetime, end: dt.datetime, unit: str, every: int, tz: dt.tzinfo):
    """Calendar boundaries of `unit` from `start` to `end`, every `every`-th of them."""
    if unit == "hour":
        current = start.replace(minute=0, second=0, microsecond=0)
        while current <= end:
            if current.hour % every == 0:
                yield current
            current = (current + dt.timedelta(hours=1)).astimezone(tz)
            current = current.replace(minute=0, second=0, microsecond=0)
    elif unit == "day":
        current, index = _midnight(start), 0
        while current <= end:
            if index % every == 0:
                yield current
            current, index = _next_day(current, 1, tz), index + 1
    elif unit == "week":
        current = _midnight(start)
        current = _next_day(current, (7 - current.weekday()) % 7, tz)  # Mondays
        while current <= end:
            yield current
            current = _next_day(current, 7 * every, tz)
    elif unit == "month":
        year, month = start.year, start.month
        while (current := dt.datetime(year, month, 1, tzinfo=tz)) <= end:
            if (month - 1) % every == 0:
                yield current
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    else:
        year = start.year
        while (current := dt.datetime(year, 1, 1, tzinfo=tz)) <= end:
            if year % every == 0:
                yield current
            year += 1


def time_ticks(
    t0: float, t1: float, tz: dt.tzinfo, *, max_ticks: int = 6, finest: str = "hour"
) -> list[TimeTick]:
    """Ticks at calendar boundaries within [t0, t1] (epoch seconds): full hours, midnights,
    Mondays, month starts or year starts, whichever is the finest that gives at most about
    `max_ticks` ticks; never finer than `finest`. A month tick in January names the year."""
    if not (math.isfinite(t0) and math.isfinite(t1)) or t1 <= t0:
        return []
    unit, every = _time_step(t1 - t0, max_ticks, finest)
    start = dt.datetime.fromtimestamp(t0, tz)
    end = dt.datetime.fromtimestamp(t1, tz)
    ticks = []
    for moment in _candidates(start, end, unit, every, tz):
        if moment < start:
            continue
        label_unit = "year" if unit == "month" and moment.month == 1 else unit
        ticks.append(TimeTick(moment.timestamp(), moment, label_unit))
    return ticks
