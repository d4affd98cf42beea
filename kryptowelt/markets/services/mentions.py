"""Which coins an article names (CoinMention), detected with the matcher of
`markets.mentions` over all known coins."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

from kryptowelt.markets.mentions import CoinName, MentionMatcher
from kryptowelt.markets.models import Coin, CoinMention
from kryptowelt.news.models import ArticlePage

MATCHER_KEY = "kw:markets:matcher"


def mention_matcher_forget() -> None:
    """Drop the cached matcher (after coins were added or renamed)."""
    cache.delete(MATCHER_KEY)


def _matcher() -> MentionMatcher:
    matcher = cache.get(MATCHER_KEY)
    if matcher is None:
        matcher = MentionMatcher(
            CoinName(coin_id=c, name=n, symbol=s, rank=r)
            for c, n, s, r in Coin.objects.values_list("coingecko_id", "name", "symbol", "rank")
        )
        cache.set(MATCHER_KEY, matcher, 3600)
    return matcher


def article_mention_counts(*, article) -> dict[str, int]:
    """How often `article` (saved or not) names each known coin."""
    tags = " ".join(tag.name for tag in article.tags.all())
    return dict(_matcher().count(f"{article.title}\n{article.plain_text}\n{tags}"))


def article_mentions_update(*, article) -> dict[str, int]:
    """Store which coins `article` names (replacing what was stored for it)."""
    counts = article_mention_counts(article=article)
    coins = dict(Coin.objects.filter(coingecko_id__in=counts).values_list("coingecko_id", "pk"))
    with transaction.atomic():
        CoinMention.objects.filter(article=article).delete()
        CoinMention.objects.bulk_create(
            [
                CoinMention(coin_id=coins[coin_id], article=article, count=count)
                for coin_id, count in counts.items()
                if coin_id in coins
            ]
        )
    return counts


def coin_mentions_refresh() -> int:
    """Re-detect coin mentions in every published article (after new coins arrived)."""
    mention_matcher_forget()
    total = 0
    for article in ArticlePage.objects.live().prefetch_related("tags").iterator(chunk_size=200):
        total += len(article_mentions_update(article=article))
    return total
