"""Server-rendered SVG charts for the whole portal, without Django.

Written here rather than with a charting library because pages load no third-party code and
the portal needs few shapes: line charts over time with a value axis (coin prices, Sparplan
backtests) and sparklines (tables, price blocks).

- `scales.py`: linear scales, "nice" value ticks, calendar-aware time ticks.
- `downsample.py`: LTTB plus the extremes, evenly spaced samples.
- `svg.py`: SVG text building blocks: numbers, escaping, the accessible root element
  (`role="img"`, `<title>`, `<desc>`, ids) and the text width estimate the layout uses.
- `linechart.py`: the line chart with axes, in one rendering per `Size` (wide for desktops,
  narrow for phones; `static/css/charts.css` shows one of them).
- `sparkline.py`, `series.py`: small lines for tables; first/last/high/low of a series.

Callers say what to draw (series, colours, CSS classes) and how labels read: German number
and date formatting comes in as functions (see `kryptowelt.core.formatting`).
"""
