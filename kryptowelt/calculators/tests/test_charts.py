import datetime as dt
import re

from kryptowelt.calculators.charts import (
    Line,
    date_ticks,
    euro_label,
    line_chart_svg,
    nice_ticks,
    pick_indices,
)


def test_decimation_keeps_peaks_crashes_and_both_ends():
    values = [100.0] * 4000
    values[1234], values[2345] = 900.0, 1.0
    chosen = pick_indices(values, max_points=300)
    assert len(chosen) <= 302
    assert {0, 1234, 2345, 3999} <= set(chosen)
    assert chosen == sorted(chosen)


def test_ticks_start_at_zero_and_cover_the_highest_value():
    ticks = nice_ticks(21022.28)
    assert ticks[0] == 0 and ticks[-1] >= 21022.28
    steps = {round(b - a, 6) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1 and steps.pop() in {5000.0, 2500.0, 10000.0}
    assert euro_label(20000.0) == "20.000\u00a0€"


def test_year_ticks_for_long_spans_and_month_ticks_for_short_ones():
    days = [dt.date(2020, 1, 1) + dt.timedelta(days=i) for i in range(5 * 365)]
    assert [label for _, label in date_ticks(days, 8)] == ["2021", "2022", "2023", "2024"]
    short = [dt.date(2024, 1, 15) + dt.timedelta(days=i) for i in range(120)]
    labels = [label for _, label in date_ticks(short, 6)]
    assert labels[0] == "Feb." and "Mai" in labels


def test_svg_is_labelled_and_draws_every_line():
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(10)]
    svg = line_chart_svg(
        days=days,
        lines=[
            Line("value", "Wert", [float(i) for i in range(10)], "#00f"),
            Line("invested", "Eingezahlt", [5.0] * 10, "#333", dash="6 4"),
        ],
        dom_id="t",
        title="Titel <mit> Zeichen",
        description="Beschreibung",
    )
    assert svg.startswith('<svg id="t" class="chart" viewBox="0 0 720 320" role="img"')
    assert '<title id="t-title">Titel &lt;mit&gt; Zeichen</title>' in svg
    assert len(re.findall(r'<path class="chart__line', svg)) == 2
    assert 'stroke-dasharray="6 4"' in svg
    assert line_chart_svg(days=days[:1], lines=[], dom_id="x", title="", description="") == ""
