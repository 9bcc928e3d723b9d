"""The decoded paper table at one version of the review, and how two of them join.

The store caches one :class:`PaperSnapshot` (:mod:`.table` reads it from the review, or
:mod:`.paper_file` from the file beside it); papers this process appends extend it
(:func:`appended`) instead of a read of every paper.

>>> a = PaperSnapshot(1, {"paper_id": strings(["x"])}, {"authors": '[["Ada"]]'}, pd.Index([]))
>>> b = PaperSnapshot(2, {"paper_id": strings(["y"])}, {"authors": "[[]]"}, pd.Index([]))
>>> both = appended(a, b)
>>> both.version, list(both.columns["paper_id"]), both.lists_json["authors"]
(2, ['x', 'y'], '[["Ada"],[]]')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from litreview.schema import STRING


@dataclass
class PaperSnapshot:
    """The decoded paper table at one version of the file (cached until it changes).

    ``columns`` holds the scalar columns (pandas arrays); list columns are kept as
    their JSON text in ``lists_json`` (``json.loads`` builds fresh lists for each
    copy), and ``fresh`` holds the lists decoded by the read that made the
    snapshot, handed out once by :func:`paper_frame`. ``index`` is the paper_ids
    as an Index (for aligning annotations).
    """

    version: int
    columns: dict[str, Any]
    lists_json: dict[str, str]
    index: pd.Index
    fresh: dict[str, np.ndarray] = field(default_factory=dict)


def strings(values: Sequence[Any] | np.ndarray) -> Any:
    """A string array from str/None values: StringArray only checks each value (~2x faster
    than ``pd.array``, which still takes anything else, e.g. numbers). An object ndarray
    is used in place."""
    cells = values if isinstance(values, np.ndarray) and values.dtype == object else None
    try:
        if cells is None:
            cells = np.fromiter(values, dtype=object, count=len(values))
        return pd.arrays.StringArray(cells)
    except ValueError:
        return pd.array(values, dtype=STRING)


def _concatenated(first: Any, second: Any) -> Any:
    """Two arrays of one column, one after the other (the same kind of array)."""
    if isinstance(first, np.ndarray):
        return np.concatenate([first, second])
    if type(first) is type(second):  # the extension-array interface's own concatenation
        return type(first)._concat_same_type([first, second])
    return pd.concat([pd.Series(first), pd.Series(second)], ignore_index=True).array


def _joined(first: str, second: str) -> str:
    """One JSON array of the items of two.

    >>> _joined("[1,2]", "[]"), _joined("[]", "[3]"), _joined("[[1]]", "[[2],[]]")
    ('[1,2]', '[3]', '[[1],[2],[]]')
    """
    inner = [body for text in (first, second) if (body := text.strip()[1:-1].strip())]
    return "[" + ",".join(inner) + "]"


def appended(first: PaperSnapshot, then: PaperSnapshot) -> PaperSnapshot:
    """The papers of ``first`` then those of ``then``, at ``then``'s version (no index:
    the caller builds it)."""
    columns = {k: _concatenated(v, then.columns[k]) for k, v in first.columns.items()}
    lists = {k: _joined(v, then.lists_json[k]) for k, v in first.lists_json.items()}
    return PaperSnapshot(then.version, columns, lists, pd.Index([]))


_PYTHON_STRINGS = pd.arrays.StringArray(np.array([], dtype=object)).dtype


def checked_strings(cells: np.ndarray) -> Any:
    """A string array of an object array that holds only ``str`` and ``pd.NA`` (text a
    side file decoded), without :class:`~pandas.arrays.StringArray` checking each value
    again (0.2 s per million); :func:`strings` when this pandas builds them otherwise."""
    try:
        return pd.arrays.StringArray._simple_new(cells, _PYTHON_STRINGS)  # type: ignore[attr-defined]
    except (AttributeError, TypeError):  # pragma: no cover (another pandas)
        return strings(cells)
