"""One block of the search index: the postings of a run of papers over a sorted vocabulary.

A :class:`Segment` is derived from a word stream (term ids, every title and abstract
followed by an END marker, ``SEP``) by linear-time numpy/scipy work, and holds only
numpy arrays, so it is written to and memory-mapped from an index file as is
(:mod:`litreview.query.index_file`). The index keeps a large *base* segment and a
small *delta* one for papers added since (:mod:`litreview.query.index`).

    >>> import numpy as np
    >>> seg = derive(np.array([0, 1, -1, 1, -1], dtype=np.int32), np.array([0, 3]), 2, 2)
    >>> seg.n_docs, seg.ptr.tolist(), seg.tf.tolist()
    (1, [0, 1, 2], [2.0, 3.0])
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

SEP = -1
NORM_CHUNK = 1 << 20  # postings per block when the row norms are re-derived
PHRASE_SAMPLE = 2048  # positions a phrase's next words are tried on, to order the checks


@dataclass
class Segment:
    """Postings of ``n_docs`` papers (local doc ids) over ``v`` sorted terms.

    - ``stream``: term ids in text order, ``SEP`` after every title and abstract;
    - ``seg_start``: where title ``d`` (at ``2d``) and abstract ``d`` (``2d+1``) start;
    - ``term_ptr``/``positions``/``pos_seg``: stream positions grouped by term,
      ascending, with the title/abstract each is in (phrases);
    - ``ptr``/``docs``/``tf``: per term, the papers having it and ``title_weight *
      title count + abstract count`` (matches and relevance);
    - ``title_ptr``/``title_docs``: per term, the papers having it in the title.
    """

    stream: np.ndarray
    seg_start: np.ndarray
    term_ptr: np.ndarray
    positions: np.ndarray
    pos_seg: np.ndarray
    ptr: np.ndarray
    docs: np.ndarray
    tf: np.ndarray
    title_ptr: np.ndarray
    title_docs: np.ndarray

    @property
    def n_docs(self) -> int:
        return len(self.seg_start) // 2

    @property
    def v(self) -> int:
        return len(self.ptr) - 1

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays by field name (what an index file stores)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def of(cls, arrays: dict[str, np.ndarray]) -> Segment:
        return cls(**{f.name: arrays[f.name] for f in fields(cls)})

    @classmethod
    def empty(cls, v: int) -> Segment:
        return derive(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64), v, 1)

    def phrase_docs(self, ranges: list[tuple[int, int]], field: str | None) -> np.ndarray:
        """Local papers (with repeats) where words of the term ranges follow each
        other in one title or abstract (``field``: only there).

        From the first word's positions, each next word is checked in turn, the one
        that keeps the fewest of a sample of them first: in "low rank adapter" nearly
        every "low" is followed by "rank" but few by "adapter" two words on."""
        lo, hi = ranges[0]
        a, b = self.term_ptr[lo], self.term_ptr[hi]
        start, segment = self.positions[a:b], self.pos_seg[a:b]
        steps = list(enumerate(ranges[1:], 1))
        if len(steps) > 1 and len(start) > PHRASE_SAMPLE:
            sample = start[:: len(start) // PHRASE_SAMPLE]
            steps.sort(key=lambda step: int(self._followed(sample, *step).sum()))
        for k, (lo, hi) in steps:
            if not len(start):
                break
            keep = self._followed(start, k, (lo, hi))
            start, segment = start[keep], segment[keep]
        if field == "title":
            segment = segment[segment % 2 == 0]
        elif field == "abstract":
            segment = segment[segment % 2 == 1]
        return segment // 2

    def _followed(self, start: np.ndarray, k: int, terms: tuple[int, int]) -> np.ndarray:
        """Whether the word ``k`` after each of the positions ``start`` is in ``terms``."""
        lo, hi = terms
        following = follow(self.stream, start, k)
        if hi - lo == 1:
            return np.asarray(following == lo)
        return (following >= lo) & (following < hi)

    def docs_in(self, lo: int, hi: int, *, title: bool) -> np.ndarray:
        """Local papers (with repeats) having a term in [lo, hi) (in the title only)."""
        if title:
            return self.title_docs[self.title_ptr[lo] : self.title_ptr[hi]]
        return self.docs[self.ptr[lo] : self.ptr[hi]]

    def weights_in(
        self, lo: int, hi: int, idf: np.ndarray, norms: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Local papers having a term in [lo, hi) and their TF-IDF weights, given the
        terms' ``idf`` and every local paper's row norm: ``float32(log_tf * idf / norm)``,
        the product in float32 and the quotient in float64, in as few passes over the
        postings as that allows (a search at 1M papers reads 865k per common word)."""
        a, b = self.ptr[lo], self.ptr[hi]
        data = log_tf(self.tf[a:b])
        if hi - lo == 1:  # one term: its idf for all (the same float32 products)
            data *= idf[0]
        else:
            data *= np.repeat(idf, np.diff(self.ptr[lo : hi + 1]))
        docs = self.docs[a:b]
        divided = np.take(norms, docs)  # np.take: half the time of fancy indexing here
        np.divide(data, divided, out=divided)
        return docs, divided.astype(np.float32)

    def norms(self, idf: np.ndarray) -> np.ndarray:
        """Squared L2 norm of every paper's TF-IDF row (``idf`` per local term):
        summed in term order, as a fresh build of the same papers sums them."""
        squares = np.empty(len(self.tf), dtype=np.float64)  # the one large array made
        bounds = np.searchsorted(self.ptr, np.arange(0, max(len(self.tf), 1), NORM_CHUNK))
        for lo, hi in zip(bounds, [*bounds[1:], self.v], strict=True):  # whole terms at a time
            a, b = self.ptr[lo], self.ptr[hi]
            data = log_tf(self.tf[a:b])
            data *= np.repeat(idf[lo:hi], np.diff(self.ptr[lo : hi + 1]))
            part = squares[a:b]
            part[...] = data  # float32 products squared in float64, as before
            np.square(part, out=part)
        return np.bincount(self.docs, weights=squares, minlength=self.n_docs)


def follow(stream: np.ndarray, at: np.ndarray, k: int) -> np.ndarray:
    """``stream[at + k]`` for positions ``at`` whose ``at + k`` are in the stream (a
    phrase's next words: the stream ends with SEP). numpy's take in "wrap" mode gathers
    these 2.1M random reads at 1M papers in about 9 ms, fancy indexing in about 22 ms
    (same values: an index in bounds wraps to itself).

    >>> follow(np.array([5, 6, 7, -1]), np.array([0, 2]), 1).tolist()
    [6, -1]
    """
    return np.take(stream, at + k, mode="wrap")


def log_tf(tf: np.ndarray) -> np.ndarray:
    """scikit-learn's sublinear tf, in float32 (``1 + log(tf)``; a new array)."""
    out = np.log(tf)
    out += 1
    return out


def derive(stream: np.ndarray, seg_start: np.ndarray, v: int, title_weight: int) -> Segment:
    """The segment of a word stream over ``v`` sorted term ids (no text is read).

    Every large temporary is freed (or reused as an output) as soon as it is dead: on
    this kind of machine each fresh 100 MB of arrays costs about 0.1 s of page faults.
    """
    import scipy.sparse as sp  # here, not at import: loading a saved index needs none of it

    n, size = len(seg_start) // 2, len(stream)
    index = np.int32 if size < 2**31 - 1 else np.int64
    real = stream != SEP
    seg_len = np.diff(np.append(seg_start, size))
    seg_of = np.repeat(np.arange(2 * n, dtype=np.int32 if n < 2**30 else np.int64), seg_len)
    # group positions by term with a counting sort (CSR -> CSC): each stream position is
    # a row (END markers empty rows), so the column of a term lists its positions
    # ascending, carrying the title/abstract each is in as the data
    row_ptr = np.zeros(size + 1, dtype=index)
    np.cumsum(real, out=row_ptr[1:])
    segs, words = seg_of[real], stream[real]
    del seg_of, real
    by_term = sp.csr_matrix((segs, words, row_ptr), shape=(size, v)).tocsc()
    del row_ptr
    term_ptr = by_term.indptr.astype(np.int64)
    positions, pos_seg = by_term.indices, by_term.data
    del by_term
    doc_of = np.right_shift(pos_seg, 1, out=segs)  # the inputs are dead: reuse their pages
    odd = np.bitwise_and(pos_seg, 1, out=words)  # 1 for a position in an abstract
    del segs, words

    # one group per (term, paper): a new paper, or the first position of a term
    first = np.ones(len(doc_of), dtype=bool)
    np.not_equal(doc_of[1:], doc_of[:-1], out=first[1:])
    first[term_ptr[:-1][term_ptr[:-1] < len(first)]] = True
    starts = np.flatnonzero(first)
    del first
    if len(starts) < v:  # a few papers over a large vocabulary (a delta): count per group
        per_term = np.bincount(np.searchsorted(term_ptr, starts, side="right") - 1, minlength=v)
    else:
        per_term = np.diff(np.searchsorted(starts, term_ptr))
    n_all = np.empty(len(starts), dtype=index)  # positions per group
    np.subtract(starts[1:], starts[:-1], out=n_all[:-1])
    n_all[-1:] = len(doc_of) - starts[-1:]
    # title positions per group: all of them minus the abstract ones (odd segments)
    n_title = n_all - _group_sums(odd, starts)
    del odd
    docs = doc_of[starts].astype(np.int32, copy=False)
    del doc_of, starts
    ptr = np.concatenate([[0], np.cumsum(per_term)]).astype(np.int64)
    tf = n_title * (title_weight - 1)
    tf += n_all
    del n_all
    tf = tf.astype(np.float32)
    keep = n_title > 0
    del n_title
    cols = np.repeat(np.arange(v, dtype=np.int32), per_term)
    title_ptr = np.zeros(v + 1, dtype=np.int64)  # O(groups + v), not O(v log groups)
    np.cumsum(np.bincount(cols[keep], minlength=v), out=title_ptr[1:])
    del cols
    return Segment(
        stream=np.ascontiguousarray(stream, dtype=np.int32),
        seg_start=np.ascontiguousarray(seg_start, dtype=np.int64),
        term_ptr=term_ptr,
        positions=positions,
        pos_seg=np.ascontiguousarray(pos_seg, dtype=np.int32),
        ptr=ptr,
        docs=docs,
        tf=tf,
        title_ptr=title_ptr,
        title_docs=docs[keep],
    )


def _group_sums(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Sum of ``values`` over each run beginning at ``starts`` (ascending, the first 0)."""
    if not len(starts):
        return np.zeros(0, dtype=values.dtype)
    return np.add.reduceat(values, starts)
