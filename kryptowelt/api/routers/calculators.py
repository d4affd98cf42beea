"""Rechner: the Sparplan backtest, the profit calculator and the cost calculator as
endpoints. Each checks its input with the form of its page (`betrag=1000` means the same here
and there; a rule the page enforces is enforced here, with the page's German message as a 422
problem) and computes with the code the page calls; nothing is stored.

The parameters carry the pages' names, typed: numbers with a decimal point, dates as
JJJJ-MM-TT. They go to the form as German text ("100,5": a decimal comma, no grouping), so a
value is never read as thousands. Answers are never kept by a shared cache (`http.py`): they
are the reader's own figures, as on the pages."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Literal

from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from kryptowelt.api.links import absolute, api_url
from kryptowelt.api.problems import FormInvalid
from kryptowelt.api.routers.markets import DataStatus, status_data
from kryptowelt.api.routers.providers import (
    CostPart,
    Figure,
    MissingPart,
    cost_data,
    figure_data,
)
from kryptowelt.api.schemas import SLUG_PATTERN, IsoDate
from kryptowelt.caching.scopes import Scope, depends_on
from kryptowelt.calculators import calculations, selectors
from kryptowelt.calculators.forms import GewinnForm, SparplanForm
from kryptowelt.calculators.profit import ProfitError
from kryptowelt.calculators.sparplan.results import INTERVALS, SparplanError
from kryptowelt.comparisons import costs, fees, figures, tables
from kryptowelt.comparisons.forms import MAX_AMOUNT, MAX_MONTHS, CalculatorForm
from kryptowelt.comparisons.selectors import CALCULATOR_COINS

router = Router(tags=["Rechner"])


# --- input: typed parameters, checked by the pages' forms --------------------------------------


def _limits(form_class, name: str) -> dict:
    """The bounds of a form's number field, for the document (the form checks them again)."""
    field = form_class.base_fields[name]
    limits = {"le": _bound(field.max_value)}
    if field.min_value is not None:
        limits["gt" if field.min_exclusive else "ge"] = _bound(field.min_value)
    return limits


def _bound(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _number(form_class, name: str, description: str, default=...):
    return Field(default, description=description, allow_inf_nan=False, **_limits(form_class, name))


def _form_text(value) -> str:
    """A parameter as the page's form reads it."""
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f").replace(".", ",")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _form_data(params: Schema) -> dict[str, str]:
    return {name: _form_text(value) for name, value in params.dict().items() if value is not None}


# Enough digits for the largest results the forms allow (10¹² € × 10¹⁵ coins).
_WIDE = Context(prec=100)


def _rounded(value: Decimal | None, places: int) -> float | None:
    """Rounded half up like the pages' figures (never a float's half-to-even)."""
    if value is None:
        return None
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    step = Decimal(1).scaleb(-places)
    return float(value.quantize(step, rounding=ROUND_HALF_UP, context=_WIDE))


def _euro(value: Decimal | None) -> float | None:
    return _rounded(value, 2)


def _fine(value: Decimal | None) -> float | None:
    """Coin amounts and prices per coin: cheap coins need more than cents."""
    return _rounded(value, 8)


_percent = _euro


# --- Sparplan ----------------------------------------------------------------------------------


class SparplanParams(Schema):
    coin: str = Field(
        ...,
        pattern=SLUG_PATTERN,
        max_length=100,
        description="Kennung eines Coins mit gespeicherten Tageskursen, z. B. bitcoin",
    )
    betrag: float = _number(SparplanForm, "betrag", "Sparrate in Euro je Ausführung")
    intervall: Literal[tuple(INTERVALS)] = Field(  # type: ignore[valid-type]
        "monatlich", description="woechentlich, zweiwoechentlich oder monatlich"
    )
    start: IsoDate = Field(..., description="Erste Rate am (JJJJ-MM-TT)")
    ende: IsoDate | None = Field(None, description="Bewertet am (JJJJ-MM-TT); ohne Angabe heute")
    gebuehr: float | None = _number(
        SparplanForm, "gebuehr", "Gebühr je Ausführung in Prozent der Sparrate", None
    )
    gebuehr_fix: float | None = _number(
        SparplanForm, "gebuehr_fix", "Feste Gebühr je Ausführung in Euro", None
    )
    spread: float | None = _number(
        SparplanForm, "spread", "Aufschlag auf den Schlusskurs beim Kauf in Prozent", None
    )
    anbieter: str | None = Field(
        None,
        pattern=SLUG_PATTERN,
        max_length=100,
        description="Anbieter, dessen im Vergleich geprüfte Sparplan-Kosten statt gebuehr, "
        "gebuehr_fix und spread gelten (Kennung wie unter providers/)",
    )


class SparplanFees(Schema):
    percent: float
    fixed_eur: float
    spread_percent: float


class UsedFigure(Schema):
    label: str
    display: str = Field(description="Der Wert, wie die Website ihn zeigt")
    source: str
    checked: dt.date


class SparplanProvider(Schema):
    slug: str
    name: str
    url: str | None
    api_url: str
    used: list[UsedFigure] = Field(description="Eingerechnete Angaben mit Quelle und Prüfdatum")
    missing: list[str] = Field(description="Nicht geprüft und daher nicht eingerechnet")
    interval_note: str | None = Field(description="Wenn der Anbieter das Intervall nicht anbietet")


class Purchase(Schema):
    scheduled: dt.date
    executed: dt.date = Field(description="Ohne Kurs am Termin: der nächste Tag mit Kurs")
    close_eur: float
    price_eur: float = Field(description="Bezahlter Kurs je Coin, mit Spread")
    amount_eur: float
    fee_eur: float
    coins: float


class Drawdown(Schema):
    percent: float = Field(description="Größter Rückgang vom Höchststand, negativ oder 0")
    peak_day: dt.date | None
    peak_value_eur: float
    trough_day: dt.date | None
    trough_value_eur: float


class LumpSum(Schema):
    day: dt.date
    close_eur: float
    invested_eur: float
    fee_eur: float
    coins: float
    value_eur: float
    profit_eur: float
    profit_percent: float | None
    annualised_percent: float | None
    max_drawdown: Drawdown


class SparplanYear(Schema):
    year: int
    invested_eur: float
    fees_eur: float
    coins_bought: float
    average_price_eur: float | None
    coins_total: float
    invested_total_eur: float
    value_end_eur: float
    value_day: dt.date
    profit_eur: float
    profit_percent: float | None


class CoinRef(Schema):
    id: str
    name: str


class Sparplan(Schema):
    coin: CoinRef
    interval: str
    interval_label: str
    amount_eur: float
    start: dt.date = Field(description="Erster Kauftag")
    end: dt.date = Field(description="Bewertungstag (letzter Tag mit Kurs bis zum Ende)")
    fees: SparplanFees
    provider: SparplanProvider | None
    invested_eur: float
    fees_eur: float
    coins: float
    average_price_eur: float = Field(description="Durchschnittlicher Kurs je Coin ohne Gebühren")
    end_close_eur: float
    value_eur: float
    profit_eur: float
    profit_percent: float | None
    annualised_percent: float | None = Field(
        description="Geldgewichtete Rendite pro Jahr (XIRR); null unter einem Jahr"
    )
    max_drawdown: Drawdown
    worst_profit_eur: float = Field(description="Schlechtester Stand gegenüber den Einzahlungen")
    worst_profit_day: dt.date
    moved_purchases: int
    purchases: list[Purchase]
    years: list[SparplanYear]
    lump_sum: LumpSum = Field(description="Derselbe Gesamtbetrag einmalig am ersten Kauftag")
    notes: list[str]
    history: DataStatus | None


def _drawdown(drawdown) -> dict:
    return {
        "percent": _percent(drawdown.percent),
        "peak_day": drawdown.peak_day,
        "peak_value_eur": _euro(drawdown.peak_value),
        "trough_day": drawdown.trough_day,
        "trough_value_eur": _euro(drawdown.trough_value),
    }


def _provider(run) -> dict | None:
    provider = run.provider
    if provider is None:
        return None
    return {
        "slug": provider.slug,
        "name": provider.name,
        "url": absolute(provider.url) if provider.url else None,
        "api_url": api_url(f"providers/{provider.slug}/"),
        "used": [
            {"label": f.label, "display": f.display, "source": f.source, "checked": f.checked}
            for f in provider.used
        ],
        "missing": list(provider.missing),
        "interval_note": run.provider_interval_note or None,
    }


def _sparplan_data(run) -> dict:
    result = run.result
    lump = result.lump_sum
    return {
        "coin": {"id": run.coin.coingecko_id if run.coin else "", "name": run.coin_name},
        "interval": result.interval,
        "interval_label": INTERVALS[result.interval],
        "amount_eur": _euro(result.amount),
        "start": result.start,
        "end": result.end,
        "fees": {
            "percent": float(result.fees.percent),
            "fixed_eur": float(result.fees.fixed),
            "spread_percent": float(result.fees.spread_percent),
        },
        "provider": _provider(run),
        "invested_eur": _euro(result.invested),
        "fees_eur": _euro(result.fees_total),
        "coins": _fine(result.coins),
        "average_price_eur": _fine(result.average_price),
        "end_close_eur": _fine(result.end_close),
        "value_eur": _euro(result.value),
        "profit_eur": _euro(result.profit),
        "profit_percent": _percent(result.profit_percent),
        "annualised_percent": _percent(result.annualised_percent),
        "max_drawdown": _drawdown(result.max_drawdown),
        "worst_profit_eur": _euro(result.worst_profit),
        "worst_profit_day": result.worst_profit_day,
        "moved_purchases": result.moved_purchases,
        "purchases": [
            {
                "scheduled": p.scheduled,
                "executed": p.executed,
                "close_eur": _fine(p.close),
                "price_eur": _fine(p.price),
                "amount_eur": _euro(p.amount),
                "fee_eur": _euro(p.fee),
                "coins": _fine(p.coins),
            }
            for p in result.purchases
        ],
        "years": [
            {
                "year": row.year,
                "invested_eur": _euro(row.invested),
                "fees_eur": _euro(row.fees),
                "coins_bought": _fine(row.coins_bought),
                "average_price_eur": _fine(row.average_price),
                "coins_total": _fine(row.coins_total),
                "invested_total_eur": _euro(row.invested_total),
                "value_end_eur": _euro(row.value_end),
                "value_day": row.value_day,
                "profit_eur": _euro(row.profit),
                "profit_percent": _percent(row.profit_percent),
            }
            for row in result.years
        ],
        "lump_sum": {
            "day": lump.day,
            "close_eur": _fine(lump.close),
            "invested_eur": _euro(lump.invested),
            "fee_eur": _euro(lump.fee),
            "coins": _fine(lump.coins),
            "value_eur": _euro(lump.value),
            "profit_eur": _euro(lump.profit),
            "profit_percent": _percent(lump.profit_percent),
            "annualised_percent": _percent(lump.annualised_percent),
            "max_drawdown": _drawdown(lump.max_drawdown),
        },
        "notes": list(result.notes),
        "history": status_data(selectors.sparplan_history_status(coin=run.coin))
        if run.coin
        else None,
    }


@router.get(
    "/calculators/sparplan/",
    response=Sparplan,
    summary="Sparplan-Rechner (Rückrechnung)",
    operation_id="calculators_sparplan",
)
def calculators_sparplan(request, params: SparplanParams = Query(...)):
    """Was ein Sparplan auf unseren gespeicherten Tagesschlusskursen gebracht hätte: jeder
    Kauf, Einzahlungen, Gebühren, Wert, Rendite, größter Rückgang, die Jahre und der Vergleich
    mit einer Einmalanlage – geprüft und gerechnet wie auf der Seite des Sparplan-Rechners."""
    depends_on(Scope.MARKETS)
    data = _form_data(params)
    data.setdefault("ende", timezone.localdate().isoformat())
    form = calculations.sparplan_form(data=data)
    if not form.is_valid():
        raise FormInvalid(form)
    try:
        run = calculations.sparplan_calculate(values=form.cleaned_data)
    except SparplanError as exc:
        form.add_error(None, str(exc))
        raise FormInvalid(form) from exc
    return _sparplan_data(run)


# --- Gewinn ------------------------------------------------------------------------------------


class ProfitParams(Schema):
    kaufkurs: float = _number(GewinnForm, "kaufkurs", "Kaufkurs je Coin in Euro")
    verkaufskurs: float = _number(GewinnForm, "verkaufskurs", "Verkaufskurs je Coin in Euro")
    menge: float = _number(GewinnForm, "menge", "Menge (Anzahl Coins)")
    gebuehr_kauf_prozent: float | None = _number(
        GewinnForm, "gebuehr_kauf_prozent", "Kaufgebühr in Prozent", None
    )
    gebuehr_kauf_euro: float | None = _number(
        GewinnForm, "gebuehr_kauf_euro", "Kaufgebühr in Euro", None
    )
    gebuehr_verkauf_prozent: float | None = _number(
        GewinnForm, "gebuehr_verkauf_prozent", "Verkaufsgebühr in Prozent", None
    )
    gebuehr_verkauf_euro: float | None = _number(
        GewinnForm, "gebuehr_verkauf_euro", "Verkaufsgebühr in Euro", None
    )
    kaufdatum: dt.date | None = Field(None, description="Gekauft am (JJJJ-MM-TT), optional")
    verkaufsdatum: dt.date | None = Field(
        None, description="Verkauft am (JJJJ-MM-TT), optional; auch ein geplanter Tag"
    )


class Holding(Schema):
    tax_free: bool = Field(description="Mehr als ein Jahr gehalten: steuerfrei (§ 23 EStG)")
    days: int
    free_from: dt.date = Field(description="Erster Tag, an dem ein Verkauf steuerfrei ist")


class Profit(Schema):
    buy_value_eur: float = Field(description="Menge × Kaufkurs")
    buy_fee_eur: float
    cost_eur: float = Field(description="Was der Kauf insgesamt gekostet hat")
    sell_value_eur: float = Field(description="Menge × Verkaufskurs")
    sell_fee_eur: float
    proceeds_eur: float = Field(description="Erlös nach Gebühren")
    profit_eur: float
    profit_percent: float = Field(description="Gewinn in Prozent der Kosten")
    break_even_price_eur: float = Field(description="Verkaufskurs, bei dem der Gewinn 0 ist")
    price_change_percent: float
    fees_eur: float
    holding: Holding | None = Field(description="Nur mit Kauf- und Verkaufsdatum")
    note: str


PROFIT_NOTE = (
    "Ohne Steuern. Ein Gewinn aus privaten Veräußerungsgeschäften ist nach einem Jahr "
    "Haltedauer steuerfrei (§ 23 EStG); für die Steuer je Jahr gibt es den Krypto-Steuerrechner."
)


@router.get(
    "/calculators/profit/",
    response=Profit,
    summary="Gewinn-Rechner",
    operation_id="calculators_profit",
)
def calculators_profit(request, params: ProfitParams = Query(...)):
    """Gewinn oder Verlust eines Trades nach Gebühren in Euro und Prozent, mit dem Kurs, ab
    dem sich der Verkauf lohnt, und der Haltefrist – wie auf der Seite des Gewinn-Rechners."""
    form = GewinnForm(_form_data(params))
    if not form.is_valid():
        raise FormInvalid(form)
    try:
        run = calculations.gewinn_calculate(values=form.cleaned_data)
    except ProfitError as exc:
        form.add_error(None, str(exc))
        raise FormInvalid(form) from exc
    result = run.result
    holding = run.holding
    return {
        "buy_value_eur": _euro(result.buy_value),
        "buy_fee_eur": _euro(result.buy_fee),
        "cost_eur": _euro(result.cost),
        "sell_value_eur": _euro(result.sell_value),
        "sell_fee_eur": _euro(result.sell_fee),
        "proceeds_eur": _euro(result.proceeds),
        "profit_eur": _euro(result.profit),
        "profit_percent": _percent(result.profit_percent),
        "break_even_price_eur": _fine(result.break_even_price),
        "price_change_percent": _percent(result.price_change_percent),
        "fees_eur": _euro(result.fees_total),
        "holding": None
        if holding is None
        else {"tax_free": holding.tax_free, "days": holding.days, "free_from": holding.free_from},
        "note": PROFIT_NOTE,
    }


# --- Kostenrechner -----------------------------------------------------------------------------


class CostParams(Schema):
    betrag: float = Field(
        ...,
        gt=0,
        le=float(MAX_AMOUNT),
        allow_inf_nan=False,
        description="Betrag in Euro je Kauf bzw. je Monat, höchstens zwei Nachkommastellen",
    )
    coin: Literal[tuple(CALCULATOR_COINS)] = Field(  # type: ignore[valid-type]
        "bitcoin", description="Kryptowert: " + ", ".join(CALCULATOR_COINS)
    )
    intervall: Literal[fees.ONCE, fees.MONTHLY] = Field(
        fees.ONCE, description="einmalig oder monatlich (Sparplan)"
    )
    dauer: int | None = Field(
        None, ge=1, le=MAX_MONTHS, description="Dauer in Monaten; nötig bei monatlich"
    )
    zahlungsweg: Literal[tuple(key for key, _ in figures.DEPOSIT_METHODS)] | None = Field(  # type: ignore[valid-type]
        None, description="Einzahlung per …; Standard sepa"
    )


class CostOrder(Schema):
    amount_eur: float
    coin: str = Field(description="Kürzel, z. B. BTC")
    interval: str
    months: int
    executions: int
    deposit_method: str
    invested_eur: float


class CostDetail(Schema):
    status: str = Field(description="ok, missing (Angaben fehlen), impossible, not_applicable")
    invested_eur: float
    total_eur: float | None
    minimum_eur: float | None = Field(description="Untergrenze, wenn Angaben fehlen")
    percent: float | None
    parts: list[CostPart]
    missing: list[MissingPart]


class CostProvider(Schema):
    slug: str
    name: str
    url: str | None
    api_url: str
    status: str = Field(
        description="Status im Vergleich: ranked, unranked, unavailable, unlicensed"
    )
    status_reason: str
    basis: str = Field(description="single (Einzelorder) oder sparplan (Sparplan-Gebühr)")
    cost: CostDetail
    reason: str | None = Field(description="Warum die Order nicht möglich ist")
    note: str | None
    figures: list[Figure] = Field(description="Die eingerechneten Angaben mit Quelle und Datum")
    oldest_checked: dt.date | None
    stale: bool = Field(description="Eine eingerechnete Angabe ist älter als ein Jahr")


class Costs(Schema):
    order: CostOrder
    disclosure: str
    ranked: list[CostProvider] = Field(description="Alle Kosten geprüft, günstigste zuerst")
    bounded: list[CostProvider] = Field(description="Ein Kostenteil fehlt: Untergrenze")
    unknown: list[CostProvider] = Field(description="Kein Kostenteil geprüft")
    impossible: list[CostProvider] = Field(description="Z. B. unter der Mindestrate")
    excluded: list[CostProvider] = Field(
        description="In Deutschland nicht verfügbar oder ohne MiCA-Zulassung: nie gereiht"
    )


def _cost_item(item) -> dict:
    row, result = item.row, item.result
    return {
        "slug": row.slug,
        "name": row.name,
        "url": absolute(row.provider.get_absolute_url() or "") or None,
        "api_url": api_url(f"providers/{row.slug}/"),
        "status": row.status,
        "status_reason": row.status_reason,
        "basis": result.basis,
        "cost": cost_data(result),
        "reason": result.reason or None,
        "note": item.note or None,
        "figures": [figure_data(fact, row.today) for fact in item.used],
        "oldest_checked": item.oldest_used,
        "stale": item.stale,
    }


@router.get(
    "/calculators/costs/",
    response=Costs,
    summary="Kostenrechner",
    operation_id="calculators_costs",
)
def calculators_costs(request, params: CostParams = Query(...)):
    """Was ein Kauf – einmalig oder als monatlicher Sparplan – bei jedem Anbieter kostet:
    Handelsgebühr oder Provision, Spread, feste Gebühren und Einzahlung, jede Angabe mit Quelle
    und Prüfdatum. Fehlt eine Angabe, rechnen wir nicht mit null, sondern nennen eine
    Untergrenze und was fehlt – wie auf der Seite des Kostenrechners."""
    form = CalculatorForm(_form_data(params))
    if not form.is_valid():
        raise FormInvalid(form)
    order = form.order()
    groups = costs.calculator_results(order=order)
    return {
        "order": {
            "amount_eur": _euro(order.amount),
            "coin": order.coin,
            "interval": order.interval,
            "months": order.months,
            "executions": order.executions,
            "deposit_method": order.method,
            "invested_eur": _euro(order.invested),
        },
        "disclosure": tables.CALCULATOR_DISCLOSURE,
        **{
            name: [_cost_item(item) for item in getattr(groups, name)]
            for name in ("ranked", "bounded", "unknown", "impossible", "excluded")
        },
    }
