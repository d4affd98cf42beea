"""Benchmarks of the relatedness engine ("Weitere interessante Artikel"); prints figures.

    .venv/bin/python benchmarks/related_bench.py [--corpus FILE] [--scale 100000] [--ablation]

The corpus defaults to $KRYPTOWELT_DATA_DIR/10kgnad/train.csv (KRYPTOWELT_DATA_DIR: by default
../shared/data beside the repository); without it the script says so and exits with 2.

1. Quality on the labelled corpus (leave-one-out precision@5 of same-label neighbours), all
   measured in this run on the same documents:
   - our engine (kryptowelt.related.engine, default Config);
   - baseline: scikit-learn TfidfVectorizer() with default settings, cosine on the raw text;
   - the newsroom's first version (kryptowelt.related.selectors before the engine: shared
     tags ×3, same section ×1, shared title-word stems ×1.5). The corpus has no tags or
     sections, so only its title-word term can act: the first sentence stands in for the
     title, ties are broken by corpus order (the first version broke them by recency).
2. Scale: the corpus multiplied to N documents with word-level perturbation (each copy drops,
   replaces and swaps some words), built in a fresh process: full build time (index) and the
   time to compute every document's related list on a sample, peak memory (max RSS of that
   process), incremental update for one new article, query p50/p95; plus the build time of
   1,000 documents.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kryptowelt.related.corpus import (  # noqa: E402
    corpus_missing_message,
    corpus_read,
    default_corpus_path,
)
from kryptowelt.related.documents import Config, Document  # noqa: E402
from kryptowelt.related.engine import RelatedEngine  # noqa: E402
from kryptowelt.related.evaluation import evaluate  # noqa: E402
from kryptowelt.text import SEARCH_STOP_WORDS, split_lead, stem, words  # noqa: E402


def precision_from_scores(scores: np.ndarray, labels: np.ndarray, k: int) -> float:
    scores = scores.astype(np.float64, copy=True)
    np.fill_diagonal(scores, -np.inf)
    top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return float((labels[top] == labels[:, None]).mean())


def baseline_tfidf(texts: list[str], labels: np.ndarray, k: int) -> float:
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer().fit_transform(texts)
    return precision_from_scores((matrix @ matrix.T).toarray(), labels, k)


def first_version(texts: list[str], labels: np.ndarray, k: int) -> float:
    """The newsroom's first scoring on what the corpus has: title-word stem overlap only."""

    def title_stems(title: str) -> set[str]:
        return {stem(w) for w in words(title) if w not in SEARCH_STOP_WORDS and len(w) > 2}

    titles = [title_stems(split_lead(text)[0]) for text in texts]
    n = len(texts)
    scores = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            if i != j:
                scores[i, j] = 1.5 * len(titles[i] & titles[j])
    return precision_from_scores(scores, labels, k)


ABLATIONS = [
    ("engine (default)", {}),
    ("without pseudo-relevance feedback", {"feedback_weight": 0.0}),
    ("without query pruning (all terms)", {"query_terms": 1_000_000}),
    ("without dropping df=1 terms", {"min_df": 1}),
    ("without entity block", {"entity_weight": 0.0}),
    ("entity block weight 0.45", {"entity_weight": 0.45}),
    ("first sentence not weighted (×1)", {"title_weight": 1.0}),
    ("first sentence ×3", {"title_weight": 3.0}),
    ("without near-duplicate filter", {"near_duplicate": 2.0}),
    ("without stemming", {"stemming": False}),
    ("without compound-part terms", {"compound_parts": False}),
]


def quality(corpus_path: Path, k: int, ablation: bool) -> None:
    corpus = corpus_read(corpus_path)
    labels = np.array(corpus.labels)
    print(f"# Qualität: {corpus_path.name}, {len(corpus)} Dokumente, k={k}")
    ours = evaluate(labels=corpus.labels, texts=corpus.texts, k=k)
    base = baseline_tfidf(corpus.texts, labels, k)
    first = first_version(corpus.texts, labels, k)
    print(f"engine            precision@{k}={ours.precision:.3f}")
    print(f"baseline tf-idf   precision@{k}={base:.3f}  (sklearn TfidfVectorizer(), cosine)")
    print(f"first version     precision@{k}={first:.3f}  (title-word overlap only, see docstring)")
    print(f"margin over baseline: {ours.precision - base:+.3f}")
    print(ours.summary_line())
    if ablation:
        print("# Ablation (engine with one change)")
        for name, changes in ABLATIONS:
            config = dataclasses.replace(Config(), **changes)
            result = evaluate(labels=corpus.labels, texts=corpus.texts, k=k, config=config)
            print(f"{name:40s} precision@{k}={result.precision:.3f}")


# --- scale -------------------------------------------------------------------------------------
def perturbed_documents(texts: list[str], total: int, seed: int = 7):
    """`total` documents: the corpus repeated, each copy with word-level noise."""
    rng = random.Random(seed)
    pool = [word for text in texts[:200] for word in text.split()]
    day = 86_400.0
    start = time.time() - 3 * 365 * day
    sections = ["neuigkeiten", "trends", "tipps", "wissen"]
    for i in range(total):
        words = texts[i % len(texts)].split()
        if i >= len(texts):
            out = []
            for word in words:
                roll = rng.random()
                if roll < 0.08:
                    continue  # dropped
                if roll < 0.13:
                    word = rng.choice(pool)  # replaced
                out.append(word)
            for _ in range(len(out) // 20):  # swapped neighbours
                j = rng.randrange(max(1, len(out) - 1))
                out[j : j + 2] = out[j : j + 2][::-1]
            words = out
        yield Document(
            key=i,
            body=" ".join(words),
            section=sections[i % 4],
            published_at=start + (i / total) * 3 * 365 * day,
        )


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the analysis pool)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def scale_child(corpus_path: Path, total: int, processes: int) -> None:
    """Runs in its own process so that max RSS is this measurement's peak memory."""
    corpus = corpus_read(corpus_path)
    texts = corpus.texts
    # The build streams the generated documents (so memory holds no 100,000 texts); the time
    # to generate them is measured separately and reported, it is included in build_s.
    started = time.perf_counter()
    for _ in perturbed_documents(texts, total):
        pass
    generate_s = time.perf_counter() - started
    started = time.perf_counter()
    cpu_started = cpu_seconds()
    engine = RelatedEngine.build(perturbed_documents(texts, total), processes=processes)
    build_s = time.perf_counter() - started
    build_cpu_s = cpu_seconds() - cpu_started
    rng = random.Random(1)
    sample = rng.sample(range(total), min(500, total))
    timings = []
    cpu_timings = []
    for key in sample:
        t0, c0 = time.perf_counter(), time.process_time()
        engine.related(key, limit=6)
        timings.append((time.perf_counter() - t0) * 1000)
        cpu_timings.append((time.process_time() - c0) * 1000)
    # One new article: added, its own list computed and the lists of the documents it
    # most resembles refreshed (what the publish task does).
    new = Document(
        key="neu",
        title="Bitcoin-ETF: Zuflüsse steigen, BaFin warnt vor Risiken",
        teaser="Die Nachfrage nach Spot-ETFs wächst; Aufseher mahnen zur Vorsicht.",
        body=texts[5],
        tags=("Bitcoin", "ETF"),
        section="neuigkeiten",
        published_at=time.time(),
    )
    t0, c0 = time.perf_counter(), time.process_time()
    engine.add(new)
    engine.related("neu", limit=6)
    affected = engine.neighbours_of("neu", limit=10)
    for key in affected:
        engine.related(key, limit=6)
    update_ms = (time.perf_counter() - t0) * 1000
    update_cpu_ms = (time.process_time() - c0) * 1000
    t0 = time.perf_counter()
    engine.add(dataclasses.replace(new, key="neu-2"))
    add_only_ms = (time.perf_counter() - t0) * 1000
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    all_lists_s = float(np.mean(timings)) / 1000 * total
    print(
        json.dumps(
            {
                "docs": total,
                "build_s": build_s,
                "generate_s": generate_s,
                "build_cpu_s": build_cpu_s,
                "query_cpu_ms_p95": float(np.percentile(cpu_timings, 95)),
                "update_cpu_ms": update_cpu_ms,
                "peak_mb": peak_mb,
                "query_ms_p50": float(np.percentile(timings, 50)),
                "query_ms_p95": float(np.percentile(timings, 95)),
                "update_ms": update_ms,
                "add_only_ms": add_only_ms,
                "all_lists_s_estimate": all_lists_s,
            }
        )
    )


def scale(corpus_path: Path, total: int, processes: int) -> dict:
    output = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [
            sys.executable,
            __file__,
            "--scale-child",
            str(total),
            "--corpus",
            str(corpus_path),
            "--processes",
            str(processes),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus",
        type=Path,
        help="label;text corpus (default: $KRYPTOWELT_DATA_DIR/10kgnad/train.csv, "
        "KRYPTOWELT_DATA_DIR defaulting to ../shared/data beside the repository)",
    )
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--ablation", action="store_true")
    parser.add_argument("--scale-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.corpus = args.corpus or default_corpus_path()
    if not args.corpus.is_file():
        print(corpus_missing_message(args.corpus), file=sys.stderr)
        sys.exit(2)
    if args.scale_child:
        scale_child(args.corpus, args.scale_child, args.processes)
        return
    quality(args.corpus, args.k, args.ablation)
    print("# Skalierung (eigener Prozess je Messung, Spitzenspeicher = max RSS)")
    for total in (1_000, args.scale):
        result = scale(args.corpus, total, args.processes)
        print(
            f"docs={result['docs']} build_s={result['build_s']:.2f} "
            f"(cpu {result['build_cpu_s']:.2f}, of which generating the texts "
            f"{result['generate_s']:.2f}) peak_mb={result['peak_mb']:.0f} "
            f"query_ms_p50={result['query_ms_p50']:.2f} "
            f"query_ms_p95={result['query_ms_p95']:.2f} "
            f"(cpu {result['query_cpu_ms_p95']:.2f}) "
            f"update_ms={result['update_ms']:.1f} (cpu {result['update_cpu_ms']:.1f}) "
            f"add_only_ms={result['add_only_ms']:.1f} "
            f"all_lists_s~{result['all_lists_s_estimate']:.0f}"
        )


if __name__ == "__main__":
    main()
