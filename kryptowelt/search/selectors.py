"""Site search: German word forms via stems (see analysis.py), title matches first."""

import html
import re
from bisect import bisect_left
from functools import lru_cache
from typing import NamedTuple

from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page, get_page_models
from wagtail.search.query import PlainText

from kryptowelt.caching.memory import memory
from kryptowelt.caching.remember import remembered
from kryptowelt.caching.routes import view_restrictions_exist
from kryptowelt.core.destinations import Destination, best_first
from kryptowelt.core.models import BasePage
from kryptowelt.text import search_stem_text, stem_text

_TOKEN_SPLIT = re.compile(r"(\w+)", re.UNICODE)
SNIPPET_WORDS = 36


MAX_CANDIDATES = 1000
# Page types that answer a question themselves rank above pages that only mention it.
LOW_PRIORITY_MODELS = {("core", "standardpage"), ("news", "sectionpage"), ("home", "homepage")}


@lru_cache(maxsize=50_000)
def _text_stems(text: str) -> frozenset[str]:
    """The stems of a title's (or one token's) words. Remembered: search scores the same
    titles of the newest articles for query after query (1,000 candidates each), and the
    snippets test the same words; stemming them anew was a fifth of a search's time."""
    return frozenset(stem_text(text).split())


def _title_score(title: str, stems: list[str], query_key: str) -> int:
    title_stems = _text_stems(title)
    hits = sum(1 for s in stems if s in title_stems)
    score = 10 * hits
    if hits == len(stems):
        score += 10
        if " ".join(sorted(title_stems)) == query_key:
            score += 30  # the title is exactly what was asked for: a lexicon headword, say
    return score


EXACT_TITLE = 50  # _title_score of a title made of exactly the query's words


class Candidate(NamedTuple):
    pk: int
    title: str
    content_type_id: int


def _candidates(results) -> list:
    """The first MAX_CANDIDATES matches, best first, as plain rows where the backend gives
    them (ours on PostgreSQL: `PageSearchResults.ranked_rows`), else from page instances."""
    ranked_rows = getattr(results, "ranked_rows", None)
    if ranked_rows is not None:
        return ranked_rows(MAX_CANDIDATES)  # rows with pk, title and content_type_id
    return [
        Candidate(page.pk, page.title, page.content_type_id) for page in results[:MAX_CANDIDATES]
    ]


def page_search(*, stems: list[str]) -> tuple[list[int], bool]:
    """IDs of live, public pages matching all stems (or, if none does, any of them), best
    first: pages that are the query (a title or Lexikon headword made of its words), then
    pages whose title contains the query words, then the pages whose text does; within a
    group the backend's text relevance decides. Pages ranked by their title alone
    (BasePage.search_rank_by_title: Lexikon entries, short texts full of synonyms) follow
    the other pages of their group, so definitions never crowd out articles.

    Returns at most MAX_CANDIDATES ids, so any query costs a bounded amount of work."""
    from django.contrib.contenttypes.models import ContentType

    base = Page.objects.live().filter(depth__gt=2)
    # Wagtail's public() asks for every restriction on every search; while no page is
    # private (remembered until content changes), there is nothing to leave out.
    if view_restrictions_exist():
        base = base.public()
    all_matched = True
    candidates = _candidates(base.search(PlainText(" ".join(stems), operator="and")))
    if not candidates and len(stems) > 1:
        all_matched = False
        candidates = _candidates(base.search(PlainText(" ".join(stems), operator="or")))
    # By model, so Django's cache of content types answers (no query per search).
    low_priority = {
        ContentType.objects.get_for_model(model).pk
        for model in get_page_models()
        if (model._meta.app_label, model._meta.model_name) in LOW_PRIORITY_MODELS
    }
    by_title_only: set[int] = set()
    headwords: dict[int, list[str]] = {}
    for content_type_id in {page.content_type_id for page in candidates}:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or not issubclass(model, BasePage):
            continue
        ids = [page.pk for page in candidates if page.content_type_id == content_type_id]
        headwords.update(model.search_headwords(ids))
        if model.search_rank_by_title:
            by_title_only.add(content_type_id)
    query_key = " ".join(sorted(set(stems)))

    def key(item):
        position, page = item
        title = _title_score(page.title, stems, query_key)
        names = headwords.get(page.pk)
        if names:
            title = max(title, *(_title_score(name, stems, query_key) for name in names))
        by_title = page.content_type_id in by_title_only
        if title >= EXACT_TITLE:
            tier = 0  # the page is what was asked for ("Bitcoin", a headword)
        elif title:
            tier = 2 if by_title else 1  # the title names it: articles before definitions
        else:
            tier = 4 if by_title else 3  # only the text does
        return (tier, -title, page.content_type_id in low_priority, position)

    ranked = sorted(enumerate(candidates), key=key)
    return [page.pk for _, page in ranked], all_matched


MAX_DESTINATIONS = 5


def destination_search(*, query: str, stems: list[str]) -> list[Destination]:
    """What the pillar pages lead to that the query names – a coin's page, a provider, a
    calculator (BasePage.search_destinations) –, best first. Search shows these before the
    pages that merely mention the words."""
    if not stems:
        return []
    found: list[Destination] = []
    for page in _destination_pages():
        found.extend(page.search_destinations(query=query, stems=stems))
    return best_first(found, MAX_DESTINATIONS)


def _destination_pages() -> list:
    """The live pages that offer destinations, as their specific types. Remembered until
    content changes: looking them up, a query per page type, took a tenth of a search's time
    (benchmarks/scale_100k.py)."""
    offering = [
        model
        for model in get_page_models()
        if issubclass(model, BasePage)
        and model.search_destinations is not BasePage.search_destinations
    ]
    if not offering:
        return []
    return remembered(
        "search:destination-pages",
        lambda: list(Page.objects.type(*offering).live().public().specific()),
        seconds=3600,
        size=4096 * len(offering),
    )


def pages_in_order(ids: list[int]) -> list[Page]:
    """The pages for `ids`, in that order, as plain Wagtail pages (one query): title and URL
    are all a hit shows of them besides its snippet (`snippet_texts`)."""
    pages = Page.objects.filter(pk__in=ids).in_bulk()
    return [pages[pk] for pk in ids if pk in pages]


SNIPPET_TEXT_SECONDS = 3600


def snippet_texts(pages: list[Page]) -> dict[int, str]:
    """The text each page's snippet is taken from (`BasePage.get_snippet_text`), by page id.
    Remembered per page revision until content changes: for the ten hits of a search, loading
    the articles and turning their StreamFields into plain text was a fifth of the time
    (benchmarks/scale_100k.py). When one text is in neither this process nor the shared
    cache, every page this process does not hold is loaded at once (a query per page type)."""
    keys = {page.pk: f"search:snippet-text:{page.pk}:{page.latest_revision_id}" for page in pages}
    loaded: dict[int, Page] = {}

    def text_of(pk: int) -> str:
        if not loaded:
            missing = [page.pk for page in pages if memory.get(keys[page.pk]) is None]
            loaded.update(
                (page.pk, page) for page in Page.objects.filter(pk__in=missing).specific()
            )
        page = loaded.get(pk) or Page.objects.get(pk=pk).specific
        return page.get_snippet_text() if hasattr(page, "get_snippet_text") else ""

    return {
        page.pk: remembered(
            keys[page.pk], lambda pk=page.pk: text_of(pk), seconds=SNIPPET_TEXT_SECONDS
        )
        for page in pages
    }


def highlighted_text(text: str, stems: set[str]) -> SafeString:
    """All of `text` (a title), the words that match the query wrapped in <mark>."""
    parts = []
    for index, token in enumerate(_TOKEN_SPLIT.split(text)):
        escaped = html.escape(token)
        if index % 2 == 1 and not stems.isdisjoint(_token_stems(token)):
            escaped = f"<mark>{escaped}</mark>"
        parts.append(escaped)
    return mark_safe("".join(parts))  # noqa: S308 - every token escaped


@lru_cache(maxsize=50_000)
def _token_stems(token: str) -> frozenset[str]:
    """The stems search indexes of the words in a run of text without spaces: "(Bitcoin-ETF),"
    → {bitcoin, etf}. As in the index, no stop word: "sich" is the stem of "Sicherheit", and
    the pronoun is no match for it."""
    return frozenset(search_stem_text(token).split())


def highlighted_snippet(text: str, stems: set[str], words: int = SNIPPET_WORDS) -> SafeString:
    """The passage of `text` (`words` runs of text between spaces long) with the most query
    words (the earliest such passage), matches wrapped in <mark>.

    The text is split at spaces, and only the distinct pieces are split into words (an
    article's ten thousand characters split into words with a regular expression took seven
    times as long, a tenth of a search's time for ten hits)."""
    tokens = text.split()
    if not tokens:
        return mark_safe("")  # noqa: S308 - empty string
    # An article repeats most of its words: decide each distinct piece once.
    matching = {token for token in set(tokens) if not stems.isdisjoint(_token_stems(token))}
    hits = [position for position, token in enumerate(tokens) if token in matching]
    window = min(words, len(tokens))
    best_start, best_count = 0, 0
    # The best passage holds a run of hits; for the run that starts at hits[first], the
    # earliest window holding all of it ends at its last hit.
    for first, position in enumerate(hits):
        count = bisect_left(hits, position + window, lo=first) - first
        start = max(0, hits[first + count - 1] - window + 1)
        if count > best_count or (count == best_count and start < best_start):
            best_start, best_count = start, count
    end = min(best_start + window, len(tokens))
    parts = [
        highlighted_text(token, stems) if token in matching else html.escape(token)
        for token in tokens[best_start:end]
    ]
    prefix = "… " if best_start > 0 else ""
    suffix = " …" if end < len(tokens) else ""
    return mark_safe(prefix + " ".join(parts) + suffix)  # noqa: S308 - every token escaped
