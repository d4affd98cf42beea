"""The engine's state: vocabulary, document frequencies, the weighted document vectors and
their inverted index (pure Python + numpy/scipy, no Django imports).

Rows are documents in the order they came; a key's row never moves. A full build makes one
CSR matrix and its transpose (the inverted index: one posting list per feature, so scoring
a query costs the summed document frequency of its features, not the corpus size). New or
changed documents go to a small side matrix scored by brute force and merged into the main
matrix when it grows past `merge_every`; removed documents are masked (`alive`). Idf values
are those of the last full build (plus each added document's own counts)."""

from __future__ import annotations

import math
from array import array
from collections.abc import Hashable, Iterable

import numpy as np
import scipy.sparse as sp

from kryptowelt.related.documents import DAY, Analysed, Config, features
from kryptowelt.related.weighting import TEXT, block_codes, weigh, weigh_values

Vector = tuple[np.ndarray, np.ndarray]  # (feature columns, weights)


class DocumentIndex:
    def __init__(self, config: Config):
        self.config = config
        self.vocab: dict[str, int] = {}
        self.df = np.zeros(0, dtype=np.int64)
        self.n_docs = 0
        self.rows: dict = {}  # key -> row
        self.row_keys: list = []  # row -> key
        self.alive = np.zeros(0, dtype=bool)
        self.published = np.zeros(0, dtype=np.float64)
        self.section = np.zeros(0, dtype=np.int32)
        self._sections: dict[str, int] = {}
        self._main = sp.csr_matrix((0, 0), dtype=np.float32)  # rows: documents
        self._index = sp.csr_matrix((0, 0), dtype=np.float32)  # rows: features
        self._main_rows = 0
        self._side: list[Vector] = []  # rows after _main_rows
        self._side_matrix: sp.csr_matrix | None = None
        self.blocks = np.zeros(0, dtype=np.int8)  # block code of each feature column
        self.text_ratio = np.zeros(0, dtype=np.float32)  # see weighting.weigh_values
        self.cache: dict = {}  # derived per-row arrays, keyed by the row count
        self.changes_since_build = 0

    # --- building ----------------------------------------------------------------------------
    def build(self, analysed: Iterable[tuple[Hashable, Analysed]]) -> None:
        """Streams: each analysed document becomes feature ids at once, so memory holds the
        sparse matrix, never all texts or all term counters."""
        vocab: dict[str, int] = {}
        indptr = array("q", [0])
        indices = array("i")
        data = array("f")
        keys: list = []
        published = array("d")
        sections = array("i")
        for key, item in analysed:
            found = features(item)
            indices.extend([vocab.setdefault(feature, len(vocab)) for feature in found])
            data.extend(found.values())
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
        self.vocab = vocab
        self.blocks = block_codes(vocab)
        self.df = np.bincount(counts.indices, minlength=len(vocab)).astype(np.int64)
        self.n_docs = n
        self.row_keys = keys
        self.alive = np.ones(n, dtype=bool)
        self.rows = {}
        for row, key in enumerate(keys):
            previous = self.rows.get(key)
            if previous is not None:  # a later version of the same key wins
                self.alive[previous] = False
            self.rows[key] = row
        self.published = np.frombuffer(published, dtype=np.float64).copy()
        self.section = np.frombuffer(sections, dtype=np.int32).copy()
        self._main, self.text_ratio = weigh(self.config, counts, self.blocks, self.df, n)
        del counts
        self._main_rows = n
        self._side = []
        self._side_matrix = None
        self._index = self._main.T.tocsr()

    def _section_id(self, section: str | None) -> int:
        if section is None:
            return -1
        return self._sections.setdefault(section, len(self._sections))

    # --- incremental changes ------------------------------------------------------------------
    def __len__(self) -> int:
        return int(self.alive.sum())

    def __contains__(self, key) -> bool:
        row = self.rows.get(key)
        return row is not None and bool(self.alive[row])

    def keys(self) -> list:
        return [key for key, row in self.rows.items() if self.alive[row]]

    def add(self, key, item: Analysed) -> None:
        """Add a new document (a stored version of `key` must have been removed first)."""
        self.changes_since_build += 1
        found = features(item)
        new = [feature for feature in found if feature not in self.vocab]
        if new:
            for feature in new:
                self.vocab[feature] = len(self.vocab)
            self.df = np.concatenate([self.df, np.zeros(len(new), dtype=np.int64)])
            self.blocks = np.concatenate([self.blocks, block_codes(new)])
        columns = np.fromiter((self.vocab[f] for f in found), dtype=np.int32)
        self.df[columns] += 1
        self.n_docs += 1
        values = np.fromiter(found.values(), dtype=np.float64, count=len(found))
        weighted, ratio = weigh_values(
            self.config,
            values,
            self.blocks[columns],
            self.df[columns],
            np.zeros(len(columns)),
            self.n_docs,
        )
        self.text_ratio = np.append(self.text_ratio, ratio)
        keep = weighted != 0
        order = np.argsort(columns[keep])
        row = len(self.row_keys)
        self.row_keys.append(key)
        self.rows[key] = row
        self.alive = np.append(self.alive, True)
        self.published = np.append(
            self.published, np.nan if item.published_at is None else item.published_at
        )
        self.section = np.append(self.section, np.int32(self._section_id(item.section)))
        self._side.append((columns[keep][order], weighted[keep][order]))
        self._side_matrix = None
        if len(self._side) >= self.config.merge_every:
            self._merge()

    def remove(self, key) -> bool:
        row = self.rows.pop(key, None)
        if row is None:
            return False
        self.changes_since_build += 1
        self.alive[row] = False
        return True

    def _merge(self) -> None:
        width = len(self.vocab)
        main = self._main
        main = sp.csr_matrix((main.data, main.indices, main.indptr), shape=(main.shape[0], width))
        self._main = sp.vstack([main, self._side_csr()], format="csr")
        self._main_rows = self._main.shape[0]
        self._side = []
        self._side_matrix = None
        self._index = self._main.T.tocsr()

    def _side_csr(self) -> sp.csr_matrix:
        if self._side_matrix is None or self._side_matrix.shape[1] != len(self.vocab):
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
                (values, columns, indptr), shape=(len(self._side), len(self.vocab))
            )
        return self._side_matrix

    # --- vectors and dot products -------------------------------------------------------------
    def vector(self, row: int) -> Vector:
        if row < self._main_rows:
            start, end = self._main.indptr[row], self._main.indptr[row + 1]
            return self._main.indices[start:end], self._main.data[start:end]
        return self._side[row - self._main_rows]

    def vector_of(self, item: Analysed) -> tuple[np.ndarray, np.ndarray, float]:
        """The weighted vector of a document not stored here (current idf; features never
        seen cannot match and only count for the normalisation), and its text ratio."""
        found = features(item)
        names = list(found)
        known = np.array([name in self.vocab for name in names], dtype=bool)
        columns = np.array([self.vocab.get(name, -1) for name in names], dtype=np.int64)
        blocks = block_codes(names)
        df = np.ones(len(names), dtype=np.int64)
        df[known] = self.df[columns[known]] + 1
        values = np.fromiter(found.values(), dtype=np.float64, count=len(names))
        weighted, ratio = weigh_values(
            self.config, values, blocks, df, np.zeros(len(names)), self.n_docs + 1
        )
        keep = known & (weighted != 0)
        return columns[keep].astype(np.int32), weighted[keep], float(ratio[0])

    def scores(self, columns: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Dot product of a sparse query with every row (dead rows included)."""
        total = len(self.row_keys)
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
            query = np.zeros(len(self.vocab), dtype=np.float32)
            query[columns] = values
            scores[self._main_rows :] = self._side_csr() @ query
        return scores

    def text_gram(self, vectors: list[Vector]) -> np.ndarray:
        """Text-block cosines between the given vectors (the text block has unit norm)."""
        masks = [self.blocks[c] == TEXT for c, _ in vectors]
        kept = [(c[mask], v[mask]) for (c, v), mask in zip(vectors, masks, strict=True)]
        indptr = np.cumsum([0] + [len(c) for c, _ in kept])
        matrix = sp.csr_matrix(
            (np.concatenate([v for _, v in kept]), np.concatenate([c for c, _ in kept]), indptr),
            shape=(len(vectors), len(self.vocab)),
        )
        return (matrix @ matrix.T).toarray()

    # --- dates --------------------------------------------------------------------------------
    def day(self, row: int) -> int | None:
        published = self.published[row]
        if np.isnan(published):
            return None
        return int(published // DAY)

    def recency_order(self) -> np.ndarray:
        """All rows, newest first (undated last), cached until documents change."""
        cached = self.cache.get("recency")
        if cached is not None and cached[0] == len(self.published):
            return cached[1]
        rows = np.arange(len(self.published))
        published = np.nan_to_num(self.published, nan=-np.inf)
        order = rows[np.lexsort((-rows, -published))]
        self.cache["recency"] = (len(self.published), order)
        return order
