"""Content ranking: "more like this" and screening priority.

Both use the index's feature matrix: TF-IDF of title (weighted up) and
abstract words without stop words, rows L2-normalized.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from litreview.query.index import SearchIndex

if TYPE_CHECKING:  # scikit-learn is imported when a model is first fitted: it is slow to import
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression

SHARED_TERMS = 5


def _index(df: pd.DataFrame, index: SearchIndex | None) -> SearchIndex:
    if index is not None:
        return index
    from litreview.query.filters import index_for

    return index_for(df)


def _rows_in_index(df: pd.DataFrame, index: SearchIndex) -> np.ndarray:
    where = index.align(df)
    return np.arange(len(df)) if where is None else where


def similar(
    df: pd.DataFrame, paper_id: str, n: int = 10, *, index: SearchIndex | None = None
) -> pd.DataFrame:
    """The ``n`` papers of ``df`` closest in content to ``paper_id`` (cosine of
    TF-IDF vectors), with ``score`` and ``shared_terms`` (the words that weigh most
    in both). The paper itself is left out.

    >>> import litreview
    >>> papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> vit = papers.loc[papers.title.str.startswith("FMViT"), "paper_id"].item()
    >>> litreview.similar(papers, vit, n=1)["title"].item()[:9]
    'DuoFormer'

    """
    index = _index(df, index)
    rows = _rows_in_index(df, index)
    matches = np.flatnonzero(df["paper_id"].to_numpy(dtype=object) == paper_id)
    if not len(matches):
        raise KeyError(f"no paper with paper_id {paper_id!r} in this DataFrame")
    me = int(rows[matches[0]])
    features = index.features
    query = features[me]
    sims = np.asarray(features @ query.T.toarray()).ravel()[rows]
    sims[matches] = -np.inf
    k = min(n, len(df) - len(matches))
    if k <= 0:
        return df.iloc[[]].assign(score=[], shared_terms=[])
    top = np.argpartition(-sims, k - 1)[:k] if k < len(sims) else np.arange(len(sims))
    top = top[np.argsort(-sims[top], kind="stable")]
    out = df.iloc[top].copy()
    out["score"] = sims[top]
    out["shared_terms"] = [_shared_terms(index, query, features[int(rows[t])]) for t in top]
    return out


def _shared_terms(index: SearchIndex, a: sp.csr_matrix, b: sp.csr_matrix) -> list[str]:
    both = a.multiply(b).tocsr()
    if both.nnz == 0:
        return []
    best = np.argsort(-both.data, kind="stable")[:SHARED_TERMS]
    return [str(index.feature_terms[both.indices[i]]) for i in best]


@dataclass(frozen=True)
class PriorityExplanation:
    """Why unscreened papers are ranked as they are.

    ``method`` is "model" (a logistic regression on the decisions so far) or
    "relevance" (too few decisions: relevance to the query); ``positive`` and
    ``negative`` are DataFrames of ``term``/``weight`` (empty for "relevance").
    """

    method: str
    n_include: int
    n_exclude: int
    message: str
    positive: pd.DataFrame
    negative: pd.DataFrame


def _labels(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(include, exclude, unscreened) boolean masks over the rows of ``df``."""
    if "decision" not in df:
        false = np.zeros(len(df), dtype=bool)
        return false, false, ~false
    decision = df["decision"].astype("string").fillna("unscreened").to_numpy(dtype=object)
    return decision == "include", decision == "exclude", decision == "unscreened"


def _fit(
    df: pd.DataFrame, index: SearchIndex, min_include: int, min_exclude: int
) -> tuple[LogisticRegression | None, str, int, int]:
    include, exclude, _ = _labels(df)
    n_inc, n_exc = int(include.sum()), int(exclude.sum())
    if n_inc < min_include or n_exc < min_exclude:
        msg = (
            f"ranked by relevance to the query: {n_inc} include and {n_exc} exclude "
            f"decisions so far, the model needs at least {min_include} and {min_exclude}"
        )
        return None, msg, n_inc, n_exc
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    rows = _rows_in_index(df, index)
    labeled = np.flatnonzero(include | exclude)
    x = index.features[rows[labeled]]
    y = include[labeled].astype(int)
    # liblinear's dual solver is the fast one while decisions are fewer than words
    # (the usual case: hundreds of decisions, tens of thousands of words)
    model = LogisticRegression(
        C=1.0,
        class_weight="balanced",
        solver="liblinear",
        dual=x.shape[0] < x.shape[1],
        max_iter=1000,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(x, y)
    msg = f"ranked by a logistic regression on {n_inc} include and {n_exc} exclude decisions"
    return model, msg, n_inc, n_exc


def prioritize(
    df: pd.DataFrame,
    *,
    query: str = "",
    min_include: int = 2,
    min_exclude: int = 2,
    index: SearchIndex | None = None,
) -> pd.DataFrame:
    """The unscreened papers of ``df``, most likely to be included first.

    Adds ``priority`` (probability of inclusion from a logistic regression on
    the include/exclude decisions so far) and ``priority_method`` ("model").
    With fewer than ``min_include`` includes or ``min_exclude`` excludes it
    ranks by relevance to ``query`` instead and says so: ``priority_method`` is
    "relevance" (see :func:`explain_priority` for the details and the terms).
    A DataFrame without a ``decision`` column counts as all unscreened.

    >>> import litreview
    >>> papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> litreview.prioritize(papers, query="efficient")["priority_method"].iloc[0]
    'relevance'
    """
    index = _index(df, index)
    model, _, _, _ = _fit(df, index, min_include, min_exclude)
    todo = np.flatnonzero(_labels(df)[2])
    if model is None:
        from litreview.query.filters import match_scores

        _, score = match_scores(df, query, index=index)
        priority = score[todo]
        top = priority.max() if len(priority) else 0.0
        priority = priority / top if top > 0 else priority
        method = "relevance"
    else:
        rows = _rows_in_index(df, index)
        margin = index.features @ model.coef_.ravel().astype(np.float32) + model.intercept_[0]
        priority = 1 / (1 + np.exp(-margin[rows[todo]].astype(np.float64)))
        method = "model"
    order = np.argsort(-priority, kind="stable")
    out = df.iloc[todo[order]].copy()
    out["priority"] = priority[order]
    out["priority_method"] = method
    return out


def explain_priority(
    df: pd.DataFrame,
    *,
    n_terms: int = 10,
    min_include: int = 2,
    min_exclude: int = 2,
    index: SearchIndex | None = None,
) -> PriorityExplanation:
    """The method behind :func:`prioritize` and the words that push papers up
    (``positive``) or down (``negative``) the most.

    >>> import litreview
    >>> papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> explain_priority(papers).method
    'relevance'
    """
    index = _index(df, index)
    model, msg, n_inc, n_exc = _fit(df, index, min_include, min_exclude)
    empty = pd.DataFrame({"term": pd.Series([], dtype=str), "weight": pd.Series([], dtype=float)})
    if model is None:
        return PriorityExplanation("relevance", n_inc, n_exc, msg, empty, empty.copy())
    coef = model.coef_.ravel()
    order = np.argsort(coef, kind="stable")
    pos = [i for i in order[::-1][:n_terms] if coef[i] > 0]
    neg = [i for i in order[:n_terms] if coef[i] < 0]

    def table(ix: list[int]) -> pd.DataFrame:
        return pd.DataFrame(
            {"term": [str(index.feature_terms[i]) for i in ix], "weight": coef[ix].astype(float)}
        )

    return PriorityExplanation("model", n_inc, n_exc, msg, table(pos), table(neg))
