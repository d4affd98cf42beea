"""Price charts and sparklines as server-rendered SVG, without Django.

Written here rather than with a charting library because pages must not load third-party
code, and the server needs only two small shapes: a line chart with axes (coin pages,
price blocks) and a sparkline (tables). Charts are downsampled with LTTB ("Largest
Triangle Three Buckets", Steinarsson 2013), which keeps peaks and troughs visible while
cutting 10 years of daily prices to a few hundred points, so an SVG stays well under 30 KB.

Colours come from CSS classes (see static/css/markets.css); direction is always also told
by sign and arrow in the text next to a chart, never by colour alone.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from zoneinfo import ZoneInfo

from kryptowelt.core import formatting

CHART_MAX_POINTS = 320
SPARKLINE_MAX_POINTS = 48

WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
MONTHS_SHORT = (
    "Jan.",
    "Feb.",
    "März",
    "Apr.",
    "Mai",
    "Juni",
    "Juli",
    "Aug.",
    "Sept.",
    "Okt.",
    "Nov.",
    "Dez.",
)


@dataclass(frozen=True)
class SeriesStats:
    first: float
    last: float
    high: float
    low: float
    high_at: float
    low_at: float
    change_percent: float | None


# --- downsampling ---------------------------------------------------------------------------


def downsample_lttb(points: Sequence[tuple[float, float]], threshold: int) -> list:
    """Reduce `points` (x ascending) to at most `threshold` points, keeping the visual shape.

    Always keeps the first and the last point."""
    n = len(points)
    if threshold >= n or threshold < 3:
        return list(points)
    sampled = [points[0]]
    bucket_size = (n - 2) / (threshold - 2)
    a = 0
    for i in range(threshold - 2):
        # The average of the next bucket is the third corner of the triangle.
        next_start = int((i + 1) * bucket_size) + 1
        next_end = min(int((i + 2) * bucket_size) + 1, n)
        next_slice = points[next_start:next_end] or points[-1:]
        avg_x = sum(p[0] for p in next_slice) / len(next_slice)
        avg_y = sum(p[1] for p in next_slice) / len(next_slice)
        start = int(i * bucket_size) + 1
        end = int((i + 1) * bucket_size) + 1
        ax, ay = points[a]
        best_area, best_index = -1.0, start
        for j in range(start, end):
            px, py = points[j]
            area = abs((ax - avg_x) * (py - ay) - (ax - px) * (avg_y - ay))
            if area > best_area:
                best_area, best_index = area, j
        sampled.append(points[best_index])
        a = best_index
    sampled.append(points[-1])
    return sampled


def downsample(points: Sequence[tuple[float, float]], threshold: int) -> list:
    """LTTB, plus the exact highest and lowest point: a chart must never hide the high."""
    if len(points) <= threshold:
        return list(points)
    high = max(points, key=lambda p: p[1])
    low = min(points, key=lambda p: p[1])
    sampled = downsample_lttb(points, threshold - 2)
    present = set(sampled)
    sampled.extend(p for p in {high, low} if p not in present)
    sampled.sort()
    return sampled


def series_stats(points: Sequence[tuple[float, float]]) -> SeriesStats | None:
    """First, last, high and low (with their times) and the change in percent."""
    if not points:
        return None
    high_at, high = max(points, key=lambda p: p[1])
    low_at, low = min(points, key=lambda p: p[1])
    first, last = points[0][1], points[-1][1]
    change = (last / first - 1) * 100 if first else None
    return SeriesStats(first, last, high, low, high_at, low_at, change)


# --- scales ---------------------------------------------------------------------------------


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 × 10^k) covering [low, high]."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return []
    if high <= low:
        spread = abs(high) * 0.01 or 1.0
        low, high = low - spread, high + spread
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = magnitude
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step >= raw:
            break
    start = math.floor(low / step) * step
    ticks = [round(start, 12)]
    while ticks[-1] < high and len(ticks) < 12:
        ticks.append(round(start + len(ticks) * step, 12))
    if len(ticks) == 1:
        ticks.append(round(start + step, 12))
    return ticks


def _decimals_for(step: float) -> int:
    if step >= 1:
        return 0 if step >= 10 else (1 if step % 1 else 0)
    return min(10, max(2, -math.floor(math.log10(step)) + 1))


def price_label(value: float, step: float) -> str:
    decimals = _decimals_for(step)
    if value >= 1 and decimals < 2 and step >= 1:
        decimals = 0
    return formatting.format_eur(Decimal(repr(value)), decimals)


def _time_ticks(t0: float, t1: float, tz: ZoneInfo, max_ticks: int = 6) -> list[tuple[float, str]]:
    """Readable time ticks for the span t0..t1 (epoch seconds), labelled in German."""
    span = t1 - t0
    start = dt.datetime.fromtimestamp(t0, tz)
    end = dt.datetime.fromtimestamp(t1, tz)
    ticks: list[tuple[float, str]] = []
    if span <= 2 * 86400:
        hours = next(h for h in (1, 2, 3, 4, 6, 12, 24) if span / (h * 3600) <= max_ticks)
        current = start.replace(minute=0, second=0, microsecond=0)
        while current <= end:
            if current >= start and current.hour % hours == 0:
                ticks.append((current.timestamp(), f"{current.hour:02d}:00"))
            current = (current + dt.timedelta(hours=1)).astimezone(tz)
            current = current.replace(minute=0, second=0, microsecond=0)
    elif span <= 15 * 86400:
        days = next(d for d in (1, 2, 3, 7) if span / (d * 86400) <= max_ticks)
        current = start.replace(hour=0, minute=0, second=0, microsecond=0)
        index = 0
        while current <= end:
            if current >= start and index % days == 0:
                label = f"{WEEKDAYS[current.weekday()]} {current.day}.{current.month}."
                ticks.append((current.timestamp(), label))
            index += 1
            current = (current + dt.timedelta(days=1)).replace(hour=0, minute=0)
    elif span <= 120 * 86400:
        step_days = next(d for d in (7, 14, 21, 28) if span / (d * 86400) <= max_ticks)
        current = start.replace(hour=0, minute=0, second=0, microsecond=0)
        current += dt.timedelta(days=(7 - current.weekday()) % 7)  # Mondays
        while current <= end:
            ticks.append((current.timestamp(), f"{current.day}.{current.month}."))
            current = (current + dt.timedelta(days=step_days)).replace(hour=0, minute=0)
    elif span <= 800 * 86400:
        months = next(m for m in (1, 2, 3, 4, 6, 12) if span / (m * 30.4 * 86400) <= max_ticks)
        year, month = start.year, start.month + 1
        while True:
            if month > 12:
                year, month = year + 1, month - 12
            current = dt.datetime(year, month, 1, tzinfo=tz)
            if current > end:
                break
            if (month - 1) % months == 0:
                label = MONTHS_SHORT[month - 1] if month != 1 else str(year)
                ticks.append((current.timestamp(), label))
            month += 1
    else:
        years = max(1, math.ceil(span / (365.25 * 86400) / max_ticks))
        year = start.year + 1
        while True:
            current = dt.datetime(year, 1, 1, tzinfo=tz)
            if current > end:
                break
            if year % years == 0:
                ticks.append((current.timestamp(), str(year)))
            year += 1
    return ticks


# --- SVG ------------------------------------------------------------------------------------


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _value_text(value: float) -> str:
    """Compact, exact-enough number for data attributes (read by static/js/price-chart.js)."""
    return f"{value:.10g}"


def sparkline_svg(
    values: Sequence[float],
    *,
    width: int = 120,
    height: int = 32,
    label: str = "",
    up: bool | None = None,
) -> str:
    """A small line for tables; direction class `up`/`down` colours it (with text beside it).

    `up` overrides the direction read from the values (e.g. the stated 7-day change)."""
    clean = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    if len(clean) < 2:
        return ""
    # Evenly spaced samples (plus the last value) are plenty for a 120-pixel line and
    # much cheaper than LTTB for 250 sparklines per sync.
    step = max(1, math.ceil(len(clean) / SPARKLINE_MAX_POINTS))
    points = list(enumerate(clean))[::step]
    if points[-1][0] != len(clean) - 1:
        points.append((len(clean) - 1, clean[-1]))
    low = min(p[1] for p in points)
    high = max(p[1] for p in points)
    spread = (high - low) or 1.0
    last_x = points[-1][0] or 1
    pad = 2
    coords = " ".join(
        f"{_fmt(x / last_x * (width - 2 * pad) + pad)},"
        f"{_fmt(height - pad - (y - low) / spread * (height - 2 * pad))}"
        for x, y in points
    )
    if up is None:
        up = clean[-1] >= clean[0]
    direction = "up" if up else "down"
    aria = f' role="img" aria-label="{escape(label)}"' if label else ' aria-hidden="true"'
    return (
        f'<svg class="sparkline sparkline--{direction}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" focusable="false"{aria}>'
        f'<polyline points="{coords}" fill="none" stroke-width="1.5" '
        f'stroke-linejoin="round" stroke-linecap="round"/></svg>'
    )


def price_chart_svg(
    points: Sequence[tuple[float, float]],
    *,
    dom_id: str,
    title: str,
    description: str,
    tz: ZoneInfo,
    width: int = 800,
    height: int = 320,
    max_points: int = CHART_MAX_POINTS,
) -> str:
    """A line chart of (epoch seconds, price in €) with grid, axis labels and hover data.

    The SVG carries the (downsampled) values in data attributes so the small script in
    static/js/price-chart.js can show exact figures under the pointer or keyboard focus."""
    data = downsample(sorted(points), max_points)
    if len(data) < 2:
        return ""
    margin_left, margin_right, margin_top, margin_bottom = 86, 12, 12, 28
    plot_w = width - margin_left - margin_right
    plot_h = height - margin_top - margin_bottom
    t0, t1 = data[0][0], data[-1][0]
    values = [v for _, v in data]
    ticks = nice_ticks(min(values), max(values))
    v0, v1 = ticks[0], ticks[-1]
    step = ticks[1] - ticks[0] if len(ticks) > 1 else abs(v1) or 1.0
    t_span = (t1 - t0) or 1.0
    v_span = (v1 - v0) or 1.0

    def x_of(t: float) -> float:
        return margin_left + (t - t0) / t_span * plot_w

    def y_of(v: float) -> float:
        return margin_top + (1 - (v - v0) / v_span) * plot_h

    coords = [(x_of(t), y_of(v)) for t, v in data]
    line = "M" + " L".join(f"{_fmt(x)} {_fmt(y)}" for x, y in coords)
    bottom = _fmt(margin_top + plot_h)
    area = f"{line} L{_fmt(coords[-1][0])} {bottom} L{_fmt(coords[0][0])} {bottom} Z"
    direction = "up" if values[-1] >= values[0] else "down"

    parts = [
        f'<svg id="{dom_id}" class="price-chart price-chart--{direction}" '
        f'viewBox="0 0 {width} {height}" role="img" tabindex="0" '
        f'aria-labelledby="{dom_id}-title {dom_id}-desc" '
        f'data-x0="{margin_left}" data-x1="{margin_left + plot_w}" '
        f'data-y0="{margin_top + plot_h}" data-y1="{margin_top}" '
        f'data-v0="{_value_text(v0)}" data-v1="{_value_text(v1)}" '
        f'data-t="{" ".join(str(round(t)) for t, _ in data)}" '
        f'data-v="{" ".join(_value_text(v) for v in values)}">',
        f'<title id="{dom_id}-title">{escape(title)}</title>',
        f'<desc id="{dom_id}-desc">{escape(description)}</desc>',
        '<g class="price-chart__grid" aria-hidden="true">',
    ]
    for tick in ticks:
        y = _fmt(y_of(tick))
        parts.append(
            f'<line x1="{margin_left}" x2="{margin_left + plot_w}" y1="{y}" y2="{y}"/>'
            f'<text x="{margin_left - 8}" y="{y}" text-anchor="end" dy="0.32em">'
            f"{escape(price_label(tick, step))}</text>"
        )
    for t, label in _time_ticks(t0, t1, tz):
        x = _fmt(x_of(t))
        parts.append(
            f'<line class="price-chart__vtick" x1="{x}" x2="{x}" y1="{margin_top + plot_h}" '
            f'y2="{margin_top + plot_h + 5}"/>'
            f'<text x="{x}" y="{height - 6}" text-anchor="middle">{escape(label)}</text>'
        )
    parts.append("</g>")
    parts.append(f'<path class="price-chart__area" d="{area}" aria-hidden="true"/>')
    parts.append(f'<path class="price-chart__line" d="{line}" aria-hidden="true"/>')
    parts.append(
        '<g class="price-chart__cursor" aria-hidden="true" visibility="hidden">'
        f'<line y1="{margin_top}" y2="{margin_top + plot_h}"/><circle r="4.5"/></g>'
    )
    parts.append("</svg>")
    return "".join(parts)


def table_rows(points: Sequence[tuple[float, float]], *, rows: int = 24) -> list:
    """A handful of evenly spaced points for the data table next to a chart."""
    if len(points) <= rows:
        return list(points)
    step = (len(points) - 1) / (rows - 1)
    return [points[round(i * step)] for i in range(rows)]
