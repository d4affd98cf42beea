"""What the markets app draws: the coin price chart (one line over an area, with the data for
the read-out in static/js/price-chart.js). Drawing is `kryptowelt.charts`; this says which
series, labels and classes. Colours come from CSS classes (static/css/markets.css);
direction is always also told by sign and arrow in the text next to a chart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from kryptowelt.charts.linechart import Series, line_chart_svg
from kryptowelt.charts.scales import step_decimals
from kryptowelt.core import formatting


def price_tick_label(value: float, step: float) -> str:
    """ "120.000 €", "2,50 €", "0,0000120 €": as many places as the tick step needs."""
    return formatting.format_eur(Decimal(repr(value)), step_decimals(step))


def price_chart_svg(
    points: Sequence[tuple[float, float]],
    *,
    dom_id: str,
    title: str,
    description: str,
    tz: dt.tzinfo,
) -> str:
    """A line chart of (epoch seconds, price in €), wide and narrow; "" below two points."""
    data = sorted(points)
    if len(data) < 2:
        return ""
    values = [v for _, v in data]
    direction = "up" if values[-1] >= values[0] else "down"
    return line_chart_svg(
        xs=[t for t, _ in data],
        series=[Series("price", values, area=True)],
        dom_id=dom_id,
        title=title,
        description=description,
        value_label=price_tick_label,
        time_label=formatting.format_time_tick,
        tz=tz,
        css_class=f"price-chart price-chart--{direction}",
        interactive=True,
    )
