"""Reads for the market head of /trends/: gainers and losers, CoinGecko's trending coins
and the topics (tags, coins) our articles name more often than usual."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from kryptowelt.markets.models import Coin, CoinMention, MarketSnapshot, TrendingCoin
from kryptowelt.markets.selectors.quotes import market_status
from kryptowelt.markets.trendmath import topic_trends
from kryptowelt.news.models import ArticlePage, ArticleTag
from kryptowelt.news.models import Topic as Tag


def market_movers(*, limit: int = 5) -> dict:
    """Top gainers and losers over 24 hours among the ranked coins with trading volume."""
    base = MarketSnapshot.objects.filter(
        coin__rank__isnull=False, change_24h__isnull=False, total_volume__gt=0
    ).select_related("coin")
    return {
        # Changes that round to 0,0 % are neither gains nor losses.
        "gainers": list(base.filter(change_24h__gte=0.05).order_by("-change_24h")[:limit]),
        "losers": list(base.filter(change_24h__lte=-0.05).order_by("change_24h")[:limit]),
    }


def trending_coins(*, limit: int = 7) -> list[dict]:
    items = list(TrendingCoin.objects.all()[:limit])
    known = dict(
        Coin.objects.filter(
            coingecko_id__in=[i.coingecko_id for i in items], snapshot__isnull=False
        ).values_list("coingecko_id", "pk")
    )
    return [{"item": item, "has_page": item.coingecko_id in known} for item in items]


@dataclass(frozen=True)
class Topic:
    kind: str  # "tag" or "coin"
    name: str
    url: str
    recent: int
    baseline: int
    recent_per_week: float
    baseline_per_week: float


def trending_topics(*, now: dt.datetime | None = None, limit: int = 8) -> list[Topic]:
    """Tags and coins whose share of our articles rose most in the last 7 days against the
    30 days before (see trendmath)."""
    now = now or timezone.now()
    cache_key = f"kw:markets:topics:{now:%Y%m%d%H}:{now.minute // 10}:{limit}"
    cached = cache.get(cache_key)
    if cached is not None:
        return cached
    recent_start = now - dt.timedelta(days=7)
    baseline_start = recent_start - dt.timedelta(days=30)
    articles = (
        ArticlePage.objects.live()
        .public()
        .filter(first_published_at__gte=baseline_start, first_published_at__lt=now)
    )
    recent: Counter = Counter()
    baseline: Counter = Counter()
    for tag_id, published in ArticleTag.objects.filter(content_object__in=articles).values_list(
        "tag_id", "content_object__first_published_at"
    ):
        (recent if published >= recent_start else baseline)[("tag", tag_id)] += 1
    for coin_id, published in CoinMention.objects.filter(article__in=articles).values_list(
        "coin_id", "article__first_published_at"
    ):
        (recent if published >= recent_start else baseline)[("coin", coin_id)] += 1
    trends = topic_trends(recent=recent, baseline=baseline, limit=limit * 2)
    tags = Tag.objects.with_pages().in_bulk(
        [key[1] for key in (t.key for t in trends) if key[0] == "tag"]
    )
    coins = Coin.objects.in_bulk([key[1] for key in (t.key for t in trends) if key[0] == "coin"])
    topics: list[Topic] = []
    seen: set[str] = set()
    for trend in trends:
        kind, pk = trend.key
        if kind == "tag" and pk in tags:
            name, url = tags[pk].name, tags[pk].get_absolute_url()
        elif kind == "coin" and pk in coins:
            name, url = coins[pk].name, coins[pk].get_absolute_url()
        else:
            continue
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        topics.append(
            Topic(
                kind=kind,
                name=name,
                url=url,
                recent=trend.recent,
                baseline=trend.baseline,
                recent_per_week=trend.recent_per_week,
                baseline_per_week=trend.baseline_per_week,
            )
        )
        if len(topics) == limit:
            break
    cache.set(cache_key, topics, 600)
    return topics


def trends_head() -> dict:
    """Everything the market head of /trends/ shows."""
    movers = market_movers()
    status = market_status()
    return {
        "gainers": movers["gainers"],
        "losers": movers["losers"],
        "topics": trending_topics(),
        "trending_coins": trending_coins(),
        "status": status,
    }
