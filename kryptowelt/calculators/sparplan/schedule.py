"""The plan's interval dates: weekly, fortnightly or monthly from the start date."""

from __future__ import annotations

import calendar
import datetime as dt

from kryptowelt.calculators.sparplan.results import INTERVALS, SparplanError


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
