"""Sparklines: a small line without axes for tables and price blocks.

The direction class `sparkline--up`/`--down` colours it; the text beside a sparkline always
states the change with sign and arrow as well, never colour alone."""

from __future__ import annotations

import math
from collections.abc import Sequence

from kryptowelt.charts.downsample import every_nth
from kryptowelt.charts.scales import LinearScale
from kryptowelt.charts.svg import attributes, num

MAX_POINTS = 48
PAD = 2


def sparkline_svg(
    values: Sequence[float],
    *,
    width: int = 120,
    height: int = 32,
    label: str = "",
    up: bool | None = None,
) -> str:
    """A line through `values`; empty string with fewer than two finite values.

    `label` names it for screen readers (without one it is hidden from them); `up`
    overrides the direction read from the values (e.g. the stated 7-day change)."""
    clean = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    if len(clean) < 2:
        return ""
    # Evenly spaced samples are plenty for a 120-pixel line and much cheaper than LTTB
    # for 250 sparklines per sync.
    points = every_nth(list(enumerate(clean)), MAX_POINTS)
    ys = [y for _, y in points]
    x_of = LinearScale(0, len(clean) - 1, PAD, width - PAD)
    y_of = LinearScale(min(ys), max(ys), height - PAD, PAD)
    coords = " ".join(f"{num(x_of(x))},{num(y_of(y))}" for x, y in points)
    if up is None:
        up = clean[-1] >= clean[0]
    direction = "up" if up else "down"
    named = {"role": "img", "aria-label": label} if label else {"aria-hidden": "true"}
    root = {
        "class": f"sparkline sparkline--{direction}",
        "viewBox": f"0 0 {width} {height}",
        "width": width,
        "height": height,
        "focusable": "false",
        **named,
    }
    return (
        f"<svg{attributes(root)}>"
        f'<polyline points="{coords}" fill="none" stroke-width="1.5" '
        'stroke-linejoin="round" stroke-linecap="round"/></svg>'
    )
