"""Rows of a DataFrame against a :class:`~litreview.query.index.SearchIndex`: which
index position each row is (remembered for the last few tables), whether every id is
indexed, and the folded text of other columns, remembered while the cells are the same.

Every search asks whether a table's ids are the indexed ones; at 1M papers comparing
1M strings takes about 10 ms, comparing their addresses (:func:`addresses`) about 1 ms.
A remembered table holds its own copy of the id objects, so an address it remembers is
never reused by another object while it is remembered: same addresses, same strings.

    >>> import litreview
    >>> papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    >>> index = litreview.SearchIndex(papers)
    >>> index.align(papers) is None, index.align(papers.iloc[::-1])[:2].tolist()
    (True, [35, 34])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from litreview.query.features import fold_cell

ALIGN_MEMO = 4  # row alignments remembered per index


class _Addresses:
    """An object array's element addresses, exposed to numpy (keeps the array alive)."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = values
        self.__array_interface__ = {
            "data": (values.ctypes.data, True),
            "shape": values.shape,
            "typestr": np.dtype(np.uintp).str,
            "version": 3,
        }


def addresses(values: np.ndarray) -> np.ndarray:
    """The address of every object of a 1-d object array (a read-only view of its
    pointers that keeps the array alive): equal addresses, the very same objects.

    >>> a = np.array(["x", "y"], dtype=object)
    >>> bool((addresses(a) == addresses(a.copy())).all()), len(addresses(a[::-1]))
    (True, 2)
    """
    values = np.ascontiguousarray(values, dtype=object)
    return np.asarray(_Addresses(values))


class SameObjects:
    """A copy of an object array holding its objects, to compare another array with by
    address (while the copy lives no other object can have one of those addresses)."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = np.array(values, dtype=object, copy=True)
        self.addresses = addresses(self.values)

    def holds(self, values: np.ndarray) -> bool:
        """Whether ``values`` are exactly these objects, in order."""
        return len(values) == len(self.values) and np.array_equal(addresses(values), self.addresses)


class IndexRows:
    """The row part of :class:`~litreview.query.index.SearchIndex` (a mixin)."""

    ids: np.ndarray
    _folded: dict[str, tuple[SameObjects, np.ndarray]]
    _aligned: list[tuple[SameObjects, np.ndarray]]
    _same_ids: SameObjects | None  # ids checked equal to ``ids`` (by value)
    _row_of: pd.Index | None

    def add(self, df: pd.DataFrame) -> int:  # provided by SearchIndex
        raise NotImplementedError

    def folded(self, column: str, values: list[object]) -> np.ndarray:
        """Folded text of a column's cells (lists of names joined; "" when missing),
        remembered per column while the cells are the very same objects (checked by
        address: about 5 ms at 1M papers), so repeated ``org:``/``note:`` queries do
        not fold 1M strings again."""
        cells = np.fromiter(values, dtype=object, count=len(values))  # lists stay cells
        cached = self._folded.get(column)
        if cached is not None and cached[0].holds(cells):
            return cached[1]
        out = np.array([fold_cell(v) for v in values], dtype=object)
        self._folded[column] = (SameObjects(cells), out)
        return out

    def is_indexed_order(self, ids: np.ndarray) -> bool:
        """Whether ``ids`` (an object array) are the indexed ids in order: the very same
        objects (about 1 ms at 1M papers), else equal strings (about 10 ms; then the
        objects are remembered, so the next table holding them is checked by address)."""
        if len(ids) != len(self.ids):
            return False
        if np.array_equal(addresses(ids), addresses(self.ids)):
            return True
        if self._same_ids is not None and self._same_ids.holds(ids):
            return True
        if not np.array_equal(ids, self.ids):
            return False
        self._same_ids = SameObjects(ids)
        return True

    def covers(self, ids: list[str] | np.ndarray) -> bool:
        """Whether every paper id in ``ids`` is indexed (and the indexed ids are unique)."""
        if self._row_of is None:
            self._row_of = pd.Index(self.ids)
        return bool(self._row_of.is_unique and (self._row_of.get_indexer(pd.Index(ids)) >= 0).all())

    def align(self, df: pd.DataFrame) -> np.ndarray | None:
        """Index position of each row of ``df`` (None when the rows are the indexed
        papers in the same order). Papers not indexed yet are added first; the
        last few alignments are remembered (for tables holding the very same id objects)."""
        ids = df["paper_id"].to_numpy(dtype=object)
        if self.is_indexed_order(ids):
            return None
        for same, where in self._aligned:
            if same.holds(ids):
                return where
        if self._row_of is None:
            self._row_of = pd.Index(self.ids)
        where = self._row_of.get_indexer(pd.Index(ids))
        if (where < 0).any():
            self.add(df)
            self._row_of = pd.Index(self.ids)
            where = self._row_of.get_indexer(pd.Index(ids))
        self._aligned = [*self._aligned[-(ALIGN_MEMO - 1) :], (SameObjects(ids), where)]
        return where
