"""Places below the pillar pages that readers look for by name: a coin's page, a provider, a
calculator, a kind of comparison. Search lists the ones a query names before its articles,
and the home page's pillar teasers link to them (no Django here).

A pillar page offers them through `BasePage.search_destinations()` and `teaser_links()`;
this module only decides how well a query names one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kryptowelt.text import stem, words

# How well a query names a destination (search sorts by it, best first).
EXACT = 100  # the query is one of its names ("Steuerrechner", "Bitcoin", "BTC")
NAMED = 60  # the query is one of its names plus words like "Kurs" or "Rechner"
PREFIX = 30  # the query begins a name ("bitc"); only listed when nothing names it better

# Words readers add to a name without changing what they look for.
FILLER_WORDS = frozenset(
    stem(word)
    for word in (
        "krypto kryptowährung kryptowährungen online kostenlos gratis aktuell aktuelle heute "
        "rechner berechnen rechnen ausrechnen tool"
    ).split()
)


@dataclass(frozen=True)
class Destination:
    title: str
    url: str
    kind: str  # what it is, shown above the title: "Kurs und Chart", "Rechner", …
    text: str = ""  # one or two sentences for search results and teasers
    score: int = 0


def query_words(query: str) -> list[str]:
    return words(query)[:12]


def match_score(stems: Iterable[str], names: Iterable[str], *, filler: Iterable[str] = ()) -> int:
    """EXACT if the query's stems are those of one of `names`; NAMED if they are one name's
    stems plus filler words (general ones and `filler`, already stemmed) and the query keeps
    at least one word of that name; else 0."""
    query = set(stems)
    if not query:
        return 0
    allowed = FILLER_WORDS | set(filler)
    best = 0
    for name in names:
        name_stems = {stem(word) for word in words(name)}
        if not name_stems:
            continue
        if query == name_stems:
            return EXACT
        meaningful = name_stems - allowed
        if query & (meaningful or name_stems) and query <= name_stems | allowed:
            best = NAMED
    return best


def best_first(destinations: Iterable[Destination], limit: int) -> list[Destination]:
    """The best matches, at most `limit`: prefix matches only if nothing matched better."""
    found = sorted((d for d in destinations if d.score > 0), key=lambda d: -d.score)
    if found and found[0].score > PREFIX:
        found = [d for d in found if d.score > PREFIX]
    return found[:limit]
