"""Rows of a DataFrame against a :class:`~litreview.query.index.SearchIndex`: which
index position each row is (remembered for the last few tables), whether every id is
indexed, and the folded text of other columns, remembered while the cells are the same.

    >>> import litreview
    >>> papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> index = litreview.SearchIndex(papers)
    >>> index.align(papers) is None, index.align(papers.iloc[::-1])[:2].tolist()
    (True, [35, 34])
"""

from __future__ import annotations

import operator

import numpy as np
import pandas as pd

from litreview.query.features import fold_cell

ALIGN_MEMO = 4  # row alignments remembered per index


class IndexRows:
    """The row part of :class:`~litreview.query.index.SearchIndex` (a mixin)."""

    ids: np.ndarray
    _folded: dict[str, tuple[list[object], np.ndarray]]
    _aligned: dict[tuple[int, int], np.ndarray]
    _row_of: pd.Index | None

    def add(self, df: pd.DataFrame) -> int:  # provided by SearchIndex
        raise NotImplementedError

    def folded(self, column: str, values: list[object]) -> np.ndarray:
        """Folded text of a column's cells (lists of names joined; "" when missing),
        remembered per column while the cells are the very same objects, so repeated
        ``org:``/``note:`` queries do not fold 100k strings again."""
        cached = self._folded.get(column)
        same = cached is not None and len(cached[0]) == len(values)
        if cached is not None and same and all(map(operator.is_, cached[0], values)):
            return cached[1]
        out = np.array([fold_cell(v) for v in values], dtype=object)
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
