"""What the calculator templates show, prepared from the pure results: charts with their
text descriptions, and the tax years with the sentences that explain them. No queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from kryptowelt.calculators.sparplan.results import SparplanResult
from kryptowelt.calculators.tax.records import TaxReport, YearSummary
from kryptowelt.charts.linechart import Series, line_chart_svg
from kryptowelt.core.formatting import (
    format_compact,
    format_date,
    format_eur,
    format_number,
    format_percent,
    format_time_tick,
)

VALUE_COLOUR = "#0b5cad"
INVESTED_COLOUR = "#4a5562"
LUMP_COLOUR = "#b35900"


def query_value(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        # A decimal comma: the form reads "1.125" as 1125 (a German thousands separator).
        return format(value.normalize(), "f").replace(".", ",")
    return str(value)


def euro_tick_label(value: float, step: float) -> str:
    """Value axis of the calculator charts: "20.000 €", "12,50 €", "1,5 Mio. €"."""
    number = Decimal(repr(value))
    if abs(value) >= 1_000_000:
        return f"{format_compact(number)}\u00a0€"
    decimals = 0 if value == int(value) or abs(value) >= 100 else 2
    return f"{format_number(number, decimals)}\u00a0€"


def _epoch(day: dt.date) -> float:
    return dt.datetime.combine(day, dt.time(), dt.UTC).timestamp()


def sparplan_charts(result: SparplanResult, *, coin_name: str) -> dict:
    """The chart (wide and narrow rendering; CSS shows one), its description and legend."""
    days = result.chart_days
    lines = [
        Series("value", result.chart_value, "Wert des Sparplans", VALUE_COLOUR),
        Series("invested", result.chart_invested, "Eingezahlt", INVESTED_COLOUR, dash="6 4"),
        Series("lump", result.chart_lump, "Einmalanlage zum Vergleich", LUMP_COLOUR, dash="2 3"),
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
        "svg": line_chart_svg(
            xs=[_epoch(day) for day in days],
            series=lines,
            dom_id="sparplan-chart",
            title=title,
            description=description,
            value_label=euro_tick_label,
            time_label=format_time_tick,
            tz=dt.UTC,
            from_zero=True,
            finest_time_unit="month",
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
    loss_verdict: str  # losses carried into or out of this year (empty without)
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
            f"Verlust von {format_eur(-net)} aus privaten Veräußerungsgeschäften. Er mindert "
            "nur Gewinne dieser Art (§ 23 Abs. 3 Satz 7 EStG) – im Vorjahr und in späteren "
            "Jahren (Satz 8, § 10d EStG)."
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


def _loss_verdict(year: YearSummary) -> str:
    parts = []
    if year.carryback_out:
        parts.append(
            f"{format_eur(year.carryback_out)} des Verlusts werden in das Jahr {year.year - 1} "
            "zurückgetragen (§ 10d Abs. 1 EStG)."
        )
    if year.loss_added:
        parts.append(f"{format_eur(year.loss_added)} werden in die Folgejahre vorgetragen.")
    if year.carryforward_used:
        parts.append(
            f"Verluste früherer Jahre von {format_eur(year.carryforward_used)} werden "
            "verrechnet (Verlustvortrag, § 10d Abs. 2 EStG)."
        )
    if year.carryback_in:
        parts.append(
            f"Der Verlust aus {year.year + 1} mindert dieses Jahr um "
            f"{format_eur(year.carryback_in)} (Verlustrücktrag)."
        )
    if year.carryforward_used or year.carryback_in:
        parts.append(
            f"Steuerpflichtig nach Verlustverrechnung: {format_eur(year.after_losses)} – die "
            "Freigrenze wird vor dem Verlustabzug geprüft (BFH IX R 27/04)."
        )
    elif (
        year.carryforward_end
        and 0 <= year.net_taxable < year.freigrenze
        and year.disposals
        and any(d.has_taxable_part for d in year.disposals)
    ):
        parts.append(
            "Der Saldo bleibt unter der Freigrenze und ist steuerfrei; der Verlustvortrag "
            "wird dafür nicht verbraucht."
        )
    if year.carryforward_end:
        parts.append(
            f"Verbleibender Verlustvortrag zum 31.12.{year.year}: "
            f"{format_eur(year.carryforward_end)} (§ 10d Abs. 4 EStG)."
        )
    parts.extend(year.notes)
    return " ".join(parts)


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
                loss_verdict=_loss_verdict(year),
                income_verdict=_income_verdict(year),
                disposals=disposals,
                hidden_disposals=len(year.disposals) - len(disposals),
                incomes=incomes,
                hidden_incomes=len(year.incomes) - len(incomes),
            )
        )
    return views
