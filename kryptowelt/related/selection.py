"""From scores to the list a reader sees (pure Python + numpy, no Django imports).

The diversity pass picks in score order: no near-duplicate (whole-text cosine ≥
`near_duplicate` with the query or with a chosen one); at most `max_per_day` from one
calendar day and at most `max_section_share` of the list from one section while *good*
candidates (≥ `good_ratio` × the best score) from elsewhere exist; the rules give way when
nothing good is left. Too few matches are filled with the newest documents (score 0)."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from kryptowelt.related.documents import Match
from kryptowelt.related.index import DocumentIndex

# (columns, values, text ratio) of the query document
Query = tuple[np.ndarray, np.ndarray, float]


def select(
    index: DocumentIndex, scores: np.ndarray, query: Query, limit: int, exclude: set
) -> list[Match]:
    """Up to `limit` documents, best first, diversified; `exclude` keys never appear."""
    if limit <= 0:
        return []
    config = index.config
    for other in exclude:
        row = index.rows.get(other)
        if row is not None:
            scores[row] = 0.0
    positive = int((scores > 0).sum())
    matches: list[Match] = []
    pool = min(config.candidates + limit, positive)
    while pool:
        candidates = np.argpartition(-scores, pool - 1)[:pool]
        candidates = candidates[np.argsort(-scores[candidates], kind="stable")]
        chosen, duplicates = _diversify(index, query, candidates, scores, limit)
        if len(chosen) >= limit or pool >= positive or pool >= 8 * (config.candidates + limit):
            break
        # Near duplicates used up the candidates: look further down the ranking.
        pool = min(pool * 4, positive)
    if positive:
        matches = [Match(index.row_keys[row], float(scores[row])) for row in chosen]
        exclude = exclude | {index.row_keys[row] for row in duplicates}
    if len(matches) < limit:
        matches = _fill_recent(index, matches, limit, exclude)
    return matches


def _diversify(
    index: DocumentIndex, query: Query, candidates, scores, limit: int
) -> tuple[list[int], set[int]]:
    """Greedy selection in score order. First pass: only good candidates, with the caps
    per day and per section; second pass: fill up from the rest, without caps. Near
    duplicates (of the query or of a chosen one) never enter."""
    config = index.config
    rows = [int(row) for row in candidates]
    query_columns, query_values, query_ratio = query
    gram_cache: list[np.ndarray] = []

    def gram_for(position: int) -> np.ndarray:
        """Whole-text cosines among the query and the first candidates; most lists are
        settled within the first 2 × limit candidates, so only those are computed first."""
        size = min(len(rows), max(2 * limit + 4, position + 1) if not gram_cache else len(rows))
        if not gram_cache or gram_cache[0].shape[0] <= position:
            head = rows[:size]
            gram = index.text_gram(
                [(query_columns, query_values), *(index.vector(r) for r in head)]
            )
            # Cosines of the whole texts (see weighting.weigh_values), for the duplicate rule.
            ratios = np.concatenate([[query_ratio], index.text_ratio[head]])
            gram_cache[:] = [gram * ratios[:, None] * ratios[None, :]]
        return gram_cache[0]

    best = float(scores[rows[0]])
    good = {row for row in rows if scores[row] >= config.good_ratio * best}
    sections_of_good = {int(index.section[row]) for row in good} - {-1}
    section_cap = max(1, math.ceil(limit * config.max_section_share))
    chosen: list[int] = []
    chosen_positions: list[int] = []
    per_day: Counter = Counter()
    per_section: Counter = Counter()
    duplicates: set[int] = set()

    def duplicate(position: int) -> bool:
        gram = gram_for(position)
        if gram[0, position] >= config.near_duplicate or any(
            gram[position, other] >= config.near_duplicate for other in chosen_positions
        ):
            duplicates.add(rows[position - 1])
            return True
        return False

    for capped in (True, False):
        for position, row in enumerate(rows, start=1):
            if len(chosen) >= limit:
                break
            if row in chosen or (capped and row not in good) or duplicate(position):
                continue
            day = index.day(row)
            section = int(index.section[row])
            if capped and (
                (day is not None and per_day[day] >= config.max_per_day)
                or (
                    section != -1
                    and len(sections_of_good) > 1
                    and per_section[section] >= section_cap
                )
            ):
                continue
            chosen.append(row)
            chosen_positions.append(position)
            per_day[day] += 1
            per_section[section] += 1
    chosen.sort(key=lambda row: -scores[row])
    return chosen, duplicates


def _fill_recent(
    index: DocumentIndex, matches: list[Match], limit: int, exclude: set
) -> list[Match]:
    """Too few related documents: fill up with the newest ones (score 0)."""
    taken = {match.key for match in matches} | exclude
    alive = index.alive
    for row in index.recency_order():
        if not alive[row]:
            continue
        if len(matches) >= limit:
            break
        other = index.row_keys[int(row)]
        if other not in taken:
            matches.append(Match(other, 0.0))
            taken.add(other)
    return matches
