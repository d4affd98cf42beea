"""Line charts over time with a value axis: coin prices, Sparplan backtests.

A chart is drawn once per `Size`: wide for desktops and narrow for phones, and
`static/css/charts.css` shows the one that fits the screen. Both scale to the width of their
container (viewBox, `width: 100%`), so a label's size on screen is its font size times
container width / viewBox width; the narrow rendering keeps that near the font size on
phones and keeps the chart about 250 px tall at 390 px.

Labels never leave the viewBox: the plot's left margin comes from the widest value label
(estimated generously, `svg.text_width`), and a time label that would cross an edge or its
neighbour is left out."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from kryptowelt.charts import svg
from kryptowelt.charts.downsample import chart_indices
from kryptowelt.charts.scales import LinearScale, TimeTick, nice_ticks, time_ticks

FONT_FAMILY = "system-ui, sans-serif"
GRID_STROKE, GRID_TEXT = "#d9dee5", "#4a5562"  # fallbacks; the stylesheets set the colours
EDGE = 2  # free space at the viewBox edges
TICK = 5  # length of a time tick below the plot
LABEL_DY_EM = 0.32  # centres a value label on its grid line

ValueLabel = Callable[[float, float], str]  # (value, step between ticks) -> text
TimeLabel = Callable[[dt.datetime, str], str]  # (moment, unit of scales.TIME_UNITS) -> text


@dataclass(frozen=True)
class Size:
    """One rendering: viewBox size and font size in user units, how many labels fit."""

    width: int
    height: int
    font_size: float
    x_ticks: int  # at most about this many time labels
    max_points: int  # points per line after downsampling
    css_class: str  # chart--wide / chart--narrow (static/css/charts.css shows one)
    id_suffix: str = ""
    y_ticks: int = 5


WIDE = Size(800, 320, 12, 6, 320, "chart--wide")
# At 358 px (a 390 px phone less page padding) this is drawn 266 px tall, text at 13 px.
NARROW = Size(360, 268, 13, 4, 160, "chart--narrow", "-mobil")
SIZES = (WIDE, NARROW)


@dataclass(frozen=True)
class Series:
    key: str  # CSS modifier: chart__line--<key>
    values: Sequence[float]  # one per x
    label: str = ""  # for the legend next to the chart
    stroke: str = ""  # fallback colour when the stylesheet is missing (print, feed readers)
    dash: str = ""  # stroke-dasharray: lines differ by more than colour
    area: bool = False  # fill between the line and the bottom of the plot


@dataclass(frozen=True)
class Frame:
    """Where the plot sits in one rendering, and the labels around it."""

    size: Size
    left: float
    top: float
    right: float
    bottom: float
    x: LinearScale
    y: LinearScale
    y_ticks: list[tuple[float, str]]  # (value, label)
    x_ticks: list[tuple[float, str]]  # (x in user units, label)


def _fitting_time_labels(
    ticks: Sequence[TimeTick], x: LinearScale, size: Size, label: TimeLabel
) -> list[tuple[float, str]]:
    """Time labels that stay inside the viewBox and clear of each other, left to right."""
    kept: list[tuple[float, str]] = []
    free_from = 0.0
    for tick in ticks:
        position, text = x(tick.at), label(tick.moment, tick.unit)
        half = svg.text_width(text, size.font_size) / 2
        if position - half >= max(free_from, EDGE) and position + half <= size.width - EDGE:
            kept.append((position, text))
            free_from = position + half + size.font_size / 2
    return kept


def plan(
    size: Size,
    *,
    t0: float,
    t1: float,
    low: float,
    high: float,
    value_label: ValueLabel,
    time_label: TimeLabel,
    tz: dt.tzinfo,
    finest_time_unit: str = "hour",
) -> Frame:
    """Margins, scales and labels of one rendering of a chart over [t0, t1] × [low, high]."""
    fs = size.font_size
    values = nice_ticks(low, high, size.y_ticks)
    step = values[1] - values[0]
    y_ticks = [(v, value_label(v, step)) for v in values]
    widest = max(svg.text_width(text, fs) for _, text in y_ticks)
    left = math.ceil(EDGE + widest + fs / 2)
    top = math.ceil(EDGE + (svg.ASCENT_EM - LABEL_DY_EM) * fs)
    right = size.width - max(EDGE, round(fs))
    bottom = size.height - math.ceil(EDGE + (svg.ASCENT_EM + svg.DESCENT_EM) * fs + TICK + 3)
    x = LinearScale(t0, t1, left, right)
    ticks = time_ticks(t0, t1, tz, max_ticks=size.x_ticks, finest=finest_time_unit)
    return Frame(
        size=size,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        x=x,
        y=LinearScale(values[0], values[-1], bottom, top),
        y_ticks=y_ticks,
        x_ticks=_fitting_time_labels(ticks, x, size, time_label),
    )


def _grid(frame: Frame) -> str:
    fs, parts = frame.size.font_size, []
    for value, label in frame.y_ticks:
        y = svg.num(frame.y(value))
        parts.append(
            svg.element("line", {"x1": frame.left, "x2": frame.right, "y1": y, "y2": y})
            + svg.element(
                "text",
                {
                    "x": svg.num(frame.left - fs / 2),
                    "y": y,
                    "text-anchor": "end",
                    "dy": f"{LABEL_DY_EM}em",
                    "stroke": "none",
                },
                escape(label),
            )
        )
    baseline = svg.num(frame.size.height - EDGE - svg.DESCENT_EM * fs)
    for x_value, label in frame.x_ticks:
        x = svg.num(x_value)
        tick = {"class": "chart__tick", "x1": x, "x2": x, "y1": frame.bottom}
        parts.append(
            svg.element("line", {**tick, "y2": frame.bottom + TICK})
            + svg.element(
                "text",
                {"x": x, "y": baseline, "text-anchor": "middle", "stroke": "none"},
                escape(label),
            )
        )
    grid = {"class": "chart__grid", "aria-hidden": "true", "stroke": GRID_STROKE}
    return svg.element("g", {**grid, "fill": GRID_TEXT}, "".join(parts))


def _render(
    frame: Frame,
    *,
    xs: Sequence[float],
    series: Sequence[Series],
    dom_id: str,
    title: str,
    description: str,
    css_class: str,
    interactive: bool,
) -> str:
    size = frame.size
    indices = chart_indices(list(zip(xs, series[0].values, strict=True)), size.max_points)
    body = [_grid(frame)]
    for line in series:
        coords = [(frame.x(xs[i]), frame.y(line.values[i])) for i in indices]
        d = svg.path_data(coords)
        if line.area:
            base = svg.num(frame.bottom)
            area = f"{d} L{svg.num(coords[-1][0])} {base} L{svg.num(coords[0][0])} {base} Z"
            area_class = f"chart__area chart__area--{line.key}"
            body.append(
                svg.element("path", {"class": area_class, "d": area, "aria-hidden": "true"})
            )
        stroke = {"stroke": line.stroke or "currentColor", "stroke-dasharray": line.dash}
        attrs = {"class": f"chart__line chart__line--{line.key}", "d": d, "fill": "none", **stroke}
        style = {"stroke-width": "2", "stroke-linejoin": "round", "aria-hidden": "true"}
        body.append(svg.element("path", {**attrs, **style}))
    extra: dict[str, object] = {"font-size": svg.num(size.font_size), "font-family": FONT_FAMILY}
    if interactive:
        # Read by static/js/price-chart.js for the read-out under pointer or keyboard focus.
        first = series[0].values
        extra |= {
            "tabindex": "0",
            "data-x0": frame.left,
            "data-x1": frame.right,
            "data-y0": frame.bottom,
            "data-y1": frame.top,
            "data-v0": svg.data_number(frame.y.d0),
            "data-v1": svg.data_number(frame.y.d1),
            "data-t": " ".join(str(round(xs[i])) for i in indices),
            "data-v": " ".join(svg.data_number(first[i]) for i in indices),
        }
        cursor = svg.element("line", {"y1": frame.top, "y2": frame.bottom})
        cursor += svg.element("circle", {"r": "4.5"})
        hidden = {"class": "chart__cursor", "aria-hidden": "true", "visibility": "hidden"}
        body.append(svg.element("g", hidden, cursor))
    return svg.document(
        dom_id=dom_id + size.id_suffix,
        classes=" ".join(c for c in (css_class, "chart", size.css_class) if c),
        width=size.width,
        height=size.height,
        title=title,
        description=description,
        body=body,
        extra=extra,
    )


def line_chart_svg(
    *,
    xs: Sequence[float],
    series: Sequence[Series],
    dom_id: str,
    title: str,
    description: str,
    value_label: ValueLabel,
    time_label: TimeLabel,
    tz: dt.tzinfo,
    sizes: Sequence[Size] = SIZES,
    css_class: str = "",
    from_zero: bool = False,
    finest_time_unit: str = "hour",
    interactive: bool = False,
) -> str:
    """Lines over the times `xs` (epoch seconds, ascending), one rendering per size; the
    first series decides which points survive downsampling. `from_zero`: the value axis
    starts at 0. `interactive`: focusable, with the data for the script's read-out.
    Empty string if there is nothing to draw."""
    if len(xs) < 2 or not series:
        return ""
    values = [v for line in series for v in line.values]
    low, high = (0.0 if from_zero else min(values)), max(values)
    if from_zero and high <= 0:
        high = 1.0
    renderings = []
    for size in sizes:
        frame = plan(
            size,
            t0=xs[0],
            t1=xs[-1],
            low=low,
            high=high,
            value_label=value_label,
            time_label=time_label,
            tz=tz,
            finest_time_unit=finest_time_unit,
        )
        renderings.append(
            _render(
                frame,
                xs=xs,
                series=series,
                dom_id=dom_id,
                title=title,
                description=description,
                css_class=css_class,
                interactive=interactive,
            )
        )
    return "".join(renderings)
