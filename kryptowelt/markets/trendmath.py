"""Which topics rise in our news: counts of the last days against the weeks before.

Pure Python, no Django, so the rule is tested directly. A topic (tag or coin) trends when
it has more articles in the recent window than its baseline rate predicts. Topics are
ranked by how surprising the rise is, (observed − expected) / √(expected + 1), a Poisson
z-score with one pseudo-article: a jump from 2 to 6 outranks a new topic with 3 articles,
and a topic always written about (40 a month, 10 this week) does not trend at all.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class TopicTrend:
    key: Hashable
    recent: int
    baseline: int
    recent_per_week: float
    baseline_per_week: float
    score: float


def topic_trends(
    *,
    recent: Mapping[Hashable, int],
    baseline: Mapping[Hashable, int],
    recent_days: int = 7,
    baseline_days: int = 30,
    min_recent: int = 2,
    limit: int = 10,
) -> list[TopicTrend]:
    """Topics whose recent rate rose most against the baseline, strongest rise first."""
    trends = []
    for key, count in recent.items():
        if count < min_recent:
            continue
        before = baseline.get(key, 0)
        recent_rate = count / recent_days
        baseline_rate = before / baseline_days
        expected = baseline_rate * recent_days
        if count <= expected:
            continue
        score = (count - expected) / math.sqrt(expected + 1)
        trends.append(
            TopicTrend(
                key=key,
                recent=count,
                baseline=before,
                recent_per_week=recent_rate * 7,
                baseline_per_week=baseline_rate * 7,
                score=score,
            )
        )
    trends.sort(key=lambda t: (-t.score, -t.recent, str(t.key)))
    return trends[:limit]
