"""What /vergleich/ offers readers who look for it by name: every provider's page, the kinds
of comparison and the cost calculator (site search, the home page's teaser)."""

from __future__ import annotations

from collections.abc import Iterable

from kryptowelt.comparisons.kinds import KINDS
from kryptowelt.core.destinations import EXACT, PREFIX, Destination, match_score
from kryptowelt.core.models import pillar_reverse
from kryptowelt.text import fold, stem, words

PROVIDER_KIND = "Anbieter im Vergleich"
COMPARISON_KIND = "Vergleich"
TOOL_KIND = "Rechner"
# Words readers add to a provider's or a comparison's name ("Binance Gebühren").
FILLER = frozenset(
    stem(word)
    for word in (
        "gebühr gebühren kosten erfahrung erfahrungen test bewertung konto app seriös sicher "
        "vergleich vergleichen anbieter anbietern beste besten günstig günstigste"
    ).split()
)
CALCULATOR_TITLE = "Kostenrechner"
CALCULATOR_TEXT = (
    "Was eine Order bei jedem Anbieter wirklich kostet – Handelsgebühr, Spread, Ein- und "
    "Auszahlung, jede Zahl mit Quelle und Prüfdatum."
)
CALCULATOR_NAMES = (
    "Kostenrechner",
    "Krypto-Kostenrechner",
    "Gebührenrechner",
    "Gebühren berechnen",
    "Kosten berechnen",
    "Ordergebühren",
)


def calculator_destination(score: int = 0) -> Destination:
    return Destination(
        CALCULATOR_TITLE,
        pillar_reverse("comparisons:calculator"),
        TOOL_KIND,
        CALCULATOR_TEXT,
        score,
    )


def kind_destinations(
    score_of=lambda kind: 0, *, suffix: str = " im Vergleich"
) -> list[Destination]:
    return [
        Destination(
            f"{kind.title}{suffix}",
            pillar_reverse("comparisons:kind", kind_slug=kind.slug),
            COMPARISON_KIND,
            kind.intro,
            score_of(kind),
        )
        for kind in KINDS.values()
    ]


def _first_sentence(text: str, limit: int = 220) -> str:
    text = " ".join((text or "").split())
    end = text.find(". ")
    text = text[: end + 1] if 0 < end < limit else text
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def provider_destinations(
    *, providers: Iterable[tuple[str, str, str, str]], stems: list[str], query: str
) -> list[Destination]:
    """(name, company, slug, summary) of the live providers that the query names."""
    folded_query = fold(" ".join(words(query)))
    found = []
    for name, company, slug, summary in providers:
        score = match_score(stems, [name], filler=FILLER)
        if not score and company and match_score(stems, [company]) == EXACT:
            score = EXACT
        if not score and len(folded_query) >= 3 and fold(name.lower()).startswith(folded_query):
            score = PREFIX
        if score:
            url = pillar_reverse("comparisons:provider", slug=slug)
            found.append(Destination(name, url, PROVIDER_KIND, _first_sentence(summary), score))
    return found


def comparison_destinations(*, stems: list[str]) -> list[Destination]:
    """The kinds of comparison and the cost calculator that the query names."""
    found = kind_destinations(
        lambda kind: match_score(
            stems,
            (kind.title, f"{kind.singular} Vergleich", f"{kind.title} Vergleich"),
            filler=FILLER,
        )
    )
    found.append(calculator_destination(match_score(stems, CALCULATOR_NAMES, filler=FILLER)))
    return [destination for destination in found if destination.score]
