"""The search index: word postings, positions and TF-IDF weights of paper text.

Built once per set of papers (:class:`SearchIndex`), extended with
:meth:`SearchIndex.add`, saved beside a review and memory-mapped back by
:mod:`litreview.query.index_file`. Only titles and abstracts are indexed; every
other field (decisions, tags, notes, organizations, links, counts) is read from
the DataFrame at query time.

Term ids are ranks in ``terms``, the sorted vocabulary of every indexed paper, so a
prefix is one contiguous block of ids (``np.searchsorted``). The papers live in two
:class:`~litreview.query.segment.Segment` blocks: the *base* (over its own sorted
vocabulary) and the *delta*, the papers added since, re-derived from their own word
stream on each :meth:`~SearchIndex.add` (so adding 100 papers costs what 100 papers
cost) and folded into the base when it grows past :func:`compact_at` papers.
Relevance weights (scikit-learn's TF-IDF: sublinear tf, smooth idf, L2 rows, of
``title_weight * title counts + abstract counts``) are computed per query from the
stored counts, with the idf and the row norms re-derived lazily after papers are
added; ``features`` (similarity and screening priority) is derived on first use.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from litreview._text import TITLE_WEIGHT
from litreview.query.features import content_features
from litreview.query.index_rows import IndexRows, SameObjects
from litreview.query.segment import SEP, Segment, derive
from litreview.query.tokenize import Vocabulary, texts_of, tokenize_all

if TYPE_CHECKING:  # SciPy is imported on first use of the weights: a search needs none of it
    import scipy.sparse as sp

_FEATURES_LOCK = threading.Lock()

EXPANSION_WEIGHT = 0.5  # relevance of a longer word found by prefix, relative to the word itself
#: Counts how many texts were tokenized in this process (tests and benchmarks read it).
TOKENIZED = {"papers": 0}


def compact_at(n_base: int) -> int:
    """Papers in the delta beyond which it is folded into the base (linear work)."""
    return max(2000, min(n_base // 16, 25_000))


class SearchIndex(IndexRows):
    """Word index of the titles and abstracts of ``df`` (keyed by ``paper_id``).

    >>> import litreview
    >>> papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> index = litreview.SearchIndex(papers)
    >>> len(index), len(litreview.search(papers, "vision transformer", index=index)) > 0
    (36, True)

    Paper text is taken as fixed per ``paper_id`` (the id is a hash of the title):
    :meth:`add` indexes papers with new ids and leaves known ids alone.
    """

    def __init__(self, df: pd.DataFrame, *, title_weight: int = TITLE_WEIGHT) -> None:
        self.title_weight = title_weight
        ids = df["paper_id"].to_numpy(dtype=object)
        stream, lengths, words = tokenize_all(*texts_of(df))  # the words' ids are ranked next
        TOKENIZED["papers"] += len(ids)
        order = sorted(range(len(words)), key=words.__getitem__)
        rank = np.full(len(words) + 1, SEP, dtype=np.int32)  # SEP (-1) maps to SEP
        rank[order] = np.arange(len(words), dtype=np.int32)
        terms = np.empty(len(words), dtype=object)
        terms[:] = [words[i] for i in order]
        ranked = rank[stream]  # one pass, one array (the stream is the index's largest)
        del stream
        base = derive(ranked, np.cumsum(lengths) - lengths, len(terms), title_weight)
        self._set_base(base, terms, ids)

    def _set_base(self, base: Segment, terms: np.ndarray, ids: np.ndarray) -> None:
        self._base, self._base_terms, self.ids = base, terms, ids
        self.base_version = getattr(self, "base_version", 0) + 1  # a new base to save
        self.terms: np.ndarray = terms
        self._delta: Segment | None = None
        self._delta_vocab = Vocabulary()
        self._delta_words = np.zeros(0, dtype=np.int32)  # delta stream in delta word ids
        self._delta_lengths = np.zeros(0, dtype=np.int64)
        self._extra_rank = np.zeros(0, dtype=np.int64)  # union ranks of words not in the base
        self._base_union = np.arange(len(terms), dtype=np.int64)
        self._changed()

    def _changed(self) -> None:
        self._stats_thread: threading.Thread | None = getattr(self, "_stats_thread", None)
        self._stats: tuple[np.ndarray, np.ndarray] | None = None
        self._weights: sp.csc_matrix | None = None
        self._feature_cache: tuple[sp.csr_matrix, np.ndarray] | None = None
        self._folded: dict[str, tuple[SameObjects, np.ndarray]] = {}
        self._aligned: list[tuple[SameObjects, np.ndarray]] = []
        self._same_ids: SameObjects | None = None
        self._row_of: pd.Index | None = None
        self.version = getattr(self, "version", 0) + 1

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        return f"<SearchIndex: {len(self)} papers, {len(self.terms)} words>"

    @property
    def n_base(self) -> int:
        """Papers in the base segment (the first ones); the rest are in the delta."""
        return self._base.n_docs

    # ------------------------------------------------------------ building

    def add(self, df: pd.DataFrame) -> int:
        """Index the papers of ``df`` whose ``paper_id`` is not indexed yet; return
        how many were added. Only the new papers are tokenized, and only the delta
        (the papers added since the base was built) is re-derived."""
        ids = df["paper_id"].to_numpy(dtype=object)
        if self.is_indexed_order(ids):
            return 0  # the usual call: the same papers again (about 1 ms at 1M)
        n = len(self.ids)
        if len(ids) > n and self.is_indexed_order(ids[:n]):
            df = df.iloc[n:]  # the indexed papers, then others (a review after an import)
            ids = ids[n:]
        # the known ones among the given ids: hash the few given, probe the many indexed
        known = self.ids[pd.Series(self.ids, copy=False).isin(ids).to_numpy()]
        new = df[~df["paper_id"].isin(known)]
        new = new[~new["paper_id"].duplicated()]
        if len(new):
            stream, lengths = self._delta_vocab.tokenize(*texts_of(new))
            TOKENIZED["papers"] += len(new)
            self._extend_delta(stream, lengths, new["paper_id"].to_numpy(dtype=object))
        return len(new)

    def _extend_delta(
        self,
        stream: np.ndarray,
        lengths: np.ndarray,
        ids: np.ndarray,
        norms: np.ndarray | None = None,
    ) -> None:
        """Append papers' word streams to the delta; ``norms``: every paper's row norm
        after the append, saved with a delta file (else re-derived in a thread)."""
        self._join_stats()
        self._delta_words = np.concatenate([self._delta_words, stream])
        self._delta_lengths = np.concatenate([self._delta_lengths, lengths])
        self.ids = np.concatenate([self.ids, ids])
        self._derive_delta()
        if len(self.ids) - self.n_base > compact_at(self.n_base):
            self.compact()
        elif norms is not None and len(norms) == len(self.ids):
            self._stats = (self._idf(), norms)  # derived from exactly these papers when saved
        else:  # the idf and norms, ready by the next query (numpy work, mostly without the GIL)
            self._stats_thread = threading.Thread(
                target=self._derive_stats_for,
                args=(self.version,),
                name="litreview-idf",
                daemon=True,
            )
            self._stats_thread.start()

    def _derive_delta(self) -> None:
        """The union vocabulary and the delta segment over it (work ~ the delta)."""
        base_terms, vb = self._base_terms, len(self._base_terms)
        words = np.empty(len(self._delta_vocab), dtype=object)
        words[:] = self._delta_vocab.words()
        at = np.searchsorted(base_terms, words) if vb else np.zeros(len(words), np.int64)
        known = (at < vb) & (base_terms[np.minimum(at, max(vb - 1, 0))] == words) if vb else at < 0
        extras = np.empty(int((~known).sum()), dtype=object)
        extras[:] = sorted(words[~known])
        insert_at = np.searchsorted(base_terms, extras) if vb else np.zeros(len(extras), np.int64)
        self.terms = np.insert(base_terms, insert_at, extras) if len(extras) else base_terms
        self._extra_rank = insert_at + np.arange(len(extras), dtype=np.int64)
        is_extra = np.zeros(len(self.terms), dtype=bool)
        is_extra[self._extra_rank] = True
        self._base_union = np.flatnonzero(~is_extra)
        to_union = np.searchsorted(self.terms, words).astype(np.int32)
        dw = self._delta_words
        stream = np.where(dw == SEP, SEP, to_union[dw] if len(to_union) else dw).astype(np.int32)
        lengths = self._delta_lengths
        self._delta = derive(
            stream, np.cumsum(lengths) - lengths, len(self.terms), self.title_weight
        )
        self._changed()

    def compact(self) -> None:
        """Fold the delta into the base (linear numpy work over the word streams)."""
        self._join_stats()
        if self._delta is None:
            return
        base, delta, vb = self._base, self._delta, len(self._base_terms)
        mapped = self._base_union[base.stream] if vb else base.stream
        stream = np.concatenate([np.where(base.stream == SEP, SEP, mapped), delta.stream])
        starts = np.concatenate([base.seg_start, delta.seg_start + len(base.stream)])
        merged = derive(stream.astype(np.int32), starts, len(self.terms), self.title_weight)
        self._set_base(merged, self.terms, self.ids)

    # ------------------------------------------------------------ persisted form

    def parts(self) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray] | None]:
        """The base and delta as arrays (what :mod:`~litreview.query.index_file` writes)."""
        base = {**self._base.arrays(), "terms": self._base_terms, "ids": self.ids[: self.n_base]}
        self._join_stats()
        if self._stats is None and self._delta is None:
            self._stats = self._derive_stats()
        if self._delta is None:
            assert self._stats is not None
            base["norms"] = self._stats[1]
            return base, None
        delta = {
            "words": np.array(self._delta_vocab.words(), dtype=object),
            "stream": self._delta_words,
            "lengths": self._delta_lengths,
            "ids": self.ids[self.n_base :],
        }
        if self._stats is not None:  # a fresh process need not re-derive every paper's norm
            delta["norms"] = self._stats[1]
        return base, delta

    @classmethod
    def from_parts(
        cls,
        base: dict[str, np.ndarray],
        delta: dict[str, np.ndarray] | None,
        *,
        title_weight: int = TITLE_WEIGHT,
    ) -> SearchIndex:
        """The index of :meth:`parts` (arrays may be read-only memory maps)."""
        index = cls.__new__(cls)
        index.title_weight = title_weight
        index._set_base(Segment.of(base), base["terms"], base["ids"])
        if "norms" in base:
            index._stats = (index._idf(), base["norms"])
        if delta is not None and len(delta["ids"]):
            index._delta_vocab = Vocabulary(list(delta["words"]))
            norms = delta.get("norms")
            index._extend_delta(delta["stream"], delta["lengths"], delta["ids"], norms)
        return index

    # ------------------------------------------------------------ weights

    def _idf(self) -> np.ndarray:
        df = np.zeros(len(self.terms), dtype=np.int64)
        df[self._base_union] += np.diff(self._base.ptr)
        if self._delta is not None:
            df += np.diff(self._delta.ptr)
        n = len(self)
        return (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)

    def _derive_stats(self) -> tuple[np.ndarray, np.ndarray]:
        idf = self._idf()
        squares = [self._base.norms(idf[self._base_union])]
        if self._delta is not None:
            squares.append(self._delta.norms(idf))
        norms = np.sqrt(np.concatenate(squares))
        norms[norms == 0] = 1
        return idf, norms

    def _derive_stats_for(self, version: int) -> None:
        stats = self._derive_stats()
        if self.version == version and self._stats is None:
            self._stats = stats

    def _join_stats(self) -> None:
        thread = getattr(self, "_stats_thread", None)
        if thread is not None:
            thread.join()
            self._stats_thread = None

    def _stats_now(self) -> tuple[np.ndarray, np.ndarray]:
        self._join_stats()
        if self._stats is None:
            self._stats = self._derive_stats()
        return self._stats

    def _pieces(self, lo: int, hi: int) -> list[tuple[np.ndarray, np.ndarray, int]]:
        """For each segment: (papers, TF-IDF weights, how many are of term ``lo``)."""
        idf, norms = self._stats_now()
        nb, out = self.n_base, []
        blo, bhi = self._base_range(lo, hi)
        for seg, a_lo, a_hi, union, offset in (
            (self._base, blo, bhi, self._base_union[blo:bhi], 0),
            (self._delta, lo, hi, np.arange(lo, hi), nb),
        ):
            if seg is None:
                continue
            docs, weights = seg.weights_in(a_lo, a_hi, idf[union], norms[offset:])
            first = int(seg.ptr[a_lo + 1] - seg.ptr[a_lo]) if a_lo < a_hi and union[0] == lo else 0
            out.append((docs + offset if offset else docs, weights, first))
        return out

    @property
    def weights(self) -> sp.csc_matrix:
        """TF-IDF of every paper (CSC, papers x :attr:`terms`), derived on first use."""
        if self._weights is None:
            import scipy.sparse as sp

            shape = (len(self), len(self.terms))
            base = self._base
            counts = np.zeros(len(self.terms), dtype=np.int64)
            counts[self._base_union] = np.diff(base.ptr)  # base columns spread over the union
            ptr = np.concatenate([[0], np.cumsum(counts)])
            data = self._segment_weights(base, self._base_union, 0)
            weights = sp.csc_matrix((data, base.docs, ptr), shape=shape)
            if self._delta is not None:  # disjoint rows: the sum copies each entry as is
                delta, nb = self._delta, self.n_base
                data = self._segment_weights(delta, np.arange(len(self.terms)), nb)
                weights = weights + sp.csc_matrix((data, delta.docs + nb, delta.ptr), shape=shape)
            self._weights = sp.csc_matrix(weights)
        return self._weights

    def _segment_weights(self, seg: Segment, union: np.ndarray, offset: int) -> np.ndarray:
        idf, norms = self._stats_now()
        return seg.weights_in(0, seg.v, idf[union], norms[offset:])[1]

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
                version = self.version
                cache = content_features(self.weights, self.terms)
                if self.version == version:  # no papers added meanwhile
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

    def _base_range(self, lo: int, hi: int) -> tuple[int, int]:
        """The base segment's term ids of the terms [lo, hi)."""
        if not len(self._extra_rank):
            return lo, hi
        before = np.searchsorted(self._extra_rank, [lo, hi])
        return lo - int(before[0]), hi - int(before[1])

    def docs(self, lo: int, hi: int, field: str | None) -> np.ndarray:
        """Paper positions (with repeats) having a term in [lo, hi) in ``field``."""
        if field == "abstract":
            return self.phrase_docs([(lo, hi)], "abstract")
        title = field == "title"
        parts = [self._base.docs_in(*self._base_range(lo, hi), title=title)]
        if self._delta is not None:
            parts.append(self._delta.docs_in(lo, hi, title=title) + self.n_base)
        return np.concatenate(parts)

    def phrase_docs(self, ranges: list[tuple[int, int]], field: str | None) -> np.ndarray:
        """Papers (with repeats) where words of the term ranges follow each other
        in one title or abstract (``field``: only there). Every title and abstract
        ends with an END marker in the stream, so no match runs into the next."""
        parts = [self._base.phrase_docs([self._base_range(*r) for r in ranges], field)]
        if self._delta is not None:
            parts.append(self._delta.phrase_docs(ranges, field) + self.n_base)
        return np.concatenate(parts)

    def scores(self, ranges: Iterable[tuple[int, int]]) -> np.ndarray:
        """Relevance of every paper: for each query word (a range of terms) the best
        TF-IDF weight among its terms, summed over the words. The base form (the
        first term when it is a prefix of all the others) counts fully, longer
        words found by prefix count half, so "efficient" outranks "efficientnet"."""
        n = len(self)
        total: np.ndarray | None = None  # the first word's sums are the total so far (0 + x)
        for lo, hi in ranges:
            pieces = self._pieces(lo, hi)
            if hi - lo <= 1:
                for docs, weights, _ in pieces:
                    summed = np.bincount(docs, weights=weights, minlength=n)
                    summed = summed.astype(np.float64, copy=False)  # int64 when docs is empty
                    total = summed if total is None else np.add(total, summed, out=total)
                continue
            base_form = str(self.terms[hi - 1]).startswith(str(self.terms[lo]))
            best = np.zeros(n, dtype=np.float64)
            for docs, weights, first in pieces:
                values = weights.astype(np.float64) * EXPANSION_WEIGHT
                if base_form:
                    values[:first] /= EXPANSION_WEIGHT
                np.maximum.at(best, docs, values)
            total = best if total is None else np.add(total, best, out=total)
        return np.zeros(n, dtype=np.float64) if total is None else total
