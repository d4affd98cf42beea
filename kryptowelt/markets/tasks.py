"""Background tasks (django-tasks) of the markets app."""

from django_tasks import task


# Below the default priority: purging the caching proxy after a publish must not wait
# behind this (the worker takes higher priorities first).
@task(priority=-10)
def article_mentions_detect(page_id: int) -> int:
    """Detect the coins a (re)published article names."""
    from kryptowelt.markets.services.mentions import article_mentions_update
    from kryptowelt.news.models import ArticlePage

    article = ArticlePage.objects.live().filter(pk=page_id).first()
    if article is None:
        return 0
    return len(article_mentions_update(article=article))
