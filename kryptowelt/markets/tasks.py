"""Background tasks (django-tasks) of the markets app."""

import dataclasses

from django.core.cache import cache
from django_tasks import task

from kryptowelt.markets.services.logos import RUN_BUDGET_SECONDS, coin_logos_refresh
from kryptowelt.markets.services.mentions import article_mentions_update
from kryptowelt.news.models import ArticlePage

LOGOS_RUNNING_KEY = "kw:markets:logos:running"


# Below the default priority: purging the caching proxy after a publish must not wait
# behind this (the worker takes higher priorities first).
@task(priority=-10)
def article_mentions_detect(page_id: int) -> int:
    """Detect the coins a (re)published article names."""
    article = ArticlePage.objects.live().filter(pk=page_id).first()
    if article is None:
        return 0
    return len(article_mentions_update(article=article))


# Queued by the price sync; logos are cosmetic, so everything else goes first.
@task(priority=-20)
def coin_logos_fetch() -> dict:
    """Download the coin logos that are due, outside the price sync (one run at a time)."""
    if not cache.add(LOGOS_RUNNING_KEY, 1, timeout=int(RUN_BUDGET_SECONDS) + 120):
        return {"already_running": True}
    try:
        return dataclasses.asdict(coin_logos_refresh())
    finally:
        cache.delete(LOGOS_RUNNING_KEY)
