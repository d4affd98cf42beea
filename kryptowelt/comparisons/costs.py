"""Reads for the cost calculator and the Sparplan comparison: what an order or a plan costs at
every trading provider.

Fully known costs are ranked. Where a part is unknown the known parts give a lower bound
("mindestens X € + Spread (vom Anbieter nicht veröffentlicht)"), shown apart and never mixed
into the ranking; a provider that does not serve Germany or has no MiCA authorisation is
listed with the reason, never ranked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from kryptowelt.comparisons import fees, scoring
from kryptowelt.comparisons.facts import Fact
from kryptowelt.comparisons.selectors import ProviderRow, provider_rows

# The plan the Sparplan comparison ranks by.
SPARPLAN_AMOUNT = Decimal(50)
SPARPLAN_MONTHS = 12
SPARPLAN_COIN = "BTC"


def sparplan_order() -> fees.Order:
    return fees.Order(
        amount=SPARPLAN_AMOUNT,
        interval=fees.MONTHLY,
        months=SPARPLAN_MONTHS,
        method="sepa",
        coin=SPARPLAN_COIN,
    )


@dataclass
class CalculatorRow:
    row: ProviderRow
    result: fees.CostResult
    used: list[Fact] = field(default_factory=list)
    note: str = ""

    @property
    def missing(self) -> list[dict]:
        return fees.missing_parts(self.result)

    @property
    def missing_labels(self) -> list[str]:
        return [part["label"] for part in self.missing]

    @property
    def oldest_used(self) -> dt.date | None:
        dates = [fact.checked for fact in self.used if fact.checked]
        return min(dates) if dates else None

    @property
    def stale(self) -> bool:
        return any(fact.is_stale(self.row.today) for fact in self.used)

    @property
    def recheck(self) -> bool:
        return any(fact.recheck for fact in self.used)


def _used_facts(row: ProviderRow, order: fees.Order, result: fees.CostResult) -> list[Fact]:
    """The documented figures behind a result: the fees used, and the pages that show a fee is
    not published."""
    if result.basis == fees.BASIS_SPARPLAN:
        keys = ["sparplan", "sparplan_fee", "sparplan_min_eur"]
    elif row.provider.pricing == fees.ORDERBOOK:
        keys = ["taker_pct", "fixed_eur"]
    else:
        keys = ["commission_pct", "commission_min_eur", "fixed_eur"]
    if row.provider.pricing == fees.BROKER:
        keys.append("spread_pct")
    keys.append(f"deposit_{order.method}")
    used = []
    for key in keys:
        fact = row.facts.get(key, order.coin)
        if fact is not None and fact.documented:
            used.append(fact)
    return used


def _note(schedule: fees.FeeSchedule, order: fees.Order, result: fees.CostResult) -> str:
    if order.interval != fees.MONTHLY or result.basis != fees.BASIS_SINGLE:
        return ""
    if schedule.sparplan.available is False:
        return "Kein Sparplan: berechnet als monatliche Einzelorder zu den Standardgebühren."
    if schedule.sparplan.available is True:
        return (
            "Sparplan vorhanden, eine eigene Gebühr je Ausführung ist nicht geprüft: berechnet "
            "mit den Gebühren eines Einzelkaufs."
        )
    return (
        "Sparplan-Konditionen nicht geprüft: berechnet als monatliche Einzelorder zu den "
        "Standardgebühren."
    )


def cost_row(*, row: ProviderRow, order: fees.Order) -> CalculatorRow:
    schedule = fees.schedule_from_facts(
        facts=row.facts, pricing=row.provider.pricing, method=order.method, coin=order.coin
    )
    result = fees.order_cost(schedule=schedule, order=order)
    return CalculatorRow(
        row=row,
        result=result,
        used=_used_facts(row, order, result),
        note=_note(schedule, order, result),
    )


@dataclass
class CostGroups:
    ranked: list[CalculatorRow]  # all costs known, cheapest first
    bounded: list[CalculatorRow]  # a part unknown: "mindestens …", by name
    unknown: list[CalculatorRow]  # no part known
    impossible: list[CalculatorRow]  # e.g. below the Sparplan's minimum rate
    excluded: list[CalculatorRow]  # not available in Germany / no MiCA authorisation

    @property
    def with_euro_figure(self) -> int:
        return len(self.ranked) + len(self.bounded)

    @property
    def serving_germany(self) -> int:
        return len(self.ranked) + len(self.bounded) + len(self.unknown) + len(self.impossible)


def cost_groups(items: list[CalculatorRow]) -> CostGroups:
    def name(item):
        return item.row.name.lower()

    groups = CostGroups([], [], [], [], [])
    for item in items:
        if item.row.excluded:
            groups.excluded.append(item)
        elif item.result.ok:
            groups.ranked.append(item)
        elif item.result.status == "impossible":
            groups.impossible.append(item)
        elif item.result.minimum is not None:
            groups.bounded.append(item)
        else:
            groups.unknown.append(item)
    groups.ranked.sort(key=lambda item: (item.result.total, name(item)))
    for items_ in (groups.bounded, groups.unknown, groups.impossible, groups.excluded):
        items_.sort(key=name)
    return groups


def trading_rows(rows: list[ProviderRow]) -> list[ProviderRow]:
    return [
        row
        for row in rows
        if row.group == scoring.TRADING and row.provider.pricing != fees.NO_TRADING
    ]


def calculator_results(*, order: fees.Order) -> CostGroups:
    """Every trading provider's costs for the order, grouped as the calculator shows them."""
    rows = trading_rows(provider_rows())
    return cost_groups([cost_row(row=row, order=order) for row in rows])


# --- Sparplan comparison -----------------------------------------------------------------------


@dataclass
class SparplanRow:
    """A provider on the Sparplan page: its plan terms and the cost of the reference plan."""

    row: ProviderRow
    cost: CalculatorRow

    @property
    def offered(self) -> bool | None:
        return self.row.offers("sparplan")

    @property
    def unranked_reason(self) -> str:
        if self.row.excluded:
            return self.row.status_reason
        if self.offered is None:
            return "Sparplan-Angebot nicht geprüft"
        if self.offered is False:
            return "Kein Sparplan"
        if self.cost.result.status == "impossible":
            return self.cost.result.reason
        return "Keine Kosten des Sparplans geprüft"


@dataclass
class SparplanGroups:
    ranked: list[SparplanRow]
    bounded: list[SparplanRow]
    unranked: list[SparplanRow]
    excluded: list[SparplanRow]

    @property
    def count(self) -> int:
        return len(self.ranked) + len(self.bounded) + len(self.unranked) + len(self.excluded)


def sparplan_groups(rows: list[ProviderRow], *, sort: str = "kosten") -> SparplanGroups:
    """Plans with a checked offer and fully known costs ranked by the cost of 12 × 50 €."""
    order = sparplan_order()
    groups = SparplanGroups([], [], [], [])
    for row in sorted(rows, key=lambda r: r.name.lower()):
        item = SparplanRow(row=row, cost=cost_row(row=row, order=order))
        result = item.cost.result
        if row.excluded:
            groups.excluded.append(item)
        elif item.offered is True and result.ok:
            groups.ranked.append(item)
        elif item.offered is True and result.minimum is not None:
            groups.bounded.append(item)
        else:
            groups.unranked.append(item)
    if sort != "name":
        groups.ranked.sort(key=lambda item: item.cost.result.total)
    return groups
