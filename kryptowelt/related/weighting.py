"""Raw feature counts → the weighted, block-normalised vectors the engine compares (pure
Python + numpy/scipy, no Django imports).

    text      sublinear tf × smoothed idf; terms below `min_df` dropped after measuring
              the text's length (they cannot match and would only dilute the normalisation)
    tags      one-hot                                                × tag_weight
    entities  idf                                                    × entity_weight
    section   one-hot                                                × section_weight

Each block of each row is L2-normalised and scaled by its weight, so one dot product adds
all signals."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp

from kryptowelt.related.documents import Config

TEXT, TAG, ENTITY, SECTION = 0, 1, 2, 3
_BLOCK_CODES = {"t": TEXT, "g": TAG, "e": ENTITY, "s": SECTION}


def block_codes(features: Iterable[str]) -> np.ndarray:
    """Block code (0 text, 1 tag, 2 entity, 3 section) of each feature."""
    codes = _BLOCK_CODES
    return np.fromiter((codes[feature[0]] for feature in features), dtype=np.int8)


def weigh_values(
    config: Config, values, blocks, df, rows, n_docs: int, n_rows: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Raw counts → weights: sublinear tf × smoothed idf for text, idf for entities, 1 for
    tags and sections; each block of each row L2-normalised and scaled by its weight.

    Also returns, per row, the share of the text vector's length that survives dropping
    the terms below `min_df`: near-duplicate detection needs the cosine of the whole
    texts, not only of their shared vocabulary."""
    n = max(n_docs, 1)
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    values = values.astype(np.float64)
    text = blocks == TEXT
    values[text] = (1.0 + np.log(np.maximum(values[text], 1e-9))) * idf[text]
    rows = rows.astype(np.int64)
    full = np.sqrt(np.bincount(rows[text], weights=values[text] ** 2, minlength=n_rows))
    values[text & (df < config.min_df)] = 0.0
    kept = np.sqrt(np.bincount(rows[text], weights=values[text] ** 2, minlength=n_rows))
    ratio = np.divide(kept, full, out=np.zeros(n_rows), where=full > 0).astype(np.float32)
    entity = blocks == ENTITY
    values[entity] = idf[entity]
    scale = np.array([1.0, config.tag_weight, config.entity_weight, config.section_weight])
    key = rows * 4 + blocks
    norms = np.sqrt(np.bincount(key, weights=values**2))
    divisor = norms[key]
    divisor[divisor == 0] = 1.0
    return (values / divisor * scale[blocks]).astype(np.float32), ratio


def weigh(
    config: Config, counts: sp.csr_matrix, blocks: np.ndarray, df: np.ndarray, n_docs: int
) -> tuple[sp.csr_matrix, np.ndarray]:
    """`weigh_values` for a whole count matrix (rows: documents, columns: features)."""
    columns = counts.indices
    n_rows = counts.shape[0]
    rows = np.repeat(np.arange(n_rows), np.diff(counts.indptr))
    values, ratio = weigh_values(
        config, counts.data, blocks[columns], df[columns], rows, n_docs, n_rows
    )
    weighted = sp.csr_matrix((values, counts.indices, counts.indptr), shape=counts.shape)
    weighted.eliminate_zeros()
    return weighted, ratio
