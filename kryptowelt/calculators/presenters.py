"""What the calculator templates show, prepared from the pure results: charts with their
text descriptions, and the tax years with the sentences that explain them. No queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from kryptowelt.calculators import charts
from kryptowelt.calculators.sparplan.results import SparplanResult
from kryptowelt.calculators.tax.records import TaxReport, YearSummary
from kryptowelt.core.formatting import format_date, format_eur, format_percent

VALUE_COLOUR = "#0b5cad"
INVESTED_COLOUR = "#4a5562"
LUMP_COLOUR = "#b35900"


def query_value(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def sparplan_charts(result: SparplanResult, *, coin_name: str) -> dict:
    """Two renderings of the same chart (wide for desktops, narrow for phones; CSS shows
    one), their shared description, and the legend."""
    days = result.chart_days
    lines = [
        charts.Line("value", "Wert des Sparplans", result.chart_value, VALUE_COLOUR),
        charts.Line("invested", "Eingezahlt", result.chart_invested, INVESTED_COLOUR, dash="6 4"),
        charts.Line(
            "lump", "Einmalanlage zum Vergleich", result.chart_lump, LUMP_COLOUR, dash="2 3"
        ),
    ]
    title = f"Sparplan {coin_name}: Wert und Einzahlungen von {format_date(days[0])} bis {format_date(days[-1])}"
    description = (
        f"Eingezahlt {format_eur(result.invested)}; am {format_date(result.end)} war der "
        f"Sparplan {format_eur(result.value)} wert "
        f"({format_percent(result.profit_percent, sign=True)}), die Einmalanlage "
        f"{format_eur(result.lump_sum.value)}."
    )
    if result.max_drawdown.peak_day:
        description += (
            f" Größter Rückgang: {format_percent(result.max_drawdown.percent)} vom "
            f"{format_date(result.max_drawdown.peak_day)} bis zum "
            f"{format_date(result.max_drawdown.trough_day)}."
        )
    return {
        "wide": charts.line_chart_svg(
            days=days,
            lines=lines,
            dom_id="sparplan-chart",
            title=title,
            description=description,
            width=760,
            height=340,
            css_class="chart--wide",
        ),
        "narrow": charts.line_chart_svg(
            days=days,
            lines=lines,
            dom_id="sparplan-chart-mobil",
            title=title,
            description=description,
            width=360,
            height=280,
            font_size=11,
            max_ticks=4,
            css_class="chart--narrow",
        ),
        "description": description,
        "legend": [
            {"key": line.key, "label": line.label, "colour": line.stroke, "dash": line.dash}
            for line in lines
        ],
    }


@dataclass
class TaxYearView:
    summary: YearSummary
    verdict: str  # one sentence on § 23
    income_verdict: str  # one sentence on § 22 Nr. 3 (empty without income)
    disposals: list
    hidden_disposals: int
    incomes: list
    hidden_incomes: int

    @property
    def year(self) -> int:
        return self.summary.year


def _verdict(year: YearSummary) -> str:
    net = year.net_taxable
    limit = format_eur(year.freigrenze, 0)
    if not year.disposals:
        return "Keine Verkäufe, Tausche oder Zahlungen mit Kryptowährungen in diesem Jahr."
    if not any(d.has_taxable_part for d in year.disposals):
        return "Alle Verkäufe lagen mehr als ein Jahr nach der Anschaffung und sind steuerfrei."
    if net < 0:
        return (
            f"Verlust von {format_eur(-net)} aus privaten Veräußerungsgeschäften. Er kann "
            "mit Gewinnen dieser Art aus dem Vorjahr oder späteren Jahren verrechnet werden "
            "(§ 23 Abs. 3 Satz 7 und 8 EStG) – das stellt das Finanzamt auf Antrag fest; "
            "wir rechnen den Verlust nicht in andere Jahre ein."
        )
    if net < year.freigrenze:
        return (
            f"Der Saldo von {format_eur(net)} liegt unter der Freigrenze von {limit}: "
            "steuerfrei (sofern Sie keine weiteren privaten Veräußerungsgeschäfte hatten)."
        )
    return (
        f"Der Saldo von {format_eur(net)} erreicht die Freigrenze von {limit}: der gesamte "
        f"Betrag ist steuerpflichtig, nicht nur der Teil über {limit}."
    )


def _income_verdict(year: YearSummary) -> str:
    if not year.incomes:
        return ""
    limit = format_eur(year.income_freigrenze, 0)
    if year.income < year.income_freigrenze:
        return (
            f"Einkünfte von {format_eur(year.income)} nach § 22 Nr. 3 EStG liegen unter der "
            f"Freigrenze von {limit}: steuerfrei (sofern Sie keine weiteren solchen Einkünfte "
            "hatten)."
        )
    return (
        f"Einkünfte von {format_eur(year.income)} nach § 22 Nr. 3 EStG erreichen die "
        f"Freigrenze von {limit}: in voller Höhe steuerpflichtig."
    )


def tax_years(report: TaxReport, *, limit: int | None) -> list[TaxYearView]:
    views = []
    for year in report.years:
        disposals = year.disposals if limit is None else year.disposals[:limit]
        incomes = year.incomes if limit is None else year.incomes[:limit]
        views.append(
            TaxYearView(
                summary=year,
                verdict=_verdict(year),
                income_verdict=_income_verdict(year),
                disposals=disposals,
                hidden_disposals=len(year.disposals) - len(disposals),
                incomes=incomes,
                hidden_incomes=len(year.incomes) - len(incomes),
            )
        )
    return views
