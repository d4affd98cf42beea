"""Reads of coins: how current the stored figures are, the market table, a coin and its
snapshot, the coins an article names, the "Kurs" block, and the coin choices other apps
offer. Nothing here calls CoinGecko."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db.models import F, Max, Min, Q

from kryptowelt.caching.scopes import Scope, reads
from kryptowelt.markets.models import (
    Coin,
    CoinMention,
    MarketSnapshot,
    PricePoint,
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


# --- the table ------------------------------------------------------------------------------


def market_table(*, sort: str = "rang", direction: str = "auf", name: str = ""):
    """Snapshots of the ranked coins (the last sync's top list), sorted; nulls last. With
    `name`, only coins whose name contains it, or whose symbol or CoinGecko id it is."""
    field = TABLE_SORTS.get(sort, TABLE_SORTS["rang"])
    expression = (
        F(field).desc(nulls_last=True) if direction == "ab" else F(field).asc(nulls_last=True)
    )
    snapshots = MarketSnapshot.objects.filter(coin__rank__isnull=False)
    if name:
        snapshots = snapshots.filter(
            Q(coin__name__icontains=name)
            | Q(coin__symbol__iexact=name)
            | Q(coin__coingecko_id=name.lower().replace(" ", "-"))
        )
    return snapshots.select_related("coin").defer("sparkline_7d").order_by(expression, "coin__rank")


@reads(Scope.MARKETS)
def market_top_list(*, limit: int = 6) -> list[MarketSnapshot]:
    """The best-ranked coins with their latest figures (the home page's market box)."""
    return list(
        MarketSnapshot.objects.filter(coin__rank__isnull=False)
        .select_related("coin")
        .defer("sparkline_7d", "sparkline_svg")
        .order_by("coin__rank")[:limit]
    )


# --- coins ----------------------------------------------------------------------------------


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
