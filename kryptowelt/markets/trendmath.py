"""Which topics rise in our news: counts of the last days against the weeks before.

Pure Python, no Django, so the rule is tested directly. A topic (tag or coin) trends when
its daily rate of articles in the recent window beats its rate in the baseline window.
Both rates get a small prior (one article per baseline window), so a topic going from 0 to
2 articles does not outrank one going from 10 to 30 by an infinite ratio.
"""

from __future__ import annotations

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
    prior = 1 / baseline_days
    trends = []
    for key, count in recent.items():
        if count < min_recent:
            continue
        before = baseline.get(key, 0)
        recent_rate = count / recent_days
        baseline_rate = before / baseline_days
        if recent_rate <= baseline_rate:
            continue
        score = (recent_rate + prior) / (baseline_rate + prior)
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
