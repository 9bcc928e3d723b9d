"""Content features of the search index: what similarity and screening priority compare.

The TF-IDF weights of non-stop words, with plural forms merged ("tokens" and "token"
are one feature), rows L2-normalized; and the folded text of other columns.

    >>> import numpy as np, scipy.sparse as sp
    >>> w = sp.csc_matrix(np.array([[1.0, 1.0, 0.0]], dtype=np.float32))
    >>> matrix, names = content_features(w, np.array(["token", "tokens", "the"], dtype=object))
    >>> names.tolist(), matrix.toarray().round(3).tolist()
    (['token'], [[1.0]])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from litreview._text import fold, is_feature_term

if TYPE_CHECKING:  # SciPy is imported on first use: a search needs none of it
    import scipy.sparse as sp


def content_features(weights: sp.csc_matrix, terms: np.ndarray) -> tuple[sp.csr_matrix, np.ndarray]:
    """Content features: the weights of non-stop words with plural forms merged
    ("tokens" and "token" are one feature), rows L2-normalized, as CSR."""
    import scipy.sparse as sp

    from litreview.query.language import word_prefixes

    keys = [word_prefixes(t)[0] if is_feature_term(t) else "" for t in terms]
    names, group = np.unique(np.array(keys, dtype=str), return_inverse=True)
    keep = names != ""
    column = np.cumsum(keep) - 1  # feature column of each name
    term_col = column[group]
    term_ok = keep[group]
    merge = sp.csr_matrix(
        (
            np.ones(int(term_ok.sum()), dtype=np.float32),
            (np.flatnonzero(term_ok), term_col[term_ok]),
        ),
        shape=(len(terms), int(keep.sum())),
    )
    features = (weights.tocsr() @ merge).tocsr()
    norms = np.sqrt(np.asarray(features.multiply(features).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    features = sp.csr_matrix(sp.diags((1 / norms).astype(np.float32)) @ features)
    features.eliminate_zeros()
    return features, names[keep]


def fold_cell(value: object) -> str:
    """The folded text of a cell (lists of names joined; \"\" when missing)."""
    if isinstance(value, str):
        return fold(value)
    if isinstance(value, list | tuple | np.ndarray):
        return fold(" ; ".join(str(v) for v in value))
    return ""
