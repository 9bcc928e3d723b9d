"""Charts of words: the most characteristic terms and how often terms appear over time.

Both use the text features of the search index (:mod:`litreview._text`), so a term
seen here is a term the search knows.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from scipy import sparse

from litreview._text import make_vectorizer, paper_documents
from litreview.charts._style import (
    COLORWAY,
    FREQ_NAMES,
    HOVER_DATE,
    add_note,
    check_freq,
    empty_figure,
    new_figure,
    no_dates,
    periods,
    require,
    sample_note,
    shorten,
    split_dated,
    undated_note,
)
from litreview.query.language import word_prefixes

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

#: Above this many papers the term charts read a random sample (a 2 s budget at 100k papers).
TERM_SAMPLE = 5_000


def _sample(df: pd.DataFrame, max_papers: int | None, seed: int) -> tuple[pd.DataFrame, str]:
    """``df`` or a seeded random sample of it, and the note to show (empty when whole)."""
    if max_papers is None or len(df) <= max_papers:
        return df, ""
    return df.sample(max_papers, random_state=seed), sample_note(max_papers, len(df), seed)


def term_weights(df: pd.DataFrame, n: int = 25) -> pd.DataFrame:
    """The ``n`` terms with the largest summed TF-IDF weight over titles and abstracts,
    plural forms merged as search merges them (see :class:`FoldedTerms`).

    Columns ``term, weight, papers`` (papers = how many contain the term), best first.

    >>> import litreview
    >>> term_weights(litreview.read_listing(litreview.SAMPLE_LISTING), 3)["term"].iloc[0]
    'transformer'
    """
    table, _, _ = _weights(df, n)
    return table


class FoldedTerms:
    """The vectorizer's words with plural endings merged as search merges them
    (:func:`~litreview.query.language.word_prefixes`: "transformers" and "transformer"
    are one term), then its two-word phrases of those. A term is shown as its most
    frequent spelling ("transformer" when the singular is the commoner one).

    >>> terms = FoldedTerms()
    >>> terms("Vision transformers, transformers")[:3], terms.label("vision transformer")
    (['vision', 'transformer', 'transformer'], 'vision transformers')
    """

    def __init__(self, ngrams: int = 2) -> None:
        self._words = make_vectorizer(ngram_range=(1, 1)).build_analyzer()
        self._ngrams = ngrams
        self._keys: dict[str, str] = {}
        self._seen: dict[str, Counter[str]] = {}

    def _key(self, word: str) -> str:
        key = self._keys.get(word)
        if key is None:
            key = self._keys[word] = word_prefixes(word)[0] if word.isalpha() else word
        return key

    def __call__(self, doc: str) -> list[str]:
        keys = []
        for word in self._words(doc):
            key = self._key(word)
            self._seen.setdefault(key, Counter())[word] += 1
            keys.append(key)
        out = list(keys)
        for n in range(2, self._ngrams + 1):
            out += [" ".join(keys[i : i + n]) for i in range(len(keys) - n + 1)]
        return out

    def label(self, term: str) -> str:
        """The most frequent spelling of each word of ``term``."""
        words = []
        for key in term.split():
            seen = self._seen.get(key)
            words.append(max(sorted(seen), key=seen.__getitem__) if seen else key)
        return " ".join(words)


def folded_vectorizer(ngrams: int = 2) -> tuple[TfidfVectorizer, FoldedTerms]:
    """litreview's TF-IDF vectorizer over :class:`FoldedTerms` (and the terms' spellings)."""
    analyzer = FoldedTerms(ngrams)
    vectorizer = make_vectorizer()
    vectorizer.set_params(
        analyzer=analyzer, stop_words=None, token_pattern=None, ngram_range=(1, 1)
    )
    return vectorizer, analyzer


def _weights(df: pd.DataFrame, n: int) -> tuple[pd.DataFrame, sparse.csc_matrix, np.ndarray]:
    vectorizer, analyzer = folded_vectorizer()
    try:
        matrix = sparse.csc_matrix(vectorizer.fit_transform(paper_documents(df)))
    except ValueError:  # every word is a stop word: no vocabulary
        empty = pd.DataFrame({"term": [], "weight": [], "papers": []})
        return empty, sparse.csc_matrix((len(df), 0)), np.array([], dtype=int)
    keys = vectorizer.get_feature_names_out()
    names = np.array([analyzer.label(k) for k in keys], dtype=object)
    weight = np.asarray(matrix.sum(axis=0)).ravel()
    papers = np.diff(matrix.indptr)
    order = np.lexsort((keys, -weight))[:n]
    table = pd.DataFrame({"term": names[order], "weight": weight[order], "papers": papers[order]})
    return table.reset_index(drop=True), matrix, order


def top_terms(
    df: pd.DataFrame,
    n: int = 25,
    *,
    title: str | None = None,
    color: str = COLORWAY[0],
    max_papers: int | None = TERM_SAMPLE,
    seed: int = 0,
) -> go.Figure:
    """The ``n`` most characteristic words and two-word phrases, as horizontal bars.

    Terms are ranked by their summed TF-IDF weight over titles and abstracts (stop
    words removed, the same features as the search index). Above ``max_papers`` a
    random sample with ``seed`` is read, and the figure says so.

    >>> import litreview
    >>> fig = top_terms(litreview.read_listing(litreview.SAMPLE_LISTING), n=10)
    >>> fig.data[0].y[0]
    'transformer'
    """
    title = title or f"Top {n} terms in titles and abstracts"
    if len(df) == 0:
        return empty_figure(title)
    require(df, "title", "abstract", chart="top_terms")
    sample, note = _sample(df, max_papers, seed)
    table, matrix, order = _weights(sample, n)
    if table.empty:
        return empty_figure(title, "No papers with words to count (only stop words)")
    titles = sample["title"].fillna("(untitled)").astype(str).to_numpy()
    hover = []
    for term, count, col in zip(table["term"], table["papers"], order, strict=True):
        start, end = matrix.indptr[col], matrix.indptr[col + 1]
        rows = matrix.indices[start:end][np.argsort(-matrix.data[start:end], kind="stable")[:3]]
        examples = "<br>".join(shorten(titles[r]) for r in rows)
        share = 100 * count / len(sample)
        hover.append(f"<b>{term}</b>: in {count:,} papers ({share:.0f}%)<br>{examples}")
    fig = new_figure(title)
    fig.add_bar(
        x=table["weight"].to_numpy(),
        y=table["term"].tolist(),
        orientation="h",
        marker_color=color,
        customdata=np.array(hover, dtype=object),
        hovertemplate="%{customdata}<extra></extra>",
        name="terms",
    )
    # dtick=1: every bar keeps its label, however short the figure is drawn
    fig.update_yaxes(autorange="reversed", title_text="", type="category", dtick=1)
    fig.update_xaxes(title_text="Weight (summed TF-IDF over papers)")
    fig.update_layout(height=max(400, 22 * len(table) + 140), showlegend=False)
    if note:
        add_note(fig, note)
    return fig


def _normalize_terms(terms: list[str]) -> tuple[list[str], int]:
    """Each term as the vectorizer sees it (lower-case, tokens joined), and the longest n-gram."""
    analyzer = make_vectorizer(ngram_range=(1, 1)).build_analyzer()
    normalized = []
    for term in terms:
        tokens = analyzer(term)
        if not tokens:
            raise ValueError(
                f"term {term!r} has no searchable word (stop words and numbers are not indexed)"
            )
        normalized.append(" ".join(tokens))
    return list(dict.fromkeys(normalized)), max(len(t.split()) for t in normalized)


def term_trends(
    df: pd.DataFrame,
    terms: list[str] | None = None,
    freq: str = "Y",
    *,
    n: int = 6,
    title: str | None = None,
    max_papers: int | None = TERM_SAMPLE,
    seed: int = 0,
) -> go.Figure:
    """Share of papers per period whose title or abstract contains each term.

    ``terms`` defaults to the ``n`` top terms (:func:`top_terms`). Terms are matched
    as the search index sees them (case, accents and stop words do not matter).

    >>> import litreview
    >>> papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> fig = term_trends(papers, ["transformer", "diffusion"], freq="Y")
    >>> [trace.name for trace in fig.data]
    ['transformer', 'diffusion']
    """
    freq = check_freq(freq)
    title = title or f"Share of papers mentioning a term, per {FREQ_NAMES[freq]}"
    if len(df) == 0:
        return empty_figure(title)
    require(df, "title", "abstract", "published", chart="term_trends")
    dated, undated = split_dated(df)
    if len(dated) == 0:
        return empty_figure(title, no_dates(undated))
    sample, note = _sample(dated, max_papers, seed)
    if terms is None:  # the top terms, and where they occur, from one pass over the text
        table, matrix, order = _weights(sample, n)
        if table.empty:
            return empty_figure(title, "No papers with words to count (only stop words)")
        vocabulary = table["term"].tolist()
        present = sparse.csc_matrix(matrix[:, order] > 0)
    else:
        vocabulary, longest = _normalize_terms(list(terms))
        vectorizer = make_vectorizer(ngram_range=(1, max(longest, 1)))
        vectorizer.set_params(vocabulary=vocabulary, use_idf=False, norm=None)
        present = sparse.csc_matrix(vectorizer.fit_transform(paper_documents(sample)) > 0)
    period = periods(sample["published"], freq).to_numpy()
    fig = new_figure(title)
    totals = pd.Series(1, index=period).groupby(level=0).sum()
    for i, term in enumerate(vocabulary):
        hits = np.zeros(len(sample), dtype=np.int64)
        hits[present[:, i].indices] = 1
        counts = pd.Series(hits, index=period).groupby(level=0).sum().reindex(totals.index)
        share = 100.0 * counts / totals
        text = [f"{int(k):,} of {int(t):,} papers" for k, t in zip(counts, totals, strict=True)]
        fig.add_scatter(
            x=totals.index,
            y=share.to_numpy(),
            mode="lines+markers",
            name=term,
            line_color=COLORWAY[i % len(COLORWAY)],
            customdata=np.array(text, dtype=object),
            hovertemplate=(
                f"<b>{term}</b> · %{{x|{HOVER_DATE[freq]}}}: %{{y:.1f}}%<br>"
                "%{customdata}<extra></extra>"
            ),
        )
    fig.update_xaxes(title_text=FREQ_NAMES[freq].capitalize())
    fig.update_yaxes(
        title_text="Papers mentioning the term (%)", ticksuffix="%", rangemode="tozero"
    )
    fig.update_layout(legend_title_text="term")
    notes = [note] if note else []
    if undated:
        notes.append(undated_note(undated))
    if notes:
        add_note(fig, "; ".join(notes))
    return fig
