"""Reads of coins: how current the stored figures are, the market table, a coin and its
snapshot, the coins an article names, the "Kurs" block, and the coin choices other apps
offer. Nothing here calls CoinGecko."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Max, Min
from django.utils import timezone

from kryptowelt.charts.sparkline import sparkline_svg
from kryptowelt.markets.models import (
    Coin,
    CoinMention,
    MarketSnapshot,
    PricePoint,
    SyncState,
)
from kryptowelt.markets.services.mentions import article_mention_counts
from kryptowelt.markets.services.state import markets_generation
from kryptowelt.news.selectors import article_list

TABLE_SORTS = {
    "rang": "coin__rank",
    "name": "coin__name",
    "preis": "price",
    "1h": "change_1h",
    "24h": "change_24h",
    "7t": "change_7d",
    "marktkap": "market_cap",
    "volumen": "total_volume",
}
TABLE_PAGE_SIZE = 100


# --- freshness --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataStatus:
    """How current the shown figures are, and whether they are generated samples."""

    as_of: dt.datetime | None
    is_stale: bool
    is_sample: bool
    age_minutes: int | None

    @property
    def has_data(self) -> bool:
        return self.as_of is not None

    @property
    def age_text(self) -> str:
        minutes = self.age_minutes or 0
        if minutes < 120:
            return f"{minutes} Minuten"
        if minutes < 48 * 60:
            return f"{minutes // 60} Stunden"
        return f"{minutes // (24 * 60)} Tagen"


def data_status(*, as_of: dt.datetime | None, is_sample: bool, now=None) -> DataStatus:
    now = now or timezone.now()
    if as_of is None:
        return DataStatus(None, False, is_sample, None)
    age = max(0, int((now - as_of).total_seconds() // 60))
    return DataStatus(
        as_of=as_of,
        is_stale=age >= settings.MARKETS_STALE_AFTER_MINUTES,
        is_sample=is_sample,
        age_minutes=age,
    )


def market_status(*, now=None) -> DataStatus:
    """Freshness of the market table: the time of the newest stored snapshot."""
    newest = (
        MarketSnapshot.objects.filter(coin__rank__isnull=False)
        .order_by("-fetched_at")
        .values_list("fetched_at", "is_sample")
        .first()
    )
    if newest is None:
        return data_status(as_of=None, is_sample=False, now=now)
    return data_status(as_of=newest[0], is_sample=newest[1], now=now)


def snapshot_status(*, snapshot: MarketSnapshot | None, now=None) -> DataStatus:
    if snapshot is None:
        return data_status(as_of=None, is_sample=False, now=now)
    return data_status(as_of=snapshot.fetched_at, is_sample=snapshot.is_sample, now=now)


def history_status(*, coin: Coin, now=None) -> DataStatus:
    """Freshness of a coin known only from its history (e.g. imported from CSV)."""
    newest = (
        PricePoint.objects.filter(coin=coin)
        .order_by("-timestamp")
        .values_list("timestamp", "source")
        .first()
    )
    if newest is None:
        return data_status(as_of=None, is_sample=False, now=now)
    return data_status(as_of=newest[0], is_sample=newest[1] == PricePoint.SOURCE_SAMPLE, now=now)


def sync_states() -> dict[str, SyncState]:
    return {state.kind: state for state in SyncState.objects.all()}


# --- the table ------------------------------------------------------------------------------


def market_table(*, sort: str = "rang", direction: str = "auf"):
    """Snapshots of the ranked coins (the last sync's top list), sorted; nulls last."""
    field = TABLE_SORTS.get(sort, TABLE_SORTS["rang"])
    expression = (
        F(field).desc(nulls_last=True) if direction == "ab" else F(field).asc(nulls_last=True)
    )
    return (
        MarketSnapshot.objects.filter(coin__rank__isnull=False)
        .select_related("coin")
        .defer("sparkline_7d")
        .order_by(expression, "coin__rank")
    )


# --- coins ----------------------------------------------------------------------------------


def coin_get(*, coin_id: str) -> Coin | None:
    return Coin.objects.filter(coingecko_id=coin_id).select_related("snapshot").first()


def coin_snapshot(coin: Coin) -> MarketSnapshot | None:
    try:
        return coin.snapshot
    except MarketSnapshot.DoesNotExist:
        return None


def coin_has_history(*, coin: Coin) -> bool:
    return PricePoint.objects.filter(coin=coin).exists()


def coin_articles(*, coin: Coin, limit: int = 6):
    return list(article_list().filter(coin_mentions__coin=coin)[:limit])


def article_coin_chips(*, article, limit: int = 4) -> list[dict]:
    """The coins an article names most, with their latest price, for chips by the headline.

    Published articles use the stored mentions; an unsaved one (editor's preview of a new
    article) is scanned on the fly."""
    if article.pk is None:
        counts = article_mention_counts(article=article)
        coins = (
            Coin.objects.filter(coingecko_id__in=counts, snapshot__isnull=False)
            .select_related("snapshot")
            .order_by(F("rank").asc(nulls_last=True))
        )
        ranked = sorted(coins, key=lambda c: -counts[c.coingecko_id])[:limit]
        return [{"coin": coin, "snapshot": coin.snapshot} for coin in ranked]
    mentions = (
        CoinMention.objects.filter(article=article, coin__snapshot__isnull=False)
        .select_related("coin", "coin__snapshot")
        .order_by("-count", F("coin__rank").asc(nulls_last=True))[:limit]
    )
    return [{"coin": m.coin, "snapshot": m.coin.snapshot} for m in mentions]


def coin_block_data(*, coin_id: str) -> dict | None:
    """What the "Kurs" block in an article shows for a coin; None if we know nothing of it."""
    coin = coin_get(coin_id=coin_id)
    if coin is None:
        return None
    snapshot = coin_snapshot(coin)
    if snapshot is None:
        return None
    return {
        "coin": coin,
        "snapshot": snapshot,
        "status": snapshot_status(snapshot=snapshot),
        "sparkline": sparkline_svg(
            snapshot.sparkline_7d or [],
            width=240,
            height=56,
            label=f"Kursverlauf {coin.name}, 7 Tage",
            up=None if snapshot.change_7d is None else snapshot.change_7d >= 0,
        ),
    }


def coin_choices() -> list[tuple[str, str]]:
    """(CoinGecko id, name) of every coin with a price history, best ranked first."""
    key = f"kw:markets:choices:{markets_generation()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    spans = PricePoint.objects.values("coin_id").annotate(
        first=Min("timestamp"), last=Max("timestamp")
    )
    daily_sources = set(
        PricePoint.objects.exclude(source=PricePoint.SOURCE_SYNC)
        .values_list("coin_id", flat=True)
        .distinct()
    )
    with_history = {
        row["coin_id"]
        for row in spans
        if row["coin_id"] in daily_sources or row["last"] - row["first"] >= dt.timedelta(days=1)
    }
    choices = [
        (coin_id, name)
        for coin_id, name in Coin.objects.filter(pk__in=with_history)
        .order_by(F("rank").asc(nulls_last=True), "name")
        .values_list("coingecko_id", "name")
    ]
    cache.set(key, choices, 3600)
    return choices


def coin_select_choices() -> list[tuple[str, str]]:
    """Choices for editors picking a coin (the "Kurs" block): every coin we have data for."""
    return [
        (coin.coingecko_id, f"{coin.name} ({coin.symbol_display})" if coin.symbol else coin.name)
        for coin in Coin.objects.filter(snapshot__isnull=False).order_by(
            F("rank").asc(nulls_last=True), "name"
        )
    ]
