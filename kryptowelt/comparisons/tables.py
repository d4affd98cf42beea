"""Reads that assemble one kind's comparison table – trading providers and wallets by score,
Sparpläne by the cost of a plan, staking by the provider's share of the rewards – for the
kind pages and the comparison block, with the sentence that discloses the ranking's main
parameters and their weights (§ 5b Abs. 2 UWG)."""

from __future__ import annotations

from collections.abc import Mapping

from kryptowelt.comparisons import costs, scoring
from kryptowelt.comparisons.kinds import SPARPLAN_TABLE, STAKING_TABLE, WALLET_TABLE, Kind
from kryptowelt.comparisons.selectors import (
    ProviderRow,
    RowGroups,
    provider_rows,
    rows_filter,
    rows_group,
    rows_sort,
    table_stand,
)

WALLET_PARAMETER_LABELS = {
    "kosten": "Gerätepreis",
    "sicherheit": "Sicherheit (quelloffen, Secure Element)",
    "angebot": "unterstützte Kryptowerte",
    "service": "deutschsprachige Hilfe",
}
TRADING_PARAMETER_LABELS = {
    "kosten": "Kosten einer Order über 500 €",
    "regulierung": "Regulierung (MiCA, BaFin)",
    "sicherheit": "Sicherheit",
    "angebot": "Angebot",
    "service": "deutschsprachige Hilfe",
}


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " und " + items[-1]


def score_disclosure(*, wallet: bool, weights: Mapping[str, int] | None = None) -> str:
    """The score's parameters with their weights, in one sentence."""
    weights = weights or scoring.DEFAULT_WEIGHTS
    labels = WALLET_PARAMETER_LABELS if wallet else TRADING_PARAMETER_LABELS
    total = sum(weights.get(key, 0) for key in labels)
    parts = [
        f"{label} ({round(weights.get(key, 0) * 100 / total) if total else 0}\u00a0%)"
        for key, label in labels.items()
        if weights.get(key, 0)
    ]
    return (
        f"Rangfolge nach dem Kryptowelt-Score aus {_join(parts)}; nicht geprüfte Angaben "
        f"zählen nicht mit, Anbieter mit weniger als {scoring.MIN_COVERAGE_PCT}\u00a0% geprüften "
        "Kriterien stehen ohne Rang darunter. Partnerlinks beeinflussen die Rangfolge nicht."
    )


SORT_DISCLOSURES = {
    "kosten": "Sortiert nach den Kosten einer Order über 500 € Bitcoin (Einzahlung per SEPA); "
    "Anbieter ohne vollständig geprüfte Kosten stehen am Ende der Rangliste.",
    "kryptowerte": "Sortiert nach der Anzahl handelbarer Kryptowerte (geprüfte Angaben).",
    "name": "Alphabetisch sortiert, ohne Wertung.",
}
WALLET_SORT_DISCLOSURES = {
    **SORT_DISCLOSURES,
    "kosten": "Sortiert nach dem Preis des günstigsten Geräts (geprüfte Angaben).",
}
SPARPLAN_DISCLOSURE = (
    f"Rangfolge nach den Gesamtkosten eines Sparplans über {costs.SPARPLAN_AMOUNT} € im Monat "
    f"für {costs.SPARPLAN_MONTHS} Monate (Bitcoin, Einzahlung per SEPA): Gebühr je Ausführung "
    "bzw. Handelsgebühr, Spread, feste Gebühren und Einzahlung. Sparpläne mit nicht "
    "veröffentlichten oder nicht geprüften Kostenteilen stehen ohne Rang darunter."
)
STAKING_DISCLOSURE = (
    "Rangfolge nach dem Anteil an den Staking-Erträgen, den der Anbieter einbehält (kleinster "
    "zuerst); Anbieter ohne geprüften Anteil stehen ohne Rang darunter."
)
CALCULATOR_DISCLOSURE = (
    "Rangfolge nach den Gesamtkosten Ihrer Order in Euro: Handelsgebühr oder Provision, Spread "
    "des Anbieters, feste Gebühren und Einzahlung. Anbieter mit nicht veröffentlichten oder "
    "nicht geprüften Kostenteilen stehen mit einer Untergrenze („mindestens …“) darunter."
)


def ranking_disclosure(*, kind: Kind, sort: str) -> str:
    if kind.table == SPARPLAN_TABLE:
        return SPARPLAN_DISCLOSURE if sort != "name" else SORT_DISCLOSURES["name"]
    if kind.table == STAKING_TABLE:
        return STAKING_DISCLOSURE if sort != "name" else SORT_DISCLOSURES["name"]
    wallet = kind.table == WALLET_TABLE
    if sort == "score":
        return score_disclosure(wallet=wallet)
    return (WALLET_SORT_DISCLOSURES if wallet else SORT_DISCLOSURES).get(sort, "")


def staking_groups(rows: list[ProviderRow], sort: str) -> RowGroups:
    """Ranked: staking offered and the provider's share checked, smallest share first."""
    ordered = rows_sort(rows, sort)
    by_name = rows_sort(rows, "name")

    def rankable(row: ProviderRow) -> bool:
        return (
            not row.excluded
            and row.offers("staking") is True
            and row.facts.value("staking_cut_pct") is not None
        )

    return RowGroups(
        ranked=[row for row in ordered if rankable(row)],
        unranked=[row for row in by_name if not row.excluded and not rankable(row)],
        excluded=[row for row in by_name if row.excluded],
    )


def kind_table(
    *, kind: Kind, filters: Mapping | None = None, sort: str = "", limit: int | None = None
) -> dict:
    """Everything a kind's table shows, after the reader's filters and sort order."""
    rows = provider_rows(kind=kind)
    total = len(rows)
    if filters:
        rows = rows_filter(rows, **filters)
    sort = sort if sort in kind.sorts else kind.default_sort
    context = {
        "kind": kind,
        "table": kind.table,
        "wallet": kind.table == WALLET_TABLE,
        "total": total,
        "shown": len(rows),
        "sort": sort,
        "stand": table_stand(rows),
        "reference_amount": scoring.REFERENCE_AMOUNT,
        "min_coverage": scoring.MIN_COVERAGE_PCT,
        "disclosure": ranking_disclosure(kind=kind, sort=sort),
        "sparplan_amount": costs.SPARPLAN_AMOUNT,
        "sparplan_months": costs.SPARPLAN_MONTHS,
    }
    if kind.table == SPARPLAN_TABLE:
        plans = costs.sparplan_groups(rows, sort=sort)
        if limit:
            plans.ranked = plans.ranked[:limit]
        context["plans"] = plans
        return context
    groups = staking_groups(rows, sort) if kind.table == STAKING_TABLE else rows_group(rows, sort)
    if limit:
        groups.ranked = groups.ranked[:limit]
    context["groups"] = groups
    return context
