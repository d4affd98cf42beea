"""Site search: German word forms via stems (see analysis.py), title matches first."""

import html
import re

from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page
from wagtail.search.query import PlainText

from kryptowelt.text import stem, stem_text
from kryptowelt.text import words as plain_words

_TOKEN_SPLIT = re.compile(r"(\w+)", re.UNICODE)
SNIPPET_WORDS = 36


MAX_CANDIDATES = 1000
# Page types that answer a question themselves rank above pages that only mention it.
LOW_PRIORITY_MODELS = {("core", "standardpage"), ("core", "sectionpage"), ("core", "homepage")}


def _title_score(page, stems: list[str], query_key: str) -> int:
    title_stems = set(stem_text(page.title).split())
    hits = sum(1 for s in stems if s in title_stems)
    score = 10 * hits
    if hits == len(stems):
        score += 10
        if " ".join(sorted(title_stems)) == query_key:
            score += 30  # the title is exactly what was asked for: a lexicon headword, say
    return score


def page_search(*, stems: list[str]) -> tuple[list[int], bool]:
    """IDs of live, public pages matching all stems (or, if none does, any of them), best
    first: pages whose title contains the query words lead, pages that are the query (a
    lexicon headword) top them; within a group the backend's text relevance decides.

    Returns at most MAX_CANDIDATES ids, so any query costs a bounded amount of work."""
    from django.contrib.contenttypes.models import ContentType

    base = Page.objects.live().public().filter(depth__gt=2)
    all_matched = True
    candidates = list(base.search(PlainText(" ".join(stems), operator="and"))[:MAX_CANDIDATES])
    if not candidates and len(stems) > 1:
        all_matched = False
        candidates = list(base.search(PlainText(" ".join(stems), operator="or"))[:MAX_CANDIDATES])
    low_priority = {
        ct.pk
        for ct in ContentType.objects.filter(app_label__in={app for app, _ in LOW_PRIORITY_MODELS})
        if (ct.app_label, ct.model) in LOW_PRIORITY_MODELS
    }
    query_key = " ".join(sorted(set(stems)))
    ranked = sorted(
        enumerate(candidates),
        key=lambda item: (
            -_title_score(item[1], stems, query_key),
            item[1].content_type_id in low_priority,
            item[0],
        ),
    )
    return [page.pk for _, page in ranked], all_matched


def pages_in_order(ids: list[int]) -> list:
    """The specific pages for `ids`, in that order (one query per page type)."""
    pages = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
    return [pages[pk] for pk in ids if pk in pages]


def highlighted_snippet(text: str, stems: set[str], words: int = SNIPPET_WORDS) -> SafeString:
    """The passage of `text` with the most query words, matches wrapped in <mark>."""
    tokens = _TOKEN_SPLIT.split(text)
    # tokens alternates separators and words: even indexes separators, odd indexes words.
    word_positions = list(range(1, len(tokens), 2))
    if not word_positions:
        return mark_safe("")  # noqa: S308 - empty string
    hits = [
        1 if any(stem(w) in stems for w in plain_words(tokens[i])) else 0 for i in word_positions
    ]
    best_start, best_score, window = 0, -1, min(words, len(word_positions))
    score = sum(hits[:window])
    best_score = score
    for start in range(1, len(word_positions) - window + 1):
        score += hits[start + window - 1] - hits[start - 1]
        if score > best_score:
            best_start, best_score = start, score
    # Start a little before the first hit so the snippet reads as a sentence fragment.
    first = word_positions[best_start]
    last = word_positions[min(best_start + window, len(word_positions)) - 1]
    parts = []
    for index in range(first, last + 1):
        token = html.escape(tokens[index])
        if index % 2 == 1 and hits[(index - 1) // 2]:
            token = f"<mark>{token}</mark>"
        parts.append(token)
    prefix = "… " if best_start > 0 else ""
    suffix = " …" if last < word_positions[-1] else ""
    return mark_safe(prefix + "".join(parts) + suffix)  # noqa: S308 - every token escaped
