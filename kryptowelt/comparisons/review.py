"""Reads for the editors' report "Vergleichsdaten prüfen": figures to re-check, sorted by how
many of the rankings readers see depend on them, and what the last MiCA register imports
changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from kryptowelt.comparisons import fees, figures
from kryptowelt.comparisons.models import MicaRegisterImport, Provider, ProviderFigure
from kryptowelt.comparisons.selectors import today

# Figures that gate every ranking of a provider (not available / not authorised).
GATE_KEYS = {"available_de", "mica"}
TRADING_SCORE_KEYS = {
    "twofa",
    "cold_storage_pct",
    "proof_of_reserves",
    "insurance",
    "coins",
    "sparplan",
    "staking",
    "german_support",
}
WALLET_SCORE_KEYS = {"device_price_eur", "open_source", "secure_element", "coins", "german_support"}
SPARPLAN_KEYS = {"sparplan", "sparplan_fee", "sparplan_min_eur"}
STAKING_KEYS = {"staking", "staking_cut_pct"}
CALCULATOR_COINS = {"", "BTC", "ETH"}


def _cost_keys(pricing: str) -> set[str]:
    if pricing == fees.ORDERBOOK:
        return {"taker_pct", "fixed_eur"}
    if pricing == fees.BROKER:
        return {"commission_pct", "commission_min_eur", "spread_pct", "fixed_eur"}
    return set()


def dependent_rankings(*, provider: Provider, key: str, coin: str = "") -> list[str]:
    """The rankings readers see whose order this figure of this provider can change."""
    rankings: list[str] = []
    wallet = provider.is_wallet
    trading = not wallet and provider.pricing != fees.NO_TRADING
    cost_keys = _cost_keys(provider.pricing)
    gate = key in GATE_KEYS
    reference = coin in ("", "BTC") and (key in cost_keys or key == "deposit_sepa")
    in_score = gate or reference or key in (WALLET_SCORE_KEYS if wallet else TRADING_SCORE_KEYS)
    if in_score:
        pages = []
        if provider.kind_exchange:
            pages.append("Krypto-Börsen")
        if provider.kind_broker:
            pages.append("Broker")
        if wallet:
            pages.append("Wallets")
        if pages:
            rankings += [*pages, "Methodik-Rangliste"]
    paid = key in cost_keys or key.startswith("deposit_")
    if trading and (gate or (coin in CALCULATOR_COINS and (paid or key in SPARPLAN_KEYS))):
        rankings.append("Kostenrechner")
    plan_keys = SPARPLAN_KEYS | cost_keys | {"deposit_sepa"}
    if provider.kind_sparplan and trading and (gate or (coin in ("", "BTC") and key in plan_keys)):
        rankings.append("Sparpläne")
    if provider.kind_staking and (gate or key in STAKING_KEYS):
        rankings.append("Staking")
    return rankings


@dataclass
class ReviewItem:
    figure: ProviderFigure
    reasons: list[str]
    rankings: list[str] = field(default_factory=list)

    @property
    def provider(self) -> Provider:
        return self.figure.provider


def review_items(*, on: dt.date | None = None) -> list[ReviewItem]:
    """Figures older than STALE_AFTER_DAYS, marked for re-checking or without a source, the
    ones most rankings depend on first."""
    on = on or today()
    limit = on - dt.timedelta(days=figures.STALE_AFTER_DAYS)
    queryset = ProviderFigure.objects.select_related("provider").filter(
        Q(checked__lt=limit) | Q(recheck=True) | Q(source="") | Q(checked__isnull=True)
    )
    items = []
    for figure in queryset:
        reasons = []
        if not figure.source or figure.checked is None:
            reasons.append("ohne Quelle")
        elif figure.checked < limit:
            reasons.append(f"älter als {figures.STALE_AFTER_DAYS} Tage")
        if figure.recheck:
            reasons.append("erneut prüfen")
        rankings = dependent_rankings(provider=figure.provider, key=figure.key, coin=figure.coin)
        items.append(ReviewItem(figure=figure, reasons=reasons, rankings=rankings))
    items.sort(
        key=lambda item: (
            -len(item.rankings),
            item.figure.checked or dt.date.min,
            item.provider.name.lower(),
            item.figure.key,
        )
    )
    return items


def register_imports(*, limit: int = 3) -> list[MicaRegisterImport]:
    return list(MicaRegisterImport.objects.order_by("-imported_at")[:limit])
