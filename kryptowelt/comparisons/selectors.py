"""Reads for the comparison pages and blocks: providers with their figures, score and status.

A provider is *ranked* only with enough checked figures (`scoring.MIN_COVERAGE_PCT`); a
provider that does not serve readers in Germany or has no MiCA authorisation is shown with
the reason and never ranked or recommended. Costs for the calculator and the Sparplan page
are in `costs.py`, the provider page's figure tables in `figure_tables.py`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from kryptowelt.caching.purge import pages_using
from kryptowelt.comparisons import fees, figures, scoring
from kryptowelt.comparisons.facts import Fact, FactSet
from kryptowelt.comparisons.kinds import Kind
from kryptowelt.comparisons.models import (
    KIND_FIELDS,
    ComparisonIndexPage,
    Provider,
    ProviderFigure,
)
from kryptowelt.comparisons.register_selectors import (
    RegisterSnapshot,
    provider_facts,
    register_snapshot,
)

# Coins the cost calculator knows: URL value -> (name, symbol).
CALCULATOR_COINS = {
    "bitcoin": ("Bitcoin", "BTC"),
    "ethereum": ("Ether", "ETH"),
}


# Row status: why a provider is (not) in the ranking.
RANKED = "ranked"
UNRANKED = "unranked"  # too few checked figures
UNAVAILABLE = "unavailable"  # does not serve readers in Germany
UNLICENSED = "unlicensed"  # trades crypto without MiCA authorisation for Germany

BASE_KIND_FIELDS = ("kind_exchange", "kind_broker", "kind_wallet_hardware", "kind_wallet_software")


def today() -> dt.date:
    return timezone.localdate()


def reference_order() -> fees.Order:
    return fees.Order(
        amount=scoring.REFERENCE_AMOUNT, interval=fees.ONCE, method="sepa", coin="BTC"
    )


@dataclass
class ProviderRow:
    """A provider with everything the pages show: figures, reference costs, score, status."""

    provider: Provider
    facts: FactSet
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
    def stale_facts(self) -> list[Fact]:
        return [fact for fact in self.facts if fact.documented and fact.is_stale(self.today)]

    @property
    def recheck_facts(self) -> list[Fact]:
        return [fact for fact in self.facts if fact.recheck]

    def fact(self, key: str, coin: str = "") -> Fact | None:
        return self.facts.get(key, coin)

    def offers(self, key: str) -> bool | None:
        """ "sparplan" or "staking": True/False as checked, None if not checked. The labels,
        the columns and the filters all use this, so they always agree."""
        return self.facts.value(key)

    @property
    def labels(self) -> list[str]:
        """What the provider is, as shown under its name: its kind (Börse, Broker, Wallet)
        and the offers that are checked."""
        labels = [
            label
            for name, _slug, label in KIND_FIELDS
            if name in BASE_KIND_FIELDS and getattr(self.provider, name)
        ]
        labels += [
            label
            for key, label in (("sparplan", "Sparplan"), ("staking", "Staking"))
            if self.offers(key)
        ]
        return labels

    @property
    def mica(self) -> Fact | None:
        return self.facts.verified("mica")

    @property
    def status(self) -> str:
        if self.facts.value("available_de") is False:
            return UNAVAILABLE
        mica = self.mica
        if self.group == scoring.TRADING and mica is not None and mica.flag is False:
            return UNLICENSED
        return RANKED if self.score.ranked else UNRANKED

    @property
    def ranked(self) -> bool:
        return self.status == RANKED

    @property
    def excluded(self) -> bool:
        """Never ranked or recommended, whatever its figures."""
        return self.status in (UNAVAILABLE, UNLICENSED)

    @property
    def status_reason(self) -> str:
        status = self.status
        if status == UNAVAILABLE:
            fact = self.facts.verified("available_de")
            reason = f": {fact.text}" if fact and fact.text else ""
            return f"In Deutschland nicht verfügbar{reason}"
        if status == UNLICENSED:
            return "Ohne MiCA-Zulassung für Deutschland – wir empfehlen keinen Anbieter ohne EU-Zulassung"
        if status == UNRANKED:
            return (
                f"Zu wenige geprüfte Angaben (bewertet auf Basis von {self.score.coverage} % der "
                f"Kriterien, nötig sind {scoring.MIN_COVERAGE_PCT} %)"
            )
        return ""

    @property
    def sort_cost(self) -> Decimal | None:
        if self.group == scoring.WALLET:
            return self.facts.value("device_price_eur")
        return None if self.reference_cost is None else self.reference_cost.total

    @property
    def coins(self) -> int | None:
        return self.facts.value("coins")

    @property
    def reference_missing(self) -> list[dict]:
        if self.reference_cost is None:
            return []
        return fees.missing_parts(self.reference_cost)


def provider_queryset():
    return Provider.objects.live().prefetch_related(
        Prefetch("figures", queryset=ProviderFigure.objects.order_by("sort_order", "pk"))
    )


def provider_row(
    *,
    provider: Provider,
    weights: Mapping[str, int] | None = None,
    on: dt.date | None = None,
    snapshot: RegisterSnapshot | None = None,
) -> ProviderRow:
    if snapshot is None:
        snapshot = register_snapshot(leis=provider.leis)
    facts = provider_facts(provider=provider, snapshot=snapshot)
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
    providers = list(queryset)
    snapshot = register_snapshot(leis={lei for p in providers for lei in p.leis})
    on = today()
    return [provider_row(provider=p, weights=weights, on=on, snapshot=snapshot) for p in providers]


def rows_filter(
    rows: list[ProviderRow],
    *,
    eu: bool = False,
    sparplan: bool = False,
    sepa: bool = False,
    staking: bool = False,
    min_coins: int | None = None,
) -> list[ProviderRow]:
    """Filters use verified figures only: an unchecked figure never passes a filter. The
    Sparplan and staking filters match the labels shown (`ProviderRow.offers`)."""
    result = []
    for row in rows:
        facts = row.facts
        if eu and facts.value("mica") is not True:
            continue
        if sparplan and row.offers("sparplan") is not True:
            continue
        if sepa and facts.value("deposit_sepa") is None:
            continue
        if staking and row.offers("staking") is not True:
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
    if sort == "anteil":
        return sorted(by_name, key=lambda r: _staking_cut_key(r))
    return sorted(by_name, key=lambda row: -(row.score.total or Decimal(0)))


def _staking_cut_key(row: ProviderRow) -> tuple:
    cut = row.facts.value("staking_cut_pct") if row.offers("staking") else None
    return (cut is None, cut or Decimal(0))


@dataclass
class RowGroups:
    """A table's providers: ranked (in order), not ranked, and never ranked (with reason)."""

    ranked: list[ProviderRow]
    unranked: list[ProviderRow]
    excluded: list[ProviderRow]

    @property
    def count(self) -> int:
        return len(self.ranked) + len(self.unranked) + len(self.excluded)

    @property
    def all(self) -> list[ProviderRow]:
        return [*self.ranked, *self.unranked, *self.excluded]


def rows_group(rows: list[ProviderRow], sort: str) -> RowGroups:
    """Ranked rows sorted by `sort`; the rest by name, apart, so a missing figure never puts a
    provider last in a ranking (and a missing score never first)."""
    ordered = rows_sort(rows, sort)
    by_name = rows_sort(rows, "name")
    return RowGroups(
        ranked=[row for row in ordered if row.ranked],
        unranked=[row for row in by_name if row.status == UNRANKED],
        excluded=[row for row in by_name if row.excluded],
    )


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


def provider_shown_urls(*, provider) -> set[str]:
    """Full URLs of the pages that show `provider`, for the caching proxy to purge when an
    editor publishes, unpublishes or deletes it: the comparison overview, every kind and the
    method page, the provider's own page, the sitemap, and the pages whose provider box names
    it (Wagtail's reference index). Pages with a comparison table by kind renew in the app's
    caches (the content scope) and in the proxy after CACHE_SHARED_SECONDS."""
    urls = {settings.SITE_URL.rstrip("/") + reverse("sitemap")}
    for index in ComparisonIndexPage.objects.live():
        base = index.get_full_url()
        if not base:
            continue
        routes = [
            ("index", {}),
            ("calculator", {}),
            ("side_by_side", {}),
            ("provider", {"slug": provider.slug}),
            *index.sitemap_routes(),
        ]
        urls.update(base + index.reverse_subpage(name, kwargs=kwargs) for name, kwargs in routes)
    for page in pages_using(provider):
        url = page.get_full_url()
        if url:
            urls.add(url)
    return urls
