"""Background tasks (django-tasks) that keep the stored lists current."""

from django_tasks import task

from kryptowelt.related.services import related_refresh


# Below the default priority: purging the caching proxy after a publish must not wait
# behind this (the worker takes higher priorities first).
@task(priority=-10)
def related_refresh_task(article_ids: list[int]) -> int:
    """Recompute what changes when `article_ids` were published, changed or unpublished."""
    return len(related_refresh(article_ids=[int(article_id) for article_id in article_ids]))
