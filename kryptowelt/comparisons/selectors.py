"""Reads for the comparison pages, blocks and the cost calculator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils import timezone

from kryptowelt.comparisons import fees, figures, scoring
from kryptowelt.comparisons.models import Provider, ProviderFigure

# Coins the cost calculator knows: URL value -> (name, symbol).
CALCULATOR_COINS = {
    "bitcoin": ("Bitcoin", "BTC"),
    "ethereum": ("Ether", "ETH"),
}


@dataclass(frozen=True)
class Kind:
    slug: str
    title: str
    singular: str
    fields: tuple[str, ...]
    group: str
    intro: str


KINDS = {
    "krypto-boersen": Kind(
        "krypto-boersen",
        "Krypto-Börsen",
        "Krypto-Börse",
        ("kind_exchange",),
        scoring.TRADING,
        "Börsen bringen Käufer und Verkäufer über ein Orderbuch zusammen. Sie zahlen eine "
        "Handelsgebühr (Maker oder Taker); den Kurs bestimmt der Markt.",
    ),
    "broker": Kind(
        "broker",
        "Broker und Neobroker",
        "Broker",
        ("kind_broker",),
        scoring.TRADING,
        "Broker stellen den Kurs selbst oder leiten Ihre Order weiter. Kosten stecken oft im "
        "Spread – dem Aufschlag auf den Marktpreis – und in festen Gebühren je Order.",
    ),
    "wallets": Kind(
        "wallets",
        "Wallets",
        "Wallet",
        ("kind_wallet_hardware", "kind_wallet_software"),
        scoring.WALLET,
        "Mit einer eigenen Wallet verwahren Sie die Schlüssel zu Ihren Kryptowerten selbst – "
        "als Hardware-Gerät oder als App.",
    ),
    "sparplaene": Kind(
        "sparplaene",
        "Krypto-Sparpläne",
        "Sparplan",
        ("kind_sparplan",),
        scoring.TRADING,
        "Mit einem Sparplan kaufen Sie regelmäßig für einen festen Betrag. Entscheidend sind "
        "Kosten je Ausführung, Mindestrate und Intervalle.",
    ),
    "staking": Kind(
        "staking",
        "Staking-Anbieter",
        "Staking",
        ("kind_staking",),
        scoring.TRADING,
        "Beim Staking stellen Sie Kryptowerte für den Betrieb einer Blockchain bereit und "
        "erhalten dafür Erträge – abzüglich des Anteils, den der Anbieter einbehält.",
    ),
}

SORTS_TRADING = {
    "score": "Score",
    "kosten": "Kosten (Referenzorder)",
    "kryptowerte": "Anzahl Kryptowerte",
    "name": "Name",
}
SORTS_WALLET = {
    "score": "Score",
    "kosten": "Gerätepreis",
    "kryptowerte": "Anzahl Kryptowerte",
    "name": "Name",
}


def today() -> dt.date:
    return timezone.localdate()


def reference_order() -> fees.Order:
    return fees.Order(
        amount=scoring.REFERENCE_AMOUNT, interval=fees.ONCE, method="sepa", coin="BTC"
    )


@dataclass
class ProviderRow:
    """A provider with everything the pages show: figures, reference costs, score."""

    provider: Provider
    facts: figures.FactSet
    group: str
    reference_cost: fees.CostResult | None
    score: scoring.Score
    today: dt.date

    @property
    def name(self) -> str:
        return self.provider.name

    @property
    def slug(self) -> str:
        return self.provider.slug

    @property
    def checked_dates(self) -> list[dt.date]:
        return self.facts.checked_dates()

    @property
    def last_checked(self) -> dt.date | None:
        dates = self.checked_dates
        return dates[-1] if dates else None

    @property
    def oldest_checked(self) -> dt.date | None:
        dates = self.checked_dates
        return dates[0] if dates else None

    @property
    def stale_facts(self) -> list[figures.Fact]:
        return [fact for fact in self.facts if fact.verified and fact.is_stale(self.today)]

    @property
    def recheck_facts(self) -> list[figures.Fact]:
        return [fact for fact in self.facts if fact.recheck]

    def fact(self, key: str, coin: str = "") -> figures.Fact | None:
        return self.facts.get(key, coin)

    @property
    def sort_cost(self) -> Decimal | None:
        if self.group == scoring.WALLET:
            return self.facts.value("device_price_eur")
        return None if self.reference_cost is None else self.reference_cost.total

    @property
    def coins(self) -> int | None:
        return self.facts.value("coins")

    @property
    def reference_missing_labels(self) -> list[str]:
        if self.reference_cost is None:
            return []
        return [missing_label(key) for key in self.reference_cost.missing]


def provider_queryset():
    return Provider.objects.live().prefetch_related(
        Prefetch("figures", queryset=ProviderFigure.objects.order_by("sort_order", "pk"))
    )


def provider_row(
    *, provider: Provider, weights: Mapping[str, int] | None = None, on: dt.date | None = None
) -> ProviderRow:
    facts = provider.facts
    group = scoring.WALLET if provider.is_wallet else scoring.TRADING
    reference = None
    if group == scoring.TRADING:
        order = reference_order()
        schedule = fees.schedule_from_facts(
            facts=facts, pricing=provider.pricing, method=order.method, coin=order.coin
        )
        reference = fees.order_cost(schedule=schedule, order=order)
    score = scoring.provider_score(
        group=group,
        facts=facts,
        reference_cost=reference,
        weights=weights or scoring.DEFAULT_WEIGHTS,
    )
    return ProviderRow(
        provider=provider,
        facts=facts,
        group=group,
        reference_cost=reference,
        score=score,
        today=on or today(),
    )


def provider_rows(
    *, kind: Kind | None = None, weights: Mapping[str, int] | None = None
) -> list[ProviderRow]:
    queryset = provider_queryset()
    if kind is not None:
        condition = Q()
        for field_name in kind.fields:
            condition |= Q(**{field_name: True})
        queryset = queryset.filter(condition)
    on = today()
    return [provider_row(provider=p, weights=weights, on=on) for p in queryset]


def rows_filter(
    rows: list[ProviderRow],
    *,
    eu: bool = False,
    sparplan: bool = False,
    sepa: bool = False,
    staking: bool = False,
    min_coins: int | None = None,
) -> list[ProviderRow]:
    """Filters use verified figures only: an unchecked figure never passes a filter."""
    result = []
    for row in rows:
        facts = row.facts
        if eu and facts.value("mica") is not True:
            continue
        if sparplan and facts.value("sparplan") is not True:
            continue
        if sepa and facts.verified("deposit_sepa") is None:
            continue
        if staking and facts.value("staking") is not True:
            continue
        if min_coins and (facts.value("coins") or 0) < min_coins:
            continue
        result.append(row)
    return result


def rows_sort(rows: list[ProviderRow], sort: str) -> list[ProviderRow]:
    by_name = sorted(rows, key=lambda row: row.name.lower())
    if sort == "name":
        return by_name
    if sort == "kosten":
        return sorted(by_name, key=lambda r: (r.sort_cost is None, r.sort_cost or Decimal(0)))
    if sort == "kryptowerte":
        return sorted(by_name, key=lambda r: (r.coins is None, -(r.coins or 0)))
    return sorted(by_name, key=lambda row: -row.score.total)


def table_stand(rows: list[ProviderRow]) -> dict:
    """The check dates of a table: the newest and the oldest verified figure shown."""
    dates = [date for row in rows for date in row.checked_dates]
    on = today()
    return {
        "last": max(dates) if dates else None,
        "oldest": min(dates) if dates else None,
        "stale": sum(len(row.stale_facts) for row in rows),
        "stale_after_days": figures.STALE_AFTER_DAYS,
        "has_stale": any(row.stale_facts for row in rows),
        "today": on,
    }


# --- figure tables ---------------------------------------------------------------------------


@dataclass
class FigureLine:
    spec: figures.FigureSpec
    fact: figures.Fact | None
    label: str


def figure_groups(row: ProviderRow) -> list[dict]:
    """Every figure of the catalogue that applies to this provider, grouped, with its fact or
    None ("nicht geprüft")."""
    skip_groups = (
        {"wallet"}
        if row.group == scoring.TRADING
        else {
            "handel",
            "einzahlung",
            "auszahlung",
            "sparplan",
            "staking",
            "regulierung",
        }
    )
    if row.group == scoring.TRADING and row.provider.pricing == fees.ORDERBOOK:
        skip_keys = {"commission_pct", "spread_pct"}
    elif row.group == scoring.TRADING:
        skip_keys = {"maker_pct", "taker_pct"}
    else:
        skip_keys = {"twofa", "cold_storage_pct", "proof_of_reserves", "insurance"}
    groups = []
    for group_key, group_label in figures.GROUPS:
        if group_key in skip_groups:
            continue
        lines = []
        for spec in figures.SPECS.values():
            if spec.group != group_key or spec.key in skip_keys:
                continue
            if spec.per_coin:
                facts = row.facts.per_coin(spec.key)
                if not facts:
                    lines.append(FigureLine(spec, None, spec.label))
                for fact in facts:
                    lines.append(FigureLine(spec, fact, f"{spec.label} ({fact.coin})"))
                continue
            lines.append(FigureLine(spec, row.facts.get(spec.key), spec.label))
            for fact in row.facts.per_coin(spec.key):
                lines.append(FigureLine(spec, fact, f"{spec.label} ({fact.coin})"))
        if lines:
            groups.append({"key": group_key, "label": group_label, "lines": lines})
    return groups


def provider_detail_context(*, provider: Provider, request=None) -> dict:
    row = provider_row(provider=provider)
    return {
        "row": row,
        "provider": provider,
        "figure_groups": figure_groups(row),
        "stand": table_stand([row]),
        "criteria": scoring.CRITERIA,
        "weights": scoring.DEFAULT_WEIGHTS,
        "reference_amount": scoring.REFERENCE_AMOUNT,
        "page_title": f"{provider.name} im Vergleich: Gebühren, Regulierung, Score",
        "meta_description": provider.summary[:300],
    }


# --- cost calculator ---------------------------------------------------------------------------

MISSING_LABELS = {
    "taker_pct": "Taker-Gebühr",
    "commission_pct": "Provision je Order",
    "spread_pct": "Spread/Aufschlag des Anbieters",
    "fixed_eur": "feste Gebühr je Order",
}


def missing_label(key: str) -> str:
    if key in MISSING_LABELS:
        return MISSING_LABELS[key]
    return figures.SPECS[key].label if key in figures.SPECS else key


@dataclass
class CalculatorRow:
    row: ProviderRow
    result: fees.CostResult
    used: list[figures.Fact] = field(default_factory=list)
    note: str = ""

    @property
    def missing_labels(self) -> list[str]:
        return [missing_label(key) for key in self.result.missing]

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


def _used_facts(row: ProviderRow, order: fees.Order, result: fees.CostResult) -> list[figures.Fact]:
    if result.basis == fees.BASIS_SPARPLAN:
        keys = ["sparplan", "sparplan_fee", "sparplan_min_eur"]
    elif row.provider.pricing == fees.ORDERBOOK:
        keys = ["taker_pct", "fixed_eur"]
    else:
        keys = ["commission_pct", "fixed_eur"]
    if row.provider.pricing == fees.BROKER:
        keys.append("spread_pct")
    keys.append(f"deposit_{order.method}")
    used = []
    for key in keys:
        fact = row.facts.verified(key, order.coin)
        if fact is not None:
            used.append(fact)
    return used


def calculator_results(*, order: fees.Order) -> dict:
    """Every trading provider's costs for the order: ranked where all needed fees are verified,
    listed separately (with the missing figures) where not."""
    ranked, missing, impossible = [], [], []
    for row in provider_rows():
        if row.group != scoring.TRADING or row.provider.pricing == fees.NO_TRADING:
            continue
        schedule = fees.schedule_from_facts(
            facts=row.facts, pricing=row.provider.pricing, method=order.method, coin=order.coin
        )
        result = fees.order_cost(schedule=schedule, order=order)
        note = ""
        if order.interval == fees.MONTHLY and result.basis == fees.BASIS_SINGLE:
            if schedule.sparplan.available is False:
                note = (
                    "Kein Sparplan: berechnet als monatliche Einzelorder zu den Standardgebühren."
                )
            else:
                note = (
                    "Sparplan-Konditionen nicht geprüft: berechnet als monatliche Einzelorder "
                    "zu den Standardgebühren."
                )
        item = CalculatorRow(
            row=row, result=result, used=_used_facts(row, order, result), note=note
        )
        if result.ok:
            ranked.append(item)
        elif result.status == "impossible":
            impossible.append(item)
        else:
            missing.append(item)
    ranked.sort(key=lambda item: (item.result.total, item.row.name.lower()))
    missing.sort(key=lambda item: item.row.name.lower())
    impossible.sort(key=lambda item: item.row.name.lower())
    return {"ranked": ranked, "missing": missing, "impossible": impossible}


# --- editors ---------------------------------------------------------------------------------


def figures_needing_attention(*, on: dt.date | None = None):
    """Figures editors should look at: stale, marked for re-checking, or without a source."""
    on = on or today()
    limit = on - dt.timedelta(days=figures.STALE_AFTER_DAYS)
    return (
        ProviderFigure.objects.select_related("provider")
        .filter(Q(checked__lt=limit) | Q(recheck=True) | Q(source="") | Q(checked__isnull=True))
        .order_by("provider__name", "sort_order", "key")
    )
