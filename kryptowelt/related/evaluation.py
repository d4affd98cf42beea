"""Leave-one-out evaluation of the engine on a labelled corpus (pure Python, no Django).

Each document asks the engine for its `k` related documents among all the others; a hit is a
neighbour with the same label. precision@k = hits / (k × documents): a document that gets
fewer than k neighbours (a tiny corpus) counts the missing ones as misses."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from kryptowelt.related.documents import Config, Document
from kryptowelt.related.engine import RelatedEngine


@dataclass
class Evaluation:
    precision: float
    k: int
    build_s: float
    query_ms_p50: float
    query_ms_p95: float
    docs: int

    def summary_line(self) -> str:
        return (
            f"precision@{self.k}={self.precision:.3f} build_s={self.build_s:.2f} "
            f"query_ms_p50={self.query_ms_p50:.2f} query_ms_p95={self.query_ms_p95:.2f} "
            f"docs={self.docs}"
        )


def evaluate(
    *,
    labels: list[str],
    texts: list[str],
    k: int = 5,
    config: Config | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> Evaluation:
    documents = [Document(key=i, body=text) for i, text in enumerate(texts)]
    started = time.perf_counter()
    engine = RelatedEngine.build(documents, config)
    build_s = time.perf_counter() - started
    hits = 0
    timings = []
    rows = range(len(documents))
    for i in progress(rows) if progress else rows:
        started = time.perf_counter()
        matches = engine.related(i, limit=k)
        timings.append((time.perf_counter() - started) * 1000)
        hits += sum(1 for match in matches if labels[match.key] == labels[i])
    total = len(documents)
    return Evaluation(
        precision=hits / (k * total) if total else 0.0,
        k=k,
        build_s=build_s,
        query_ms_p50=float(np.percentile(timings, 50)) if timings else 0.0,
        query_ms_p95=float(np.percentile(timings, 95)) if timings else 0.0,
        docs=total,
    )
