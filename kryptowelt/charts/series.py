"""What a chart's caption and data table say about a series: first, last, high, low."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class SeriesStats:
    first: float
    last: float
    high: float
    low: float
    high_at: float
    low_at: float
    change_percent: float | None


def series_stats(points: Sequence[tuple[float, float]]) -> SeriesStats | None:
    """First, last, high and low (with their x) and the change in percent; None if empty."""
    if not points:
        return None
    high_at, high = max(points, key=lambda p: p[1])
    low_at, low = min(points, key=lambda p: p[1])
    first, last = points[0][1], points[-1][1]
    change = (last / first - 1) * 100 if first else None
    return SeriesStats(first, last, high, low, high_at, low_at, change)
