"""Site search: German word forms via stems (see analysis.py), ranked by the search backend."""

import html
import re
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page
from wagtail.search.query import PlainText

from kryptowelt.search.analysis import stem, tokenize

_TOKEN_SPLIT = re.compile(r"(\w+)", re.UNICODE)
SNIPPET_WORDS = 36


@dataclass
class SearchResults:
    pages: list
    stems: list[str]
    all_terms_matched: bool


def page_search(*, stems: list[str]):
    """Live, public pages matching all stems; if none match all, pages matching any.

    Returns a sliceable search result (lazy, so pagination only loads one page of hits)."""
    base = Page.objects.live().public().filter(depth__gt=2).specific()
    results = base.search(PlainText(" ".join(stems), operator="and"))
    if len(stems) > 1 and not results.count():
        return base.search(PlainText(" ".join(stems), operator="or")), False
    return results, True


def highlighted_snippet(text: str, stems: set[str], words: int = SNIPPET_WORDS) -> SafeString:
    """The passage of `text` with the most query words, matches wrapped in <mark>."""
    tokens = _TOKEN_SPLIT.split(text)
    # tokens alternates separators and words: even indexes separators, odd indexes words.
    word_positions = list(range(1, len(tokens), 2))
    if not word_positions:
        return mark_safe("")  # noqa: S308 - empty string
    hits = [1 if any(stem(w) in stems for w in tokenize(tokens[i])) else 0 for i in word_positions]
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
