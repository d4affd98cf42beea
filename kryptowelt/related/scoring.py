"""Scores of every document for one query vector (pure Python + numpy, no Django imports).

A query is a document's vector cut to its `query_terms` strongest features (what "more like
this" features in search engines do: fast, and the weak terms are mostly noise), scored
against the inverted index. One round of pseudo-relevance feedback follows: the strongest
`feedback_docs` neighbours' vectors, weighted by their score, form a second query whose
scores are added with `feedback_weight` (each feedback document's own self-match is
removed). Freshness then multiplies the score mildly (1 for today's articles, falling to
1 - `freshness` for old ones, half-life `freshness_half_life_days`)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from kryptowelt.related.documents import DAY
from kryptowelt.related.index import DocumentIndex, Vector


def prune(columns: np.ndarray, values: np.ndarray, limit: int) -> Vector:
    """The `limit` strongest features of a vector."""
    if len(values) > limit:
        keep = np.argpartition(-values, limit - 1)[:limit]
        return columns[keep], values[keep]
    return columns, values


def scores_for_vector(
    index: DocumentIndex, columns: np.ndarray, values: np.ndarray, *, row: int | None
) -> np.ndarray:
    """Final (not yet diversified) scores of every row; `row` is the query's own row (its
    score is zeroed) or None for a document not in the index."""
    config = index.config
    columns, values = prune(columns, values, config.query_terms)
    scores = index.scores(columns, values)
    if row is not None:
        scores[row] = 0.0
    scores[~index.alive] = 0.0
    m = config.feedback_docs
    if m and config.feedback_weight and len(scores) > m + 1:
        top = np.argpartition(-scores, m)[:m]
        top = top[scores[top] > 0]
        if len(top):
            weights = (scores[top] / scores[top].sum()).astype(np.float32)
            pruned = [prune(*index.vector(int(doc)), config.query_terms) for doc in top]
            # A pruned vector is a subset of the full one: its self-match is its square sum.
            self_match = np.array([float(v @ v) for _, v in pruned], dtype=np.float32)
            all_columns = np.concatenate([c for c, _ in pruned])
            all_values = np.concatenate([v * w for (_, v), w in zip(pruned, weights, strict=True)])
            fb_columns, inverse = np.unique(all_columns, return_inverse=True)
            fb_values = np.bincount(inverse, weights=all_values).astype(np.float32)
            fb_columns, fb_values = prune(fb_columns, fb_values, config.query_terms)
            fb_scores = index.scores(fb_columns, fb_values)
            # The feedback documents would otherwise be boosted by their own vectors.
            fb_scores[top] -= weights * self_match
            scores = scores + config.feedback_weight * np.maximum(fb_scores, 0.0)
            if row is not None:
                scores[row] = 0.0
            scores[~index.alive] = 0.0
    if config.freshness:
        factor = freshness_factor(index)
        if factor is not None:
            scores = scores * factor
    return scores


def freshness_factor(index: DocumentIndex) -> np.ndarray | None:
    """Per-row score multiplier by age, cached per hour (and per number of rows)."""
    hour = int(dt.datetime.now(dt.UTC).timestamp() // 3600)
    cached = index.cache.get("freshness")
    if cached is not None and cached[0] == (hour, len(index.published)):
        return cached[1]
    factor = None
    published = index.published
    known = ~np.isnan(published)
    if known.any():
        config = index.config
        age_days = np.clip((hour * 3600.0 - published[known]) / DAY, 0.0, None)
        decay = np.exp2(-age_days / config.freshness_half_life_days)
        factor = np.ones(len(published), dtype=np.float32)
        factor[known] = (1.0 - config.freshness) + config.freshness * decay
    index.cache["freshness"] = ((hour, len(published)), factor)
    return factor
