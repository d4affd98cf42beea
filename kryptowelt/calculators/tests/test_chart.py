"""The Sparplan chart as the result page shows it, on a synthetic price series."""

import datetime as dt
import math
import re
from decimal import Decimal

from kryptowelt.calculators.presenters import euro_tick_label, sparplan_charts
from kryptowelt.calculators.sparplan.backtest import sparplan_backtest


def synthetic_series(days: int) -> list[tuple[dt.date, Decimal]]:
    """Synthetic daily closes: growth with a wave, not real prices."""
    first = dt.date(2020, 1, 1)
    return [
        (
            first + dt.timedelta(days=i),
            Decimal(f"{8000 * math.exp(i / 900) * (1 + 0.2 * math.sin(i / 50)):.2f}"),
        )
        for i in range(days)
    ]


def test_euro_labels_of_the_value_axis():
    assert euro_tick_label(20000.0, 5000.0) == "20.000\u00a0€"
    assert euro_tick_label(12.5, 2.5) == "12,50\u00a0€"
    assert euro_tick_label(1_500_000.0, 500_000.0) == "1,5\u00a0Mio.\u00a0€"


def test_sparplan_chart_draws_value_payments_and_lump_sum_in_both_renderings():
    result = sparplan_backtest(
        series=synthetic_series(5 * 365),
        amount=Decimal(100),
        interval="monatlich",
        start=dt.date(2020, 1, 1),
        end=dt.date(2024, 12, 28),
    )
    charts = sparplan_charts(result, coin_name="Testcoin")
    svg = charts["svg"]
    assert svg.count('role="img"') == 2
    for dom_id in ("sparplan-chart", "sparplan-chart-mobil"):
        assert f'<svg id="{dom_id}" class="chart ' in svg
        assert f'aria-labelledby="{dom_id}-title {dom_id}-desc"' in svg
        assert f'<title id="{dom_id}-title">Sparplan Testcoin: Wert und Einzahlungen' in svg
    for key in ("value", "invested", "lump"):
        assert svg.count(f'class="chart__line chart__line--{key}"') == 2
    assert svg.count('stroke-dasharray="6 4"') == 2 and svg.count('stroke-dasharray="2 3"') == 2
    # Year starts, the first one where the plan starts (1 January 2020).
    assert re.findall(r">(\d{4})</text>", svg.split("sparplan-chart-mobil")[0]) == [
        "2020",
        "2021",
        "2022",
        "2023",
        "2024",
    ]
    assert ">0\u00a0€</text>" in svg  # the value axis starts at zero
    assert [item["label"] for item in charts["legend"]] == [
        "Wert des Sparplans",
        "Eingezahlt",
        "Einmalanlage zum Vergleich",
    ]
    assert charts["description"].startswith("Eingezahlt 6.000,00\u00a0€")
