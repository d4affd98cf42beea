"""Writes of the related-articles lists, and the engine each process keeps in memory.

The engine (`kryptowelt.related.engine`) holds every published, public article. A process
builds it once from the database and then applies changes incrementally; the shared counter
in `RelatedIndexState` tells it whether another process changed articles in between (then it
rebuilds). Lists are stored in `RelatedArticle`: pinned articles first, then the engine's.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from itertools import islice

from django.conf import settings
from django.db import transaction
from django.db.models import F

from kryptowelt.caching.scopes import Scope, changed
from kryptowelt.core.text import stream_plain_text
from kryptowelt.news.models import ArticlePage
from kryptowelt.related.documents import Document
from kryptowelt.related.engine import RelatedEngine
from kryptowelt.related.models import RelatedArticle, RelatedIndexState, RelatedPin

logger = logging.getLogger(__name__)

# How many of the most similar articles get their lists refreshed when an article changes.
NEIGHBOURS_TO_REFRESH = 20
# Incremental changes keep the idf of the last full build. On a small site (where a build
# takes a second or two) and after many changes, the worker rebuilds instead.
REBUILD_BELOW_ARTICLES = 1000
REBUILD_AFTER_CHANGED_SHARE = 0.05

_lock = threading.RLock()
_engine: RelatedEngine | None = None
_generation: tuple[str, int] | None = None  # (state token, generation) the engine reflects


def _live_articles():
    return ArticlePage.objects.live().public()


def article_document(*, article) -> Document:
    """What the engine reads of an article: text, tags, section (parent path), date."""
    published = (
        article.first_published_at or article.go_live_at or article.latest_revision_created_at
    )
    return Document(
        key=article.pk,
        title=article.title,
        teaser=article.teaser or "",
        body=stream_plain_text(article.body),
        tags=[tag.name for tag in article.tags.all()],
        section=article.path[: -article.steplen],
        published_at=published.timestamp() if published else None,
    )


def _documents(queryset) -> Iterable[Document]:
    for article in queryset.prefetch_related("tags").iterator(chunk_size=500):
        yield article_document(article=article)


def _state() -> tuple[str, int]:
    state, _ = RelatedIndexState.objects.get_or_create(pk=1)
    return str(state.token), state.generation


def _state_bump() -> tuple[str, int]:
    with transaction.atomic():
        RelatedIndexState.objects.get_or_create(pk=1)
        RelatedIndexState.objects.filter(pk=1).update(generation=F("generation") + 1)
        return _state()


Progress = Callable[[Iterable, int, str], Iterable]


def related_engine_build(*, progress: Progress | None = None) -> RelatedEngine:
    """A fresh engine over every published, public article (not cached)."""
    articles = _live_articles()
    wrap = None
    if progress is not None:
        total = articles.count()

        def wrap(items):
            return progress(items, total, "Analyse")

    return RelatedEngine.build(_documents(articles), progress=wrap)


def related_engine_get() -> RelatedEngine:
    """The process's engine, rebuilt if another process changed articles since."""
    global _engine, _generation
    with _lock:
        current = _state()
        if _engine is None or _generation != current:
            _engine = related_engine_build()
            _generation = current
        return _engine


def related_engine_reset() -> None:
    """Forget the process's engine (tests, and after a full rebuild)."""
    global _engine, _generation
    with _lock:
        _engine, _generation = None, None


def _sync_changes(article_ids: Iterable[int]) -> RelatedEngine:
    """Apply changes of `article_ids` to the process's engine and bump the shared counter."""
    global _engine, _generation
    with _lock:
        token, number = _state_bump()
        generation = (token, number)
        # Incremental only if no other process bumped the counter since this one synced.
        if (
            _engine is not None
            and _generation == (token, number - 1)
            and len(_engine) >= REBUILD_BELOW_ARTICLES
            and _engine.changes_since_build <= REBUILD_AFTER_CHANGED_SHARE * len(_engine)
        ):
            live = {
                article.pk: article
                for article in _live_articles().filter(pk__in=article_ids).prefetch_related("tags")
            }
            for article_id in article_ids:
                if article_id in live:
                    _engine.update(article_document(article=live[article_id]))
                else:
                    _engine.remove(article_id)
        else:
            _engine = related_engine_build()
        _generation = generation
        return _engine


def _pins_of(article_ids: Iterable[int]) -> dict[int, list[int]]:
    pins: dict[int, list[int]] = {}
    live_ids = _live_articles().values("pk")
    for page_id, related_id in (
        RelatedPin.objects.filter(page_id__in=article_ids, related_id__in=live_ids)
        .order_by("page_id", "sort_order", "pk")
        .values_list("page_id", "related_id")
    ):
        if related_id != page_id and related_id not in pins.setdefault(page_id, []):
            pins[page_id].append(related_id)
    return pins


def related_lists_store(*, engine: RelatedEngine, article_ids: Iterable[int]) -> int:
    """Compute and store the lists of `article_ids` (pins first); returns rows written.

    Articles the engine does not know (unpublished, private) get an empty list."""
    limit = settings.KRYPTOWELT_RELATED_LIMIT
    article_ids = list(dict.fromkeys(article_ids))
    pins = _pins_of(article_ids)
    rows = []
    for article_id in article_ids:
        pinned = pins.get(article_id, [])[:limit]
        if article_id not in engine:
            continue
        for rank, related_id in enumerate(pinned):
            rows.append(
                RelatedArticle(
                    article_id=article_id, related_id=related_id, rank=rank, score=0, pinned=True
                )
            )
        matches = engine.related(article_id, limit=limit - len(pinned), exclude=pinned)
        for rank, match in enumerate(matches, start=len(pinned)):
            rows.append(
                RelatedArticle(
                    article_id=article_id, related_id=match.key, rank=rank, score=match.score
                )
            )
    with transaction.atomic():
        RelatedArticle.objects.filter(article_id__in=article_ids).delete()
        RelatedArticle.objects.bulk_create(rows, batch_size=1000)
        # Cached article pages show the lists: renew them (and nothing else).
        changed(Scope.RELATED)
    return len(rows)


def related_refresh(*, article_ids: list[int]) -> list[int]:
    """After `article_ids` were published, changed, unpublished or deleted: update the engine
    and the lists that may change. Returns the ids whose lists were recomputed."""
    engine = _sync_changes(article_ids)
    affected: dict[int, None] = {}
    for article_id in article_ids:
        affected[article_id] = None
        for neighbour in engine.neighbours_of(article_id, limit=NEIGHBOURS_TO_REFRESH):
            affected[neighbour] = None
    listing = RelatedArticle.objects.filter(related_id__in=article_ids).values_list(
        "article_id", flat=True
    )
    for article_id in listing:
        affected[article_id] = None
    pinning = RelatedPin.objects.filter(related_id__in=article_ids).values_list(
        "page_id", flat=True
    )
    for article_id in pinning:
        affected[article_id] = None
    ids = list(affected)
    related_lists_store(engine=engine, article_ids=ids)
    # Articles that are gone keep no list (a deleted article's rows went with it).
    gone = [article_id for article_id in article_ids if article_id not in engine]
    RelatedArticle.objects.filter(article_id__in=gone).delete()
    return ids


def related_rebuild(*, progress: Progress | None = None) -> dict:
    """Rebuild the engine from scratch and recompute every list."""
    global _engine, _generation
    with _lock:
        generation = _state_bump()
        engine = related_engine_build(progress=progress)
        keys = engine.keys()
        written = 0
        articles = iter(keys)
        if progress is not None:
            articles = iter(progress(keys, len(keys), "Listen"))
        while batch := list(islice(articles, 200)):
            written += related_lists_store(engine=engine, article_ids=batch)
        RelatedArticle.objects.exclude(article__in=_live_articles()).delete()
        _engine, _generation = engine, generation
    return {"articles": len(keys), "rows": written}
