"""What the engine reads of an article and how it turns it into raw features (pure Python,
no Django imports): `Document` in, `Analysed` (term counts, tags, entities) out, then one
feature dict with a prefix per block ("t" text, "g" tag, "e" entity, "s" section).

Every weight in `Config` was measured on the labelled corpus (see docs/related.md); nothing
is trained on labels."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from kryptowelt import text
from kryptowelt.related.entities import entities

DAY = 86_400.0


@dataclass(frozen=True)
class Document:
    """What the engine needs of an article. `published_at` is a POSIX timestamp or None."""

    key: int | str
    title: str = ""
    teaser: str = ""
    body: str = ""
    tags: Sequence[str] = ()
    section: str | None = None
    published_at: float | None = None


@dataclass(frozen=True)
class Config:
    title_weight: float = 1.5
    teaser_weight: float = 1.5
    # A text without title/teaser (a corpus line) lends its first sentence as the title.
    lead_from_body: bool = True
    min_df: int = 2
    # Ablation switches (see benchmarks/related_bench.py --ablation).
    stemming: bool = True
    compound_parts: bool = True
    query_terms: int = 80
    feedback_docs: int = 5
    feedback_weight: float = 1.0
    tag_weight: float = 0.6
    entity_weight: float = 0.2
    section_weight: float = 0.25
    # Score multiplier: 1 for today's articles, falling to (1 - freshness) for old ones.
    freshness: float = 0.15
    freshness_half_life_days: float = 180.0
    near_duplicate: float = 0.92
    max_per_day: int = 2
    max_section_share: float = 0.5
    # Candidates that count as "good others" for the diversity rules.
    good_ratio: float = 0.5
    candidates: int = 60
    merge_every: int = 2000


@dataclass
class Match:
    key: int | str
    score: float


@dataclass
class Analysed:
    text: Counter
    tags: list[str]
    entities: list[str]
    section: str | None
    published_at: float | None


def analyse(document: Document, config: Config) -> Analysed:
    """Analysis of one document; runs in worker processes during big builds."""
    title, teaser, body = document.title, document.teaser, document.body or ""
    if config.lead_from_body and not title and not teaser:
        title, body = text.split_lead(body)
    counts = Counter(text.index_terms(body, stemming=config.stemming, parts=config.compound_parts))
    for part, weight in ((title, config.title_weight), (teaser, config.teaser_weight)):
        for term in text.index_terms(part, stemming=config.stemming, parts=config.compound_parts):
            counts[term] += weight
    tags = sorted({text.fold(tag).strip() for tag in document.tags if tag and tag.strip()})
    # Tags name entities too: the tag "Solana" links to an article that says "SOL".
    found = entities("\n".join([title, teaser, body, *document.tags]))
    return Analysed(counts, tags, sorted(found), document.section, document.published_at)


def _analyse_chunk(args):
    documents, config = args
    return [(document.key, analyse(document, config)) for document in documents]


def analyse_parallel(
    documents: Iterable[Document], config: Config, processes: int
) -> Iterator[tuple[int | str, Analysed]]:
    """(key, analysis) of every document, in order, analysed in `processes` processes."""

    def chunks():
        chunk: list[Document] = []
        for document in documents:
            chunk.append(document)
            if len(chunk) == 500:
                yield chunk, config
                chunk = []
        if chunk:
            yield chunk, config

    context = multiprocessing.get_context("fork")
    with context.Pool(processes) as pool:
        for part in pool.imap(_analyse_chunk, chunks()):
            yield from part


def features(item: Analysed) -> dict[str, float]:
    """Raw feature counts with a prefix per block: "t" text, "g" tag, "e" entity, "s" section."""
    found = {f"t{term}": float(count) for term, count in item.text.items()}
    for tag in item.tags:
        found[f"g{tag}"] = 1.0
    for entity in item.entities:
        found[f"e{entity}"] = 1.0
    if item.section is not None:
        found[f"s{item.section}"] = 1.0
    return found
