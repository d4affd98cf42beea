"""Reads of "Weitere interessante Artikel" (nothing here writes, enqueues or builds).

`article_related_list` serves the stored list (`RelatedArticle`, written by the task that
publishing enqueues, see signals.py): one query on the (article, rank) index joined with the
recommended articles and their hero images, one for the cards' sections, and the renditions'
prefetch when there are images. When no list is stored yet (a draft in preview, or an
article in the moments between publishing and the task), the newsroom's first,
database-only scoring answers instead, read-only.
"""

from __future__ import annotations

from kryptowelt.caching.scopes import Scope, reads
from kryptowelt.news.selectors import article_list, with_sections
from kryptowelt.related.models import RelatedArticle
from kryptowelt.text import SEARCH_STOP_WORDS, stem, words

# The newsroom's first version, kept as the read-only fallback.
CANDIDATE_POOL = 300
TAG_WEIGHT = 3.0
SECTION_WEIGHT = 1.0
TITLE_WORD_WEIGHT = 1.5


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


@reads(Scope.RELATED)
def article_related_list(*, article, limit: int = 6) -> list:
    """Up to `limit` other published articles a reader of `article` may want next: the
    editors' pinned articles first, then the engine's choice (or, until the engine's list
    is stored, the first version's)."""
    if limit <= 0:
        return []
    # A new draft in preview has no primary key, and so no stored list, yet.
    articles = _stored(article, limit) if article.pk is not None else []
    return with_sections(articles or article_related_fallback_list(article=article, limit=limit))


def _title_stems(title: str) -> set[str]:
    return {stem(word) for word in words(title) if word not in SEARCH_STOP_WORDS and len(word) > 2}


def article_related_fallback_list(*, article, limit: int = 6) -> list:
    """The newsroom's first version, read-only: the pinned articles that are published,
    then by shared tags ×3, same section ×1, shared title-word stems ×1.5 among the 300
    newest articles (newer first on equal scores). In the preview of a draft, its pins and
    tags are read from the page in memory."""
    pinned_ids = list(dict.fromkeys(pin.related_id for pin in article.related_pins.all()))
    pinned_ids = [pk for pk in pinned_ids if pk != article.pk]
    by_id = article_list().in_bulk(pinned_ids) if pinned_ids else {}
    pinned = [by_id[pk] for pk in pinned_ids if pk in by_id][:limit]
    if len(pinned) >= limit:
        return pinned
    candidates = list(
        article_list()
        .exclude(pk__in=[article.pk, *by_id])
        .prefetch_related("tags")[:CANDIDATE_POOL]
    )
    tag_ids = {tag.pk for tag in article.tags.all()}
    section_path = article.path[: -article.steplen] if article.path else None
    title_stems = _title_stems(article.title)

    scored = []
    for recency_rank, candidate in enumerate(candidates):
        score = TAG_WEIGHT * len(tag_ids & {tag.pk for tag in candidate.tags.all()})
        if section_path and candidate.path.startswith(section_path):
            score += SECTION_WEIGHT
        score += TITLE_WORD_WEIGHT * len(title_stems & _title_stems(candidate.title))
        scored.append((score, -recency_rank, candidate))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [*pinned, *(candidate for _, _, candidate in scored[: limit - len(pinned)])]
