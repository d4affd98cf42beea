"""Server-rendered SVG line chart for the calculators (value against money paid in), without
Django.

Written here rather than with a charting library because pages load no third-party code and
the calculators need one small shape: a few lines over shared dates, with a € axis starting
at zero. Lines differ by dash pattern as well as colour (never colour alone); the numbers
behind the chart are in the table next to it, which is the accessible fallback.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from kryptowelt.core.formatting import format_compact, format_number

MAX_POINTS = 360

MONTHS_SHORT = ("Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.")
MONTHS_SHORT += ("Nov.", "Dez.")


@dataclass(frozen=True)
class Line:
    key: str  # CSS modifier: chart__line--<key>
    label: str
    values: Sequence[float]
    stroke: str  # fallback colour when the stylesheet is missing (print, feed readers)
    dash: str = ""


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def pick_indices(values: Sequence[float], max_points: int = MAX_POINTS) -> list[int]:
    """At most about `max_points` indices: evenly spaced buckets, keeping each bucket's
    highest and lowest point of `values` so that peaks and crashes stay visible."""
    n = len(values)
    if n <= max_points:
        return list(range(n))
    buckets = max(2, max_points // 2)
    size = n / buckets
    chosen = {0, n - 1}
    for b in range(buckets):
        start, stop = int(b * size), min(n, int((b + 1) * size))
        if start >= stop:
            continue
        window = range(start, stop)
        chosen.add(max(window, key=values.__getitem__))
        chosen.add(min(window, key=values.__getitem__))
    return sorted(chosen)


def nice_ticks(high: float, count: int = 5) -> list[float]:
    """0 and round steps (1, 2, 2.5, 5 × 10^k) up to at least `high`."""
    if not math.isfinite(high) or high <= 0:
        return [0.0, 1.0]
    raw = high / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(f * magnitude for f in (1, 2, 2.5, 5, 10) if f * magnitude >= raw)
    ticks = [0.0]
    while ticks[-1] < high - step * 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def euro_label(value: float) -> str:
    number = Decimal(repr(value))
    if abs(value) >= 1_000_000:
        return f"{format_compact(number)}\u00a0€"
    decimals = 0 if value == int(value) or abs(value) >= 100 else 2
    return f"{format_number(number, decimals)}\u00a0€"


def date_ticks(days: Sequence[dt.date], max_ticks: int) -> list[tuple[int, str]]:
    """(index into days, label) at year starts, or at month starts for short spans."""
    if len(days) < 2:
        return []
    span = (days[-1] - days[0]).days
    ticks: list[tuple[int, str]] = []
    if span > 2 * 365:
        years = days[-1].year - days[0].year
        every = max(1, math.ceil(years / max_ticks))
        for i in range(1, len(days)):
            if days[i].year != days[i - 1].year and days[i].year % every == 0:
                ticks.append((i, str(days[i].year)))
        return ticks
    months = max(1, math.ceil(span / 30.4 / max_ticks))
    for i in range(1, len(days)):
        if days[i].month != days[i - 1].month and (days[i].month - 1) % months == 0:
            label = str(days[i].year) if days[i].month == 1 else MONTHS_SHORT[days[i].month - 1]
            ticks.append((i, label))
    return ticks


def line_chart_svg(
    *,
    days: Sequence[dt.date],
    lines: Sequence[Line],
    dom_id: str,
    title: str,
    description: str,
    width: int = 720,
    height: int = 320,
    font_size: int = 12,
    max_ticks: int = 8,
    css_class: str = "",
) -> str:
    """Lines over shared dates; y axis in euros from zero. Empty string if nothing to draw."""
    if len(days) < 2 or not lines:
        return ""
    indices = pick_indices(lines[0].values)
    high = max((max(line.values) for line in lines if len(line.values)), default=0.0)
    ticks = nice_ticks(high)
    top_value = ticks[-1] or 1.0
    label_width = max(len(euro_label(t)) for t in ticks) * font_size * 0.6 + 10
    left, right, top, bottom = label_width, 10, 10, font_size * 2 + 6
    plot_w, plot_h = width - left - right, height - top - bottom
    last = len(days) - 1

    def x_of(index: int) -> float:
        return left + index / last * plot_w

    def y_of(value: float) -> float:
        return top + (1 - value / top_value) * plot_h

    classes = f"chart {css_class}".strip()
    parts = [
        f'<svg id="{dom_id}" class="{classes}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{dom_id}-title {dom_id}-desc" font-size="{font_size}" '
        'font-family="system-ui, sans-serif" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{dom_id}-title">{escape(title)}</title>',
        f'<desc id="{dom_id}-desc">{escape(description)}</desc>',
        '<g class="chart__grid" aria-hidden="true" stroke="#d9dee5" fill="#4a5562">',
    ]
    for tick in ticks:
        y = _fmt(y_of(tick))
        parts.append(
            f'<line x1="{_fmt(left)}" x2="{_fmt(left + plot_w)}" y1="{y}" y2="{y}"/>'
            f'<text x="{_fmt(left - 6)}" y="{y}" text-anchor="end" dy="0.32em" stroke="none">'
            f"{escape(euro_label(tick))}</text>"
        )
    baseline = _fmt(top + plot_h)
    for index, label in date_ticks(days, max_ticks):
        x = _fmt(x_of(index))
        parts.append(
            f'<line x1="{x}" x2="{x}" y1="{baseline}" y2="{_fmt(top + plot_h + 5)}"/>'
            f'<text x="{x}" y="{_fmt(height - 6)}" text-anchor="middle" stroke="none">'
            f"{escape(label)}</text>"
        )
    parts.append("</g>")
    xs = [x_of(i) for i in indices]
    scale = plot_h / top_value
    bottom_y = top + plot_h
    for line in lines:
        values = line.values
        path = "M" + " L".join(
            f"{x:.1f} {bottom_y - values[i] * scale:.1f}" for x, i in zip(xs, indices, strict=True)
        )
        dash = f' stroke-dasharray="{line.dash}"' if line.dash else ""
        parts.append(
            f'<path class="chart__line chart__line--{line.key}" d="{path}" fill="none" '
            f'stroke="{line.stroke}" stroke-width="2" stroke-linejoin="round"{dash} '
            'aria-hidden="true"/>'
        )
    parts.append("</svg>")
    return "".join(parts)
