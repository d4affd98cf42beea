"""The one entry point for "Weitere interessante Artikel".

Normally one indexed query: the stored list (`RelatedArticle`, written by the background
task) joined with the recommended articles and their hero images, plus the prefetch of the
images' renditions. When an article has no stored list yet (just published, before the task
ran), the list is computed once, synchronously, and stored; on a site larger than
`KRYPTOWELT_RELATED_SYNC_LIMIT` articles that would take too long in a request, so the
newsroom's first, database-only scoring serves until the task has run.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache

from kryptowelt.related.models import RelatedArticle
from kryptowelt.text import SEARCH_STOP_WORDS, stem, words

logger = logging.getLogger(__name__)

SECTIONS_CACHE_KEY = "kw:related:sections:v1"
SECTIONS_CACHE_SECONDS = 600

# The newsroom's first version, kept as the fallback for very large sites.
CANDIDATE_POOL = 300
TAG_WEIGHT = 3.0
SECTION_WEIGHT = 1.0
TITLE_WORD_WEIGHT = 1.5


def _sections_by_path() -> dict:
    """Section pages by tree path, so cards show their section without a query each."""
    sections = cache.get(SECTIONS_CACHE_KEY)
    if sections is None:
        from kryptowelt.core.models import SectionPage

        sections = {section.path: section for section in SectionPage.objects.all()}
        cache.set(SECTIONS_CACHE_KEY, sections, SECTIONS_CACHE_SECONDS)
    return sections


def sections_cache_clear() -> None:
    cache.delete(SECTIONS_CACHE_KEY)


def _with_sections(articles: list) -> list:
    sections = _sections_by_path()
    for article in articles:
        section = sections.get(article.path[: -article.steplen])
        if section is not None:
            article.__dict__["section"] = section  # fills the cached_property
    return articles


def _stored(article, limit: int) -> list:
    """The stored list: one query on the (article, rank) index, joined with the articles and
    their hero images; the renditions come with one prefetch query if there are images."""
    entries = (
        RelatedArticle.objects.filter(article_id=article.pk, related__live=True)
        .select_related("related__hero_image")
        .prefetch_related("related__hero_image__renditions")
        .order_by("rank")[:limit]
    )
    return [entry.related for entry in entries]


def article_related_list(*, article, limit: int = 6) -> list:
    """Up to `limit` other published articles a reader of `article` may want next: the
    editors' pinned articles first, then the engine's choice."""
    if article.pk is None or limit <= 0:
        return []
    articles = _stored(article, limit)
    if articles:
        return _with_sections(articles)
    return _with_sections(_computed_now(article, limit))


def _computed_now(article, limit: int) -> list:
    from kryptowelt.news.selectors import article_list
    from kryptowelt.related import services

    try:
        if article_list().count() > settings.KRYPTOWELT_RELATED_SYNC_LIMIT:
            from kryptowelt.related.signals import related_refresh_enqueue

            related_refresh_enqueue([article.pk])
            return article_related_fallback_list(article=article, limit=limit)
        engine = services.related_engine_get()
        if article.live and article.pk in engine:
            services.related_lists_store(engine=engine, article_ids=[article.pk])
            return _stored(article, limit)
        # A draft in preview, or an article the engine does not know yet.
        document = services.article_document(article=article)
        pinned = [pin.related_id for pin in article.related_pins.all()][:limit]
        matches = engine.related_to(document, limit=limit, exclude=pinned)
        ids = [*pinned, *(match.key for match in matches)][:limit]
    except Exception:  # the block is not worth a broken article page
        logger.exception("Verwandte Artikel: Berechnung fehlgeschlagen")
        return article_related_fallback_list(article=article, limit=limit)
    by_id = article_list().exclude(pk=article.pk).in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def _title_stems(title: str) -> set[str]:
    return {stem(word) for word in words(title) if word not in SEARCH_STOP_WORDS and len(word) > 2}


def article_related_fallback_list(*, article, limit: int = 6) -> list:
    """The newsroom's first version: shared tags ×3, same section ×1, shared title-word stems
    ×1.5 over the 300 newest articles. Only a fallback now (see module docstring)."""
    from kryptowelt.news.selectors import article_list

    candidates = list(
        article_list().exclude(pk=article.pk).prefetch_related("tags")[:CANDIDATE_POOL]
    )
    tag_ids = {tag.pk for tag in article.tags.all()}
    section_path = article.path[: -article.steplen]
    title_stems = _title_stems(article.title)

    scored = []
    for recency_rank, candidate in enumerate(candidates):
        score = TAG_WEIGHT * len(tag_ids & {tag.pk for tag in candidate.tags.all()})
        if candidate.path.startswith(section_path):
            score += SECTION_WEIGHT
        score += TITLE_WORD_WEIGHT * len(title_stems & _title_stems(candidate.title))
        scored.append((score, -recency_rank, candidate))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [candidate for _, _, candidate in scored[:limit]]
