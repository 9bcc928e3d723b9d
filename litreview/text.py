"""The text features shared by search, similarity, screening priority and charts.

One place decides how a paper becomes words, so "top terms" in a chart and
"relevance" in a search agree::

    >>> docs = paper_documents(read_listing(SAMPLE_LISTING))  # doctest: +SKIP
    >>> vectorizer = make_vectorizer().fit(docs)               # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

#: Words too common in papers to tell them apart (on top of scikit-learn's English list).
PAPER_STOP_WORDS = frozenset(
    {
        "paper", "propose", "proposed", "approach", "method", "methods", "results", "show",
        "based", "using", "novel", "new", "model", "models", "work", "present", "introduce",
        "demonstrate", "achieve", "achieves", "performance", "state", "art", "task", "tasks",
        "existing", "code", "available", "github", "https", "com", "http", "www", "et", "al",
    }
)
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | PAPER_STOP_WORDS
TOKEN_PATTERN = r"(?u)\b[^\W\d_][\w\-]*\w\b|\b[^\W\d_]{2,}\b"
TITLE_WEIGHT = 2


def paper_documents(df: pd.DataFrame, *, title_weight: int = TITLE_WEIGHT) -> list[str]:
    """One text per paper: the title repeated ``title_weight`` times, then the abstract."""
    titles = df["title"].fillna("").astype(str)
    abstracts = df["abstract"].fillna("").astype(str)
    return [" ".join([t] * title_weight + [a]) for t, a in zip(titles, abstracts, strict=True)]


def make_vectorizer(
    *, ngram_range: tuple[int, int] = (1, 2), min_df: int | float = 1, max_features: int | None = None
) -> TfidfVectorizer:
    """The TF-IDF vectorizer litreview uses everywhere: lower-case, accents stripped,
    English and paper boilerplate stop words removed, words and two-word phrases."""
    return TfidfVectorizer(
        lowercase=True,
        strip_accents="unicode",
        stop_words=sorted(STOP_WORDS),
        token_pattern=TOKEN_PATTERN,
        ngram_range=ngram_range,
        min_df=min_df,
        max_features=max_features,
        sublinear_tf=True,
        dtype=np.float32,
    )
