"""The relatedness engine behind "Weitere interessante Artikel" (pure Python, no Django).

Every document becomes one sparse vector of four L2-normalised blocks, so that one dot
product combines every signal (text TF-IDF, tags, entities, section; `weighting`). A query
is scored against an inverted index with one round of pseudo-relevance feedback and a mild
freshness factor (`scoring`), then diversified (`selection`). `add`, `update` and `remove`
cost milliseconds even with 100,000 documents (`index`).

    documents.py   Document, Config, Match; a document's analysis and raw features
    weighting.py   raw counts → weighted, block-normalised vectors
    index.py       the state: vocabulary, df, vectors, inverted index, side rows
    scoring.py     query pruning, feedback, freshness
    selection.py   diversity rules and the fill-up with the newest documents
    engine.py      this facade

Every weight was measured on the labelled corpus (see docs/related.md); nothing is trained
on labels.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from kryptowelt.related.documents import Config, Document, Match, analyse, analyse_parallel
from kryptowelt.related.index import DocumentIndex
from kryptowelt.related.scoring import scores_for_vector
from kryptowelt.related.selection import select


class RelatedEngine:
    def __init__(self, config: Config | None = None):
        self.config = config or Config()
        self._index = DocumentIndex(self.config)

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
        config = engine.config
        if processes > 1:
            analysed = analyse_parallel(documents, config, processes)
        else:
            analysed = ((document.key, analyse(document, config)) for document in documents)
        if progress:
            analysed = progress(analysed)
        engine._index.build(analysed)
        return engine

    # --- contents and changes -----------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, key) -> bool:
        return key in self._index

    def keys(self) -> list:
        return self._index.keys()

    @property
    def changes_since_build(self) -> int:
        return self._index.changes_since_build

    def add(self, document: Document) -> None:
        """Add a new document or replace the stored version of its key."""
        if document.key in self._index.rows:
            self._index.remove(document.key)
        self._index.add(document.key, analyse(document, self.config))

    def update(self, document: Document) -> None:
        self.add(document)

    def remove(self, key) -> bool:
        return self._index.remove(key)

    # --- queries ------------------------------------------------------------------------------
    def scores_for(self, key) -> np.ndarray:
        """Final (not yet diversified) scores of every row for the document `key`."""
        row = self._index.rows[key]
        return scores_for_vector(self._index, *self._index.vector(row), row=row)

    def related(self, key, *, limit: int = 6, exclude: Iterable = ()) -> list[Match]:
        """Up to `limit` other documents for `key`, best first, diversified."""
        if key not in self:
            return []
        index = self._index
        row = index.rows[key]
        columns, values = index.vector(row)
        scores = scores_for_vector(index, columns, values, row=row)
        query = (columns, values, float(index.text_ratio[row]))
        return select(index, scores, query, limit, {key, *exclude})

    def related_to(
        self, document: Document, *, limit: int = 6, exclude: Iterable = ()
    ) -> list[Match]:
        """Related documents for a document that is not (or not in this form) in the engine,
        e.g. an unpublished draft in preview; the engine is not changed."""
        index = self._index
        columns, values, ratio = index.vector_of(analyse(document, self.config))
        scores = scores_for_vector(index, columns, values, row=None)
        row = index.rows.get(document.key)
        if row is not None:
            scores[row] = 0.0
        return select(index, scores, (columns, values, ratio), limit, {document.key, *exclude})

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
        return [self._index.row_keys[int(row)] for row in top]
