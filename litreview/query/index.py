"""The search index: word postings, positions and TF-IDF weights of paper text.

Built once per set of papers (:class:`SearchIndex`), extended with
:meth:`SearchIndex.add`. Only titles and abstracts are indexed; every other
field (decisions, tags, notes, organizations, links, counts) is read from the
DataFrame at query time.

Layout, for ``n`` papers and a vocabulary of ``V`` folded words (sorted, so a
prefix is one contiguous block of term ids found with ``np.searchsorted``):

- ``stream``: every paper's title words, END, abstract words, END, as int32
  term ids (phrase checks look up the next words; :meth:`add` never
  re-tokenizes);
- ``positions``: the stream positions grouped by term, with the title or
  abstract ("segment") each is in (where phrases start);
- ``weights``: CSC matrix papers x terms, TF-IDF of ``title_weight * title
  counts + abstract counts`` (columns are postings: matches and relevance);
- ``title``: CSC matrix of title counts (``title:`` queries);
- ``features``: CSR of the weights without stop words, rows L2-normalized
  (similarity and screening priority); derived on first use, so a search never
  pays for it (nor for the stop-word list, which loads scikit-learn).
"""

from __future__ import annotations

import operator
import threading
from collections.abc import Iterable

import numpy as np
import pandas as pd
import scipy.sparse as sp

from litreview._text import END, TITLE_WEIGHT, fold, is_feature_term, words_of_many

_FEATURES_LOCK = threading.Lock()

SEP = -1
CHUNK = 2000  # papers tokenized per batch
ALIGN_MEMO = 4  # row alignments remembered per index
EXPANSION_WEIGHT = 0.5  # relevance of a longer word found by prefix, relative to the word itself


class _Vocabulary(dict[str, int]):
    """word -> id in order of first appearance; END (the end of a text) is SEP."""

    def __missing__(self, word: str) -> int:
        new_id = self[word] = len(self) - 1
        return new_id


class SearchIndex:
    """Word index of the titles and abstracts of ``df`` (keyed by ``paper_id``).

    >>> import litreview
    >>> papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> index = litreview.SearchIndex(papers)
    >>> len(index), len(litreview.search(papers, "vision transformer", index=index)) > 0
    (36, True)

    Paper text is taken as fixed per ``paper_id`` (the id is a hash of the
    title): :meth:`add` indexes papers with new ids and leaves known ids alone.
    """

    def __init__(self, df: pd.DataFrame, *, title_weight: int = TITLE_WEIGHT) -> None:
        self.title_weight = title_weight
        self._vocab = _Vocabulary({END: SEP})
        self.stream = np.zeros(0, dtype=np.int32)  # term ids (sorted vocabulary) in text order
        self._order = np.zeros(0, dtype=np.int32)  # sorted term id -> id in self._vocab
        self._segments = np.zeros(0, dtype=np.int64)  # start of title i at 2i, abstract at 2i+1
        self.ids = np.zeros(0, dtype=object)
        self._folded: dict[str, tuple[list[object], np.ndarray]] = {}
        self._aligned: dict[tuple[int, int], np.ndarray] = {}
        self._append(df)
        self._derive()

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        return f"<SearchIndex: {len(self)} papers, {len(self.terms)} words>"

    # ------------------------------------------------------------ building

    def add(self, df: pd.DataFrame) -> int:
        """Index the papers of ``df`` whose ``paper_id`` is not indexed yet;
        return how many were added. Only the new papers are tokenized."""
        ids = df["paper_id"].to_numpy(dtype=object)
        if len(ids) == len(self.ids) and np.array_equal(ids, self.ids):
            return 0  # the usual call: the same papers again (about 1 ms at 100k)
        new = df[~df["paper_id"].isin(self.ids)]
        new = new[~new["paper_id"].duplicated()]
        if len(new):
            self._append(new)
            self._derive()
            self._aligned.clear()
        return len(new)

    def _append(self, df: pd.DataFrame) -> None:
        """Tokenize ``df`` (titles and abstracts) onto the end of the stream."""
        lookup = self._vocab.__getitem__
        lengths = []  # words per text + 1 (its END): title, abstract, title, ...
        old = self.stream
        parts = [np.where(old == SEP, SEP, self._order[old])]  # back to first-appearance ids
        texts = np.empty(2 * len(df), dtype=object)
        texts[0::2] = df["title"].fillna("").tolist()
        texts[1::2] = df["abstract"].fillna("").tolist()
        for start in range(0, len(texts), 2 * CHUNK):
            tokens = words_of_many(texts[start : start + 2 * CHUNK].tolist())
            ids = np.fromiter(map(lookup, tokens), dtype=np.int32, count=len(tokens))
            lengths.append(np.diff(np.flatnonzero(ids == SEP), prepend=-1))
            parts.append(ids)
        seg_len = np.concatenate(lengths) if lengths else np.zeros(0, dtype=np.int64)
        seg_start = len(self.stream) + np.cumsum(seg_len) - seg_len
        self._new_stream = np.concatenate(parts)
        self._segments = np.concatenate([self._segments, seg_start])
        self.ids = np.concatenate([self.ids, df["paper_id"].to_numpy(dtype=object)])
        self._row_of: pd.Index | None = None

    def _derive(self) -> None:
        """Recompute the sorted vocabulary, positions and matrices from the stream
        (linear-time numpy/scipy work: no text is read again)."""
        n = len(self.ids)
        insertion_terms = np.array([t for t in self._vocab if t != END], dtype=str)
        order = np.argsort(insertion_terms, kind="stable")
        self.terms: np.ndarray = insertion_terms[order]
        v = len(self.terms)
        rank = np.empty(v, dtype=np.int32)
        rank[order] = np.arange(v, dtype=np.int32)
        self._order = order.astype(np.int32)
        real = self._new_stream != SEP
        self.stream = stream = np.full(len(real), SEP, dtype=np.int32)
        stream[real] = rank[self._new_stream[real]]
        del self._new_stream

        seg_len = np.diff(np.append(self._segments, len(stream)))
        # the title/abstract segment of every word: paper * 2 (+ 1 in the abstract)
        seg_of = np.repeat(np.arange(2 * n, dtype=np.int32 if n < 2**30 else np.int64), seg_len)
        # group positions by term with a counting sort (CSR -> CSC), ascending within a
        # term, carrying the segment along as the data; END markers are empty rows
        by_term = sp.csr_matrix(
            (seg_of[real], stream[real], np.concatenate([[0], np.cumsum(real)])),
            shape=(len(stream), v),
        ).tocsc()
        del seg_of, real
        self.positions = by_term.indices
        self.term_ptr = by_term.indptr.astype(np.int64)
        self._pos_segment = by_term.data
        doc_of = by_term.data >> 1
        in_title = 1 - (by_term.data & 1).astype(np.int32)
        del by_term

        term_sorted = np.repeat(np.arange(v, dtype=np.int32), np.diff(self.term_ptr))
        first = np.ones(len(doc_of), dtype=bool)
        first[1:] = (doc_of[1:] != doc_of[:-1]) | (term_sorted[1:] != term_sorted[:-1])
        starts = np.flatnonzero(first)
        title_cum = np.concatenate([[0], np.cumsum(in_title, dtype=np.int64)])
        ends = np.append(starts[1:], len(doc_of))
        n_title = title_cum[ends] - title_cum[starts]
        n_all = ends - starts
        cols = term_sorted[starts]
        rows = doc_of[starts].astype(np.int32)
        indptr = np.searchsorted(cols, np.arange(v + 1))
        shape = (n, v)
        tf = (self.title_weight - 1) * n_title + n_all
        self.weights = _tfidf(sp.csc_matrix((tf.astype(np.float32), rows, indptr), shape=shape))
        keep = n_title > 0
        title_ptr = np.searchsorted(cols[keep], np.arange(v + 1))
        self.title = sp.csc_matrix(
            (n_title[keep].astype(np.float32), rows[keep], title_ptr), shape=shape
        )
        self._feature_cache: tuple[sp.csr_matrix, np.ndarray] | None = None
        self._row_of = None

    @property
    def features(self) -> sp.csr_matrix:
        """Content features of every paper (CSR, papers x :attr:`feature_terms`)."""
        return self._content_features()[0]

    @property
    def feature_terms(self) -> np.ndarray:
        """The words of the :attr:`features` columns (plural forms merged)."""
        return self._content_features()[1]

    def _content_features(self) -> tuple[sp.csr_matrix, np.ndarray]:
        with _FEATURES_LOCK:  # one derivation at a time: a caller waits for one under way
            cache = self._feature_cache
            if cache is None:
                weights, terms = self.weights, self.terms
                cache = _features(weights, terms)
                if self.weights is weights:  # not re-derived (papers added) meanwhile
                    self._feature_cache = cache
            return cache

    def warm(self) -> threading.Thread:
        """Derive the content features in a background thread, so that the first
        :func:`~litreview.query.rank.similar` or priority does not wait for them (the
        app calls it when it opens). Returns the thread.

        >>> import litreview
        >>> index = SearchIndex(litreview.read_listing(litreview.SAMPLE_LISTING))
        >>> index.warm().join(); index.features.shape[0]
        36
        """
        thread = threading.Thread(
            target=self._content_features, name="litreview-features", daemon=True
        )
        thread.start()
        return thread

    # ------------------------------------------------------------ lookups

    def term_range(self, prefix: str, *, exact: bool = False) -> tuple[int, int]:
        """[lo, hi) of the term ids equal to (exact) or starting with ``prefix``."""
        lo = int(np.searchsorted(self.terms, prefix, side="left"))
        if exact:
            return (lo, lo + 1) if lo < len(self.terms) and self.terms[lo] == prefix else (lo, lo)
        hi = int(np.searchsorted(self.terms, prefix + "\U0010ffff", side="left"))
        return lo, hi

    def docs(self, lo: int, hi: int, field: str | None) -> np.ndarray:
        """Paper positions (with repeats) having a term in [lo, hi) in ``field``."""
        if field == "abstract":
            return self.phrase_docs([(lo, hi)], "abstract")
        m = self.title if field == "title" else self.weights
        return m.indices[m.indptr[lo] : m.indptr[hi]]

    def phrase_docs(self, ranges: list[tuple[int, int]], field: str | None) -> np.ndarray:
        """Papers (with repeats) where words of the term ranges follow each other
        in one title or abstract (``field``: only there). Every title and abstract
        ends with an END marker in the stream, so no match runs into the next."""
        lo, hi = ranges[0]
        a, b = self.term_ptr[lo], self.term_ptr[hi]
        start, segment = self.positions[a:b], self._pos_segment[a:b]
        for k, (lo, hi) in enumerate(ranges[1:], 1):
            following = self.stream[start + k]  # in bounds: the stream ends with END
            keep = (following >= lo) & (following < hi)
            start, segment = start[keep], segment[keep]
        if field == "title":
            segment = segment[segment % 2 == 0]
        elif field == "abstract":
            segment = segment[segment % 2 == 1]
        return segment // 2

    def scores(self, ranges: Iterable[tuple[int, int]]) -> np.ndarray:
        """Relevance of every paper: for each query word (a range of terms) the best
        TF-IDF weight among its terms, summed over the words. The base form (the
        first term when it is a prefix of all the others) counts fully, longer
        words found by prefix count half, so "efficient" outranks "efficientnet"."""
        total = np.zeros(len(self), dtype=np.float64)
        w = self.weights
        for lo, hi in ranges:
            a, b = w.indptr[lo], w.indptr[hi]
            if hi - lo <= 1:
                total += np.bincount(w.indices[a:b], weights=w.data[a:b], minlength=len(self))
                continue
            values = w.data[a:b].astype(np.float64) * EXPANSION_WEIGHT
            if str(self.terms[hi - 1]).startswith(str(self.terms[lo])):
                values[: w.indptr[lo + 1] - a] /= EXPANSION_WEIGHT
            best = np.zeros(len(self), dtype=np.float64)
            np.maximum.at(best, w.indices[a:b], values)
            total += best
        return total

    def folded(self, column: str, values: list[object]) -> np.ndarray:
        """Folded text of a column's cells (lists of names joined; "" when missing),
        remembered per column while the cells are the very same objects, so repeated
        ``org:``/``note:`` queries do not fold 100k strings again."""
        cached = self._folded.get(column)
        same = cached is not None and len(cached[0]) == len(values)
        if cached is not None and same and all(map(operator.is_, cached[0], values)):
            return cached[1]
        out = np.array([_fold_cell(v) for v in values], dtype=object)
        self._folded[column] = (values, out)
        return out

    def covers(self, ids: list[str] | np.ndarray) -> bool:
        """Whether every paper id in ``ids`` is indexed (and the indexed ids are unique)."""
        if self._row_of is None:
            self._row_of = pd.Index(self.ids)
        return bool(self._row_of.is_unique and (self._row_of.get_indexer(pd.Index(ids)) >= 0).all())

    def align(self, df: pd.DataFrame) -> np.ndarray | None:
        """Index position of each row of ``df`` (None when the rows are the indexed
        papers in the same order). Papers not indexed yet are added first; the
        last few alignments are remembered (keyed by a hash of the ids)."""
        ids = df["paper_id"].to_numpy(dtype=object)
        if len(ids) == len(self.ids) and np.array_equal(ids, self.ids):
            return None
        key = (len(ids), hash(tuple(ids)))
        if key in self._aligned:
            return self._aligned[key]
        if self._row_of is None:
            self._row_of = pd.Index(self.ids)
        where = self._row_of.get_indexer(pd.Index(ids))
        if (where < 0).any():
            self.add(df)
            self._row_of = pd.Index(self.ids)
            where = self._row_of.get_indexer(pd.Index(ids))
        if len(self._aligned) >= ALIGN_MEMO:
            self._aligned.pop(next(iter(self._aligned)))
        self._aligned[key] = where
        return where


def _features(weights: sp.csc_matrix, terms: np.ndarray) -> tuple[sp.csr_matrix, np.ndarray]:
    """Content features: the weights of non-stop words with plural forms merged
    ("tokens" and "token" are one feature), rows L2-normalized, as CSR."""
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


def _fold_cell(value: object) -> str:
    if isinstance(value, str):
        return fold(value)
    if isinstance(value, list | tuple | np.ndarray):
        return fold(" ; ".join(str(v) for v in value))
    return ""


def _tfidf(counts: sp.csc_matrix) -> sp.csc_matrix:
    """scikit-learn's TfidfTransformer(sublinear_tf=True, smooth_idf=True, norm="l2"),
    computed in place on CSC so columns stay postings."""
    n = counts.shape[0]
    df = np.diff(counts.indptr)
    idf = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)
    data = (1 + np.log(counts.data)) * np.repeat(idf, df)
    norms = np.sqrt(np.bincount(counts.indices, weights=data.astype(np.float64) ** 2, minlength=n))
    norms[norms == 0] = 1
    data = data / norms[counts.indices]
    return sp.csc_matrix(
        (data.astype(np.float32), counts.indices, counts.indptr), shape=counts.shape
    )
