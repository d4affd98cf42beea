"""`{% related_articles page as related_articles %}`: the "Weitere interessante Artikel" list
of an article, for its template.

A tag rather than page context, so that the news app does not know about this app and the
list is read only when the template renders the tag, i.e. not when a cached fragment
around it is served (templates/news/article_page.html)."""

from django import template
from django.conf import settings

from kryptowelt.related.selectors import article_related_list

register = template.Library()


@register.simple_tag
def related_articles(article, limit: int | None = None) -> list:
    """Up to `limit` (default KRYPTOWELT_RELATED_LIMIT) articles related to `article`."""
    if limit is None:
        limit = settings.KRYPTOWELT_RELATED_LIMIT
    return article_related_list(article=article, limit=limit)
