"""Vergleiche: providers with every figure (value, unit, source, check date), the score with
its criteria and parts, and the method the score follows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Query, Router, Schema
from pydantic import Field

from kryptowelt.api.links import absolute, api_url
from kryptowelt.api.problems import ApiError, FormInvalid
from kryptowelt.api.schemas import SlugPath
from kryptowelt.comparisons import figures, scoring, selectors
from kryptowelt.comparisons.fees import missing_parts
from kryptowelt.comparisons.forms import WeightsForm
from kryptowelt.comparisons.kinds import KINDS
from kryptowelt.core.models import pillar_reverse

router = Router(tags=["Anbieter-Vergleich"])

AD_NOTE = "Anzeige: Partnerlink; Score und Reihenfolge hängen nicht davon ab."


def number(value) -> float | None:
    return None if value is None else float(value)


class Figure(Schema):
    key: str
    label: str
    group: str
    group_label: str
    unit: str = Field(description="percent, eur, fee, count, year, bool, text, list, coin_amount")
    unit_label: str
    coin: str | None = Field(description="Nur bei Angaben je Kryptowert, z. B. BTC")
    value: bool | int | float | str | list[str] | None = Field(
        description="Der Wert; bei Gebühren (unit fee) der Prozentsatz; null, wenn nicht "
        "veröffentlicht oder nicht belegt"
    )
    value_eur: float | None = Field(description="Bei Gebühren (unit fee): der feste Euro-Betrag")
    text: str
    display: str = Field(description="Der Wert, wie die Website ihn zeigt")
    source: str | None = Field(description="Öffentliche Seite, auf der die Angabe steht")
    checked: dt.date | None = Field(description="Geprüft am")
    effective: dt.date | None = Field(description="Gültig seit / erteilt am")
    basis: str
    note: str
    verified: bool = Field(description="Mit Quelle, Prüfdatum und Wert: zählt für Kosten und Score")
    unpublished: bool = Field(
        description="Vom Anbieter nicht veröffentlicht (nie als null gerechnet)"
    )
    stale: bool = Field(description="Älter als ein Jahr")


class ScorePart(Schema):
    label: str
    points: float
    maximum: int
    checked: bool


class Criterion(Schema):
    key: str
    label: str
    weight: int
    applicable: bool
    points: float | None = Field(description="0–100; null: kein Teil geprüft, zählt nicht")
    parts: list[ScorePart]


class Score(Schema):
    total: float | None = Field(description="0–100, gewichtetes Mittel der bewerteten Kriterien")
    coverage_percent: int = Field(
        description="Anteil der (gewichteten) Kriterien mit geprüften Angaben"
    )
    ranked: bool
    criteria: list[Criterion]
    method_url: str


class CostPart(Schema):
    key: str
    label: str
    eur: float
    detail: str


class MissingPart(Schema):
    key: str
    label: str
    reason: str


class ReferenceCost(Schema):
    description: str
    status: str = Field(description="ok, missing (Angaben fehlen), impossible, not_applicable")
    invested_eur: float
    total_eur: float | None
    minimum_eur: float | None = Field(description="Untergrenze, wenn Angaben fehlen")
    percent: float | None
    parts: list[CostPart]
    missing: list[MissingPart]


class ProviderSummary(Schema):
    slug: str
    name: str
    kinds: list[str]
    labels: list[str]
    company: str
    country: str
    website: str | None
    advertisement_url: str | None = Field(description=AD_NOTE)
    status: str = Field(description="ranked, unranked, unavailable, unlicensed")
    status_reason: str
    score_total: float | None
    score_coverage_percent: int
    last_checked: dt.date | None
    oldest_checked: dt.date | None
    url: str | None
    api_url: str


class ProviderDetail(ProviderSummary):
    summary: str
    pros: list[str]
    cons: list[str]
    apps: str
    fee_note: str
    figures: list[Figure]
    score: Score
    reference_cost: ReferenceCost | None


class Providers(Schema):
    weights: dict[str, int]
    items: list[ProviderSummary]


def _summary(row) -> dict:
    provider = row.provider
    return {
        "slug": provider.slug,
        "name": provider.name,
        "kinds": provider.kinds,
        "labels": row.labels,
        "company": provider.company,
        "country": provider.country,
        "website": provider.website or None,
        "advertisement_url": provider.affiliate_url or None,
        "status": row.status,
        "status_reason": row.status_reason,
        "score_total": number(row.score.total),
        "score_coverage_percent": row.score.coverage,
        "last_checked": row.last_checked,
        "oldest_checked": row.oldest_checked,
        "url": absolute(provider.get_absolute_url() or "") or None,
        "api_url": api_url(f"providers/{provider.slug}/"),
    }


def figure_data(fact, today: dt.date) -> dict:
    spec = fact.spec
    value, value_eur = fact.value, None
    if spec.unit == figures.FEE and value is not None:
        value, value_eur = number(value[0]), number(value[1])
    elif isinstance(value, Decimal):
        value = float(value)
    return {
        "key": fact.key,
        "label": spec.label,
        "group": spec.group,
        "group_label": figures.GROUP_LABELS.get(spec.group, spec.group),
        "unit": spec.unit,
        "unit_label": figures.UNIT_LABELS.get(spec.unit, spec.unit),
        "coin": fact.coin or None,
        "value": value,
        "value_eur": value_eur,
        "text": fact.text,
        "display": fact.display(),
        "source": fact.source or None,
        "checked": fact.checked,
        "effective": fact.effective,
        "basis": fact.basis,
        "note": fact.note,
        "verified": fact.verified,
        "unpublished": fact.unpublished,
        "stale": fact.is_stale(today),
    }


def score_data(score, weights) -> dict:
    return {
        "total": number(score.total),
        "coverage_percent": score.coverage,
        "ranked": score.ranked,
        "criteria": [
            {
                "key": criterion.key,
                "label": criterion.label,
                "weight": weights.get(criterion.key, 0),
                "applicable": criterion.applicable,
                "points": number(criterion.points),
                "parts": [
                    {
                        "label": part.label,
                        "points": float(part.points),
                        "maximum": part.maximum,
                        "checked": part.checked,
                    }
                    for part in criterion.parts
                ],
            }
            for criterion in score.criteria
        ],
        "method_url": api_url("score-method/"),
    }


def cost_data(result) -> dict:
    return {
        "status": result.status,
        "invested_eur": float(result.invested),
        "total_eur": number(result.total),
        "minimum_eur": number(result.minimum),
        "percent": number(result.percent),
        "parts": [
            {"key": part.key, "label": part.label, "eur": float(part.eur), "detail": part.detail}
            for part in result.parts
        ],
        "missing": [
            {"key": item["key"], "label": item["label"], "reason": item["reason"]}
            for item in missing_parts(result)
        ],
    }


class WeightParams(Schema):
    gewicht_kosten: int | None = Field(None, ge=0, le=100, description="Eigenes Gewicht (0–100)")
    gewicht_regulierung: int | None = Field(None, ge=0, le=100)
    gewicht_sicherheit: int | None = Field(None, ge=0, le=100)
    gewicht_angebot: int | None = Field(None, ge=0, le=100)
    gewicht_service: int | None = Field(None, ge=0, le=100)


def _weights(params: WeightParams) -> dict[str, int]:
    """The reader's weights, checked by the method page's own form."""
    data = {name: value for name, value in params.dict().items() if value is not None}
    if not data:
        return dict(scoring.DEFAULT_WEIGHTS)
    form = WeightsForm({name: str(value) for name, value in data.items()})
    if not form.is_valid():
        raise FormInvalid(form)
    return form.weights()


@router.get("/providers/", response=Providers, summary="Anbieter", operation_id="providers_list")
def providers_list(
    request,
    kind: Literal[tuple(KINDS)] | None = Query(None, description="Nur diese Art von Anbieter"),  # type: ignore[valid-type]
    sort: Literal["score", "name", "kosten"] = Query("score", description="Reihenfolge"),
    weights: WeightParams = Query(...),
):
    """Alle veröffentlichten Anbieter mit Status, Score und Stand ihrer Angaben. Mit eigenen
    Gewichten (`gewicht_kosten` …) rechnet der Score wie auf der Methodik-Seite."""
    chosen = _weights(weights)
    rows = selectors.provider_rows(kind=KINDS[kind] if kind else None, weights=chosen)
    groups = selectors.rows_group(rows, sort)
    return {"weights": chosen, "items": [_summary(row) for row in groups.all]}


@router.get(
    "/providers/{slug}/",
    response=ProviderDetail,
    summary="Ein Anbieter",
    operation_id="providers_detail",
)
def providers_detail(request, slug: SlugPath, weights: WeightParams = Query(...)):
    """Ein Anbieter mit jeder Angabe (Wert, Einheit, Quelle, Prüfdatum), dem Score mit
    Kriterien und Teilpunkten und den Kosten der Referenzorder."""
    chosen = _weights(weights)
    provider = selectors.provider_queryset().filter(slug=slug).first()
    if provider is None:
        raise ApiError(404, f"Den Anbieter „{slug}“ gibt es nicht.")
    row = selectors.provider_row(provider=provider, weights=chosen)
    data = _summary(row)
    reference = None
    if row.reference_cost is not None:
        order = selectors.reference_order()
        reference = {
            "description": f"Einmalkauf über {order.amount:.0f} € Bitcoin, Einzahlung per SEPA",
            **cost_data(row.reference_cost),
        }
    data.update(
        {
            "summary": provider.summary,
            "pros": provider.pros_list,
            "cons": provider.cons_list,
            "apps": provider.apps,
            "fee_note": provider.fee_note,
            "figures": [figure_data(fact, row.today) for fact in row.facts],
            "score": score_data(row.score, chosen),
            "reference_cost": reference,
        }
    )
    return data


class MethodCriterion(Schema):
    key: str
    label: str
    default_weight: int
    trading_formula: str
    wallet_formula: str


class Method(Schema):
    criteria: list[MethodCriterion]
    min_coverage_percent: int
    reference_order: str
    stale_after_days: int
    rules: list[str]
    url: str | None


@router.get(
    "/score-method/", response=Method, summary="Methodik des Scores", operation_id="score_method"
)
def score_method(request):
    """Kriterien, Standardgewichte und Formeln des Kryptowelt-Scores."""
    return {
        "criteria": [
            {
                "key": c.key,
                "label": c.label,
                "default_weight": c.default_weight,
                "trading_formula": c.trading_formula,
                "wallet_formula": c.wallet_formula,
            }
            for c in scoring.CRITERIA
        ],
        "min_coverage_percent": scoring.MIN_COVERAGE_PCT,
        "reference_order": (
            f"{scoring.REFERENCE_AMOUNT:.0f} € Bitcoin, einmalig, Einzahlung per SEPA"
        ),
        "stale_after_days": figures.STALE_AFTER_DAYS,
        "rules": [
            "Nur Angaben mit Quelle, Prüfdatum und Wert zählen; fehlende Angaben zählen nie "
            "als 0 Punkte, sondern fallen weg.",
            "Innerhalb eines Kriteriums werden die Punkte der geprüften Teile auf deren "
            "Maximum bezogen; ein Kriterium ohne geprüften Teil fällt weg, die Gewichte der "
            "übrigen werden neu verteilt.",
            "Kriterienpunkte werden auf eine Nachkommastelle gerundet, der Gesamtscore ist "
            "das gewichtete Mittel dieser Punkte, wieder auf eine Nachkommastelle gerundet.",
            f"Gereiht wird ein Anbieter erst ab {scoring.MIN_COVERAGE_PCT} % geprüfter "
            "Kriterien; Anbieter ohne Angebot in Deutschland oder ohne MiCA-Zulassung nie.",
            "Partnerlinks (Anzeige) beeinflussen weder Score noch Reihenfolge.",
        ],
        "url": absolute(pillar_reverse("comparisons:methodology") or "") or None,
    }
