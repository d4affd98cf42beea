"""The relatedness engine behind "Weitere interessante Artikel" (pure Python, no Django).

Every document becomes one sparse vector of four L2-normalised blocks, so that one dot
product combines every signal:

    text      TF-IDF of `text.index_terms`: sublinear tf, smoothed idf, title and teaser
              counted TITLE_WEIGHT/TEASER_WEIGHT times, terms seen in one document only
              dropped (they cannot match and would only dilute the length normalisation)
    tags      one-hot tags (editors' Schlagwörter)                  × tag_weight
    entities  idf-weighted coins, companies, people, regulators      × entity_weight
    section   one-hot section                                        × section_weight

A query is the document's own vector cut to its `query_terms` strongest features (what
"more like this" features in search engines do: fast, and the weak terms are mostly noise),
scored against an inverted index (the transposed matrix, so the cost is the summed document
frequency of the query's features, not the corpus size). One round of pseudo-relevance
feedback follows: the strongest `feedback_docs` neighbours' vectors, weighted by their score,
form a second query whose scores are added with `feedback_weight` (each feedback document's
own self-match is removed). Freshness multiplies the score mildly; then the list is
diversified: no near-duplicates, at most `max_per_day` from one calendar day and at most
`max_section_share` of the list from one section while good candidates from elsewhere exist.

New or changed documents go to a small side matrix scored by brute force and merged into the
index when it grows past `merge_every`; removed documents are masked. So `add`, `update` and
`remove` cost milliseconds even with 100,000 documents. Idf values are those of the last
full build (plus the new document's own counts) until the next `build`.

Every weight below was measured on the labelled corpus (see docs/related.md); nothing is
trained on labels.
"""

from __future__ import annotations

import datetime as dt
import math
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

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
class _Analysed:
    text: Counter
    tags: list[str]
    entities: list[str]
    section: str | None
    published_at: float | None


def analyse(document: Document, config: Config) -> _Analysed:
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
    return _Analysed(counts, tags, sorted(found), document.section, document.published_at)


def _analyse_chunk(args):
    documents, config = args
    return [(document.key, analyse(document, config)) for document in documents]


class RelatedEngine:
    def __init__(self, config: Config | None = None):
        self.config = config or Config()
        self._vocab: dict[str, int] = {}
        self._df = np.zeros(0, dtype=np.int64)
        self._n_docs = 0
        self._rows: dict = {}  # key -> row
        self._keys: list = []
        self._alive = np.zeros(0, dtype=bool)
        self._published = np.zeros(0, dtype=np.float64)
        self._section = np.zeros(0, dtype=np.int32)
        self._sections: dict[str, int] = {}
        self._main = sp.csr_matrix((0, 0), dtype=np.float32)  # rows: documents
        self._index = sp.csr_matrix((0, 0), dtype=np.float32)  # rows: features
        self._main_rows = 0
        self._side: list[tuple[np.ndarray, np.ndarray]] = []  # rows after _main_rows
        self._side_matrix: sp.csr_matrix | None = None
        self._blocks = np.zeros(0, dtype=np.int8)  # block code of each feature column
        self._text_ratio = np.zeros(0, dtype=np.float32)  # see _weigh_values
        self._cache: dict = {}  # derived per-row arrays, keyed by the row count
        self.changes_since_build = 0

    # --- building ----------------------------------------------------------------------------
    @classmethod
    def build(
        cls,
        documents: Iterable[Document],
        config: Config | None = None,
        *,
        progress: Callable[[Iterable], Iterable] | None = None,
        processes: int = 1,
    ) -> RelatedEngine:
        engine = cls(config)
        engine._build(documents, progress=progress, processes=processes)
        return engine

    def _build(self, documents: Iterable[Document], *, progress, processes: int) -> None:
        """Streams: each analysed document becomes feature ids at once, so memory holds the
        sparse matrix, never all texts or all term counters."""
        config = self.config
        if processes > 1:
            analysed = self._analyse_parallel(documents, processes)
        else:
            analysed = ((document.key, analyse(document, config)) for document in documents)
        if progress:
            analysed = progress(analysed)
        vocab: dict[str, int] = {}
        indptr = array("q", [0])
        indices = array("i")
        data = array("f")
        keys: list = []
        published = array("d")
        sections = array("i")
        for key, item in analysed:
            features = self._features(item)
            indices.extend([vocab.setdefault(feature, len(vocab)) for feature in features])
            data.extend(features.values())
            indptr.append(len(indices))
            keys.append(key)
            published.append(math.nan if item.published_at is None else item.published_at)
            sections.append(self._section_id(item.section))
        n = len(keys)
        counts = sp.csr_matrix(
            (
                np.frombuffer(data, dtype=np.float32),
                np.frombuffer(indices, dtype=np.int32),
                np.frombuffer(indptr, dtype=np.int64),
            ),
            shape=(n, len(vocab)),
        )
        del data, indices, indptr
        self._vocab = vocab
        self._blocks = self._block_codes(vocab)
        self._df = np.bincount(counts.indices, minlength=len(vocab)).astype(np.int64)
        self._n_docs = n
        self._keys = keys
        self._alive = np.ones(n, dtype=bool)
        self._rows = {}
        for row, key in enumerate(keys):
            previous = self._rows.get(key)
            if previous is not None:  # a later version of the same key wins
                self._alive[previous] = False
            self._rows[key] = row
        self._published = np.frombuffer(published, dtype=np.float64).copy()
        self._section = np.frombuffer(sections, dtype=np.int32).copy()
        self._main, self._text_ratio = self._weigh(counts)
        del counts
        self._main_rows = n
        self._side = []
        self._side_matrix = None
        self._index = self._main.T.tocsr()

    def _analyse_parallel(self, documents: Iterable[Document], processes: int):
        import multiprocessing

        def chunks():
            chunk: list[Document] = []
            for document in documents:
                chunk.append(document)
                if len(chunk) == 500:
                    yield chunk, self.config
                    chunk = []
            if chunk:
                yield chunk, self.config

        context = multiprocessing.get_context("fork")
        with context.Pool(processes) as pool:
            for part in pool.imap(_analyse_chunk, chunks()):
                yield from part

    def _section_id(self, section: str | None) -> int:
        if section is None:
            return -1
        return self._sections.setdefault(section, len(self._sections))

    @staticmethod
    def _features(item: _Analysed) -> dict[str, float]:
        """Raw feature counts with a prefix per block: "t" text, "g" tag, "e" entity, "s" section."""
        features = {f"t{term}": float(count) for term, count in item.text.items()}
        for tag in item.tags:
            features[f"g{tag}"] = 1.0
        for entity in item.entities:
            features[f"e{entity}"] = 1.0
        if item.section is not None:
            features[f"s{item.section}"] = 1.0
        return features

    _BLOCK_CODES = {"t": 0, "g": 1, "e": 2, "s": 3}

    def _block_codes(self, features: Iterable[str]) -> np.ndarray:
        """Block code (0 text, 1 tag, 2 entity, 3 section) of each feature."""
        codes = self._BLOCK_CODES
        return np.fromiter((codes[feature[0]] for feature in features), dtype=np.int8)

    def _weigh_values(
        self, values, blocks, df, rows, n_docs: int, n_rows: int = 1
    ) -> tuple[np.ndarray, np.ndarray]:
        """Raw counts → weights: sublinear tf × smoothed idf for text, idf for entities, 1 for
        tags and sections; each block of each row L2-normalised and scaled by its weight.

        Also returns, per row, the share of the text vector's length that survives dropping
        the terms below `min_df`: near-duplicate detection needs the cosine of the whole
        texts, not only of their shared vocabulary."""
        config = self.config
        n = max(n_docs, 1)
        idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
        values = values.astype(np.float64)
        text = blocks == 0
        values[text] = (1.0 + np.log(np.maximum(values[text], 1e-9))) * idf[text]
        rows = rows.astype(np.int64)
        full = np.sqrt(np.bincount(rows[text], weights=values[text] ** 2, minlength=n_rows))
        values[text & (df < config.min_df)] = 0.0
        kept = np.sqrt(np.bincount(rows[text], weights=values[text] ** 2, minlength=n_rows))
        ratio = np.divide(kept, full, out=np.zeros(n_rows), where=full > 0).astype(np.float32)
        entity = blocks == 2
        values[entity] = idf[entity]
        scale = np.array([1.0, config.tag_weight, config.entity_weight, config.section_weight])
        key = rows * 4 + blocks
        norms = np.sqrt(np.bincount(key, weights=values**2))
        divisor = norms[key]
        divisor[divisor == 0] = 1.0
        return (values / divisor * scale[blocks]).astype(np.float32), ratio

    def _weigh(self, counts: sp.csr_matrix) -> tuple[sp.csr_matrix, np.ndarray]:
        columns = counts.indices
        n_rows = counts.shape[0]
        rows = np.repeat(np.arange(n_rows), np.diff(counts.indptr))
        values, ratio = self._weigh_values(
            counts.data, self._blocks[columns], self._df[columns], rows, self._n_docs, n_rows
        )
        weighted = sp.csr_matrix((values, counts.indices, counts.indptr), shape=counts.shape)
        weighted.eliminate_zeros()
        return weighted, ratio

    # --- incremental changes ------------------------------------------------------------------
    def __len__(self) -> int:
        return int(self._alive.sum())

    def __contains__(self, key) -> bool:
        row = self._rows.get(key)
        return row is not None and bool(self._alive[row])

    def add(self, document: Document) -> None:
        """Add a new document or replace the stored version of its key."""
        if document.key in self._rows:
            self.remove(document.key)
        self.changes_since_build += 1
        item = analyse(document, self.config)
        features = self._features(item)
        new = [feature for feature in features if feature not in self._vocab]
        if new:
            for feature in new:
                self._vocab[feature] = len(self._vocab)
            self._df = np.concatenate([self._df, np.zeros(len(new), dtype=np.int64)])
            self._blocks = np.concatenate([self._blocks, self._block_codes(new)])
        columns = np.fromiter((self._vocab[f] for f in features), dtype=np.int32)
        self._df[columns] += 1
        self._n_docs += 1
        values = np.fromiter(features.values(), dtype=np.float64, count=len(features))
        weighted, ratio = self._weigh_values(
            values, self._blocks[columns], self._df[columns], np.zeros(len(columns)), self._n_docs
        )
        self._text_ratio = np.append(self._text_ratio, ratio)
        keep = weighted != 0
        order = np.argsort(columns[keep])
        row = len(self._keys)
        self._keys.append(document.key)
        self._rows[document.key] = row
        self._alive = np.append(self._alive, True)
        self._published = np.append(
            self._published, np.nan if item.published_at is None else item.published_at
        )
        self._section = np.append(self._section, np.int32(self._section_id(item.section)))
        self._side.append((columns[keep][order], weighted[keep][order]))
        self._side_matrix = None
        if len(self._side) >= self.config.merge_every:
            self._merge()

    def update(self, document: Document) -> None:
        self.add(document)

    def remove(self, key) -> bool:
        row = self._rows.pop(key, None)
        if row is None:
            return False
        self.changes_since_build += 1
        self._alive[row] = False
        return True

    def _merge(self) -> None:
        width = len(self._vocab)
        main = self._main
        main = sp.csr_matrix((main.data, main.indices, main.indptr), shape=(main.shape[0], width))
        self._main = sp.vstack([main, self._side_csr()], format="csr")
        self._main_rows = self._main.shape[0]
        self._side = []
        self._side_matrix = None
        self._index = self._main.T.tocsr()

    def _side_csr(self) -> sp.csr_matrix:
        if self._side_matrix is None or self._side_matrix.shape[1] != len(self._vocab):
            indptr = np.cumsum([0] + [len(columns) for columns, _ in self._side])
            columns = (
                np.concatenate([c for c, _ in self._side]) if self._side else np.zeros(0, np.int32)
            )
            values = (
                np.concatenate([v for _, v in self._side])
                if self._side
                else np.zeros(0, np.float32)
            )
            self._side_matrix = sp.csr_matrix(
                (values, columns, indptr), shape=(len(self._side), len(self._vocab))
            )
        return self._side_matrix

    # --- queries ------------------------------------------------------------------------------
    def _vector(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        if row < self._main_rows:
            start, end = self._main.indptr[row], self._main.indptr[row + 1]
            return self._main.indices[start:end], self._main.data[start:end]
        return self._side[row - self._main_rows]

    def _prune(self, columns: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        limit = self.config.query_terms
        if len(values) > limit:
            keep = np.argpartition(-values, limit - 1)[:limit]
            return columns[keep], values[keep]
        return columns, values

    def _scores(self, columns: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Dot product of a sparse query with every row (dead rows included)."""
        total = len(self._keys)
        scores = np.zeros(total, dtype=np.float32)
        index_width = self._index.shape[0]
        in_index = columns < index_width
        if self._main_rows and in_index.any():
            # Gather the posting lists of the query's features and add them up: the cost is
            # the summed document frequency of the query, not the size of the corpus.
            index = self._index
            starts = index.indptr[columns[in_index]]
            lengths = index.indptr[columns[in_index] + 1] - starts
            total_postings = int(lengths.sum())
            if total_postings:
                offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
                positions = offsets + np.arange(total_postings)
                weights = index.data[positions] * np.repeat(values[in_index], lengths)
                scores[: self._main_rows] = np.bincount(
                    index.indices[positions], weights=weights, minlength=self._main_rows
                )
        if self._side:
            query = np.zeros(len(self._vocab), dtype=np.float32)
            query[columns] = values
            scores[self._main_rows :] = self._side_csr() @ query
        return scores

    def _text_gram(self, vectors: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        """Text-block cosines between the given vectors (the text block has unit norm)."""
        rows = vectors
        masks = [self._blocks[c] == 0 for c, _ in vectors]
        kept = [(c[mask], v[mask]) for (c, v), mask in zip(vectors, masks, strict=True)]
        indptr = np.cumsum([0] + [len(c) for c, _ in kept])
        matrix = sp.csr_matrix(
            (np.concatenate([v for _, v in kept]), np.concatenate([c for c, _ in kept]), indptr),
            shape=(len(rows), len(self._vocab)),
        )
        return (matrix @ matrix.T).toarray()

    def scores_for(self, key) -> np.ndarray:
        """Final (not yet diversified) scores of every row for the document `key`."""
        row = self._rows[key]
        return self._scores_for_vector(*self._vector(row), row=row)

    def _scores_for_vector(self, columns, values, *, row: int | None) -> np.ndarray:
        config = self.config
        columns, values = self._prune(columns, values)
        scores = self._scores(columns, values)
        if row is not None:
            scores[row] = 0.0
        scores[~self._alive] = 0.0
        m = config.feedback_docs
        if m and config.feedback_weight and len(scores) > m + 1:
            top = np.argpartition(-scores, m)[:m]
            top = top[scores[top] > 0]
            if len(top):
                weights = (scores[top] / scores[top].sum()).astype(np.float32)
                pruned = [self._prune(*self._vector(int(doc))) for doc in top]
                # A pruned vector is a subset of the full one: its self-match is its square sum.
                self_match = np.array([float(v @ v) for _, v in pruned], dtype=np.float32)
                all_columns = np.concatenate([c for c, _ in pruned])
                all_values = np.concatenate(
                    [v * w for (_, v), w in zip(pruned, weights, strict=True)]
                )
                fb_columns, inverse = np.unique(all_columns, return_inverse=True)
                fb_values = np.bincount(inverse, weights=all_values).astype(np.float32)
                fb_columns, fb_values = self._prune(fb_columns, fb_values)
                fb_scores = self._scores(fb_columns, fb_values)
                # The feedback documents would otherwise be boosted by their own vectors.
                fb_scores[top] -= weights * self_match
                scores = scores + config.feedback_weight * np.maximum(fb_scores, 0.0)
                if row is not None:
                    scores[row] = 0.0
                scores[~self._alive] = 0.0
        if config.freshness:
            factor = self._freshness_factor()
            if factor is not None:
                scores = scores * factor
        return scores

    def _freshness_factor(self) -> np.ndarray | None:
        """Per-row score multiplier by age, cached per hour (and per number of rows)."""
        hour = int(dt.datetime.now(dt.UTC).timestamp() // 3600)
        cached = self._cache.get("freshness")
        if cached is not None and cached[0] == (hour, len(self._published)):
            return cached[1]
        factor = None
        published = self._published
        known = ~np.isnan(published)
        if known.any():
            config = self.config
            age_days = np.clip((hour * 3600.0 - published[known]) / DAY, 0.0, None)
            decay = np.exp2(-age_days / config.freshness_half_life_days)
            factor = np.ones(len(published), dtype=np.float32)
            factor[known] = (1.0 - config.freshness) + config.freshness * decay
        self._cache["freshness"] = ((hour, len(published)), factor)
        return factor

    def related(self, key, *, limit: int = 6, exclude: Iterable = ()) -> list[Match]:
        """Up to `limit` other documents for `key`, best first, diversified."""
        if key not in self:
            return []
        row = self._rows[key]
        columns, values = self._vector(row)
        scores = self._scores_for_vector(columns, values, row=row)
        query = (columns, values, float(self._text_ratio[row]))
        return self._select(scores, query, limit, {key, *exclude})

    def related_to(
        self, document: Document, *, limit: int = 6, exclude: Iterable = ()
    ) -> list[Match]:
        """Related documents for a document that is not (or not in this form) in the engine,
        e.g. an unpublished draft in preview; the engine is not changed."""
        columns, values, ratio = self._vector_of(document)
        scores = self._scores_for_vector(columns, values, row=None)
        row = self._rows.get(document.key)
        if row is not None:
            scores[row] = 0.0
        return self._select(scores, (columns, values, ratio), limit, {document.key, *exclude})

    def _select(self, scores, query, limit: int, exclude: set) -> list[Match]:
        if limit <= 0:
            return []
        for other in exclude:
            row = self._rows.get(other)
            if row is not None:
                scores[row] = 0.0
        positive = int((scores > 0).sum())
        matches: list[Match] = []
        pool = min(self.config.candidates + limit, positive)
        while pool:
            candidates = np.argpartition(-scores, pool - 1)[:pool]
            candidates = candidates[np.argsort(-scores[candidates], kind="stable")]
            chosen, duplicates = self._diversify(query, candidates, scores, limit)
            if (
                len(chosen) >= limit
                or pool >= positive
                or pool >= 8 * (self.config.candidates + limit)
            ):
                break
            # Near duplicates used up the candidates: look further down the ranking.
            pool = min(pool * 4, positive)
        if positive:
            matches = [Match(self._keys[row], float(scores[row])) for row in chosen]
            exclude = exclude | {self._keys[row] for row in duplicates}
        if len(matches) < limit:
            matches = self._fill_recent(matches, limit, exclude)
        return matches

    def _vector_of(self, document: Document) -> tuple[np.ndarray, np.ndarray, float]:
        """The weighted vector of a document not stored in the engine (current idf; features
        the engine has never seen cannot match and only count for the normalisation)."""
        features = self._features(analyse(document, self.config))
        names = list(features)
        known = np.array([name in self._vocab for name in names], dtype=bool)
        columns = np.array([self._vocab.get(name, -1) for name in names], dtype=np.int64)
        blocks = self._block_codes(names)
        df = np.ones(len(names), dtype=np.int64)
        df[known] = self._df[columns[known]] + 1
        values = np.fromiter(features.values(), dtype=np.float64, count=len(names))
        weighted, ratio = self._weigh_values(
            values, blocks, df, np.zeros(len(names)), self._n_docs + 1
        )
        keep = known & (weighted != 0)
        return columns[keep].astype(np.int32), weighted[keep], float(ratio[0])

    def _diversify(self, query, candidates, scores, limit: int) -> tuple[list[int], set[int]]:
        """Greedy selection in score order. First pass: only good candidates, with the caps
        per day and per section; second pass: fill up from the rest, without caps. Near
        duplicates (of the query or of a chosen one) never enter."""
        config = self.config
        rows = [int(row) for row in candidates]
        query_columns, query_values, query_ratio = query
        gram_cache: list[np.ndarray] = []

        def gram_for(position: int) -> np.ndarray:
            """Whole-text cosines among the query and the first candidates; most lists are
            settled within the first 2 × limit candidates, so only those are computed first."""
            size = min(len(rows), max(2 * limit + 4, position + 1) if not gram_cache else len(rows))
            if not gram_cache or gram_cache[0].shape[0] <= position:
                head = rows[:size]
                gram = self._text_gram(
                    [(query_columns, query_values), *(self._vector(r) for r in head)]
                )
                # Cosines of the whole texts (see _weigh_values), for the near-duplicate rule.
                ratios = np.concatenate([[query_ratio], self._text_ratio[head]])
                gram_cache[:] = [gram * ratios[:, None] * ratios[None, :]]
            return gram_cache[0]

        best = float(scores[rows[0]])
        good = {row for row in rows if scores[row] >= config.good_ratio * best}
        sections_of_good = {int(self._section[row]) for row in good} - {-1}
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
                day = self._day(row)
                section = int(self._section[row])
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

    def _day(self, row: int) -> int | None:
        published = self._published[row]
        if np.isnan(published):
            return None
        return int(published // DAY)

    def _recency_order(self) -> np.ndarray:
        """All rows, newest first (undated last), cached until documents change."""
        cached = self._cache.get("recency")
        if cached is not None and cached[0] == len(self._published):
            return cached[1]
        rows = np.arange(len(self._published))
        published = np.nan_to_num(self._published, nan=-np.inf)
        order = rows[np.lexsort((-rows, -published))]
        self._cache["recency"] = (len(self._published), order)
        return order

    def _fill_recent(self, matches: list[Match], limit: int, exclude: set) -> list[Match]:
        """Too few related documents: fill up with the newest ones (score 0)."""
        taken = {match.key for match in matches} | exclude
        alive = self._alive
        for row in self._recency_order():
            if not alive[row]:
                continue
            if len(matches) >= limit:
                break
            other = self._keys[int(row)]
            if other not in taken:
                matches.append(Match(other, 0.0))
                taken.add(other)
        return matches

    def neighbours_of(self, key, *, limit: int = 20) -> list:
        """Keys of the documents most similar to `key` (no diversity): whose lists may change
        when `key` is added or changed."""
        if key not in self:
            return []
        scores = self.scores_for(key)
        positive = int((scores > 0).sum())
        limit = min(limit, positive)
        if limit <= 0:
            return []
        top = np.argpartition(-scores, limit - 1)[:limit]
        top = top[np.argsort(-scores[top])]
        return [self._keys[int(row)] for row in top]

    def keys(self) -> list:
        return [key for key, row in self._rows.items() if self._alive[row]]
