"""Mirror a saved annotation edit in the app's cached papers table, in place.

Re-reading 100k rows from the review file after every click is too slow, so the
app writes the edit the store just saved into its own copy of the table, with the
store's own rule (:mod:`litreview.review.edits`) applied a column at a time.

>>> import litreview
>>> from litreview.schema import conform
>>> papers = conform(litreview.read_listing(litreview.SAMPLE_LISTING), annotated=True)
>>> patch_papers(papers, [0, 1], {"decision": "include", "add_tags": "vit"}, "ada")
>>> papers["decision"].astype(str).tolist()[:3], papers["tags"].tolist()[:3]
(['include', 'include', 'unscreened'], [['vit'], ['vit'], []])
>>> annotation_of(papers.iloc[0]).decided_by
'ada'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from litreview.review.edits import UNSET, Annotation, Edit
from litreview.review.store.connection import TIME_FORMAT, now


def patch_papers(
    df: pd.DataFrame,
    positions: Sequence[int] | np.ndarray,
    edit: Edit | Mapping[str, Any],
    reviewer: str,
    *,
    at: str | None = None,
) -> None:
    """Apply ``edit`` (an :class:`Edit` or ``Review.annotate`` keywords) by ``reviewer``
    at ``at`` (UTC text as the review stores it; default: now) to ``df`` at ``positions``."""
    rows = np.asarray(positions, dtype=np.intp)
    e = edit if isinstance(edit, Edit) else Edit.of(**edit)

    def col(name: str) -> int:
        return int(df.columns.get_loc(name))  # type: ignore[arg-type]

    if e.decision is not UNSET:
        at_decision = col("decision")
        if len(rows) <= CELLWISE:  # a few cells: iat (iloc builds a Series: ~2 ms at 100k)
            current = np.array([str(df.iat[int(r), at_decision]) for r in rows], dtype=object)
        else:
            current = df["decision"].iloc[rows].astype(str).to_numpy()
        changed = rows[e.decides(current)]
        decided_by, decided_at = e.decided(reviewer, now() if at is None else at)
        _set(df, changed, col("decision"), e.decision)
        _set(df, changed, col("decided_by"), pd.NA if decided_by is None else decided_by)
        _set(
            df,
            changed,
            col("decided_at"),
            pd.NaT if decided_at is None else pd.Timestamp(decided_at),
        )
    for name, value in e.values().items():
        _set(df, rows, col(name), pd.NA if value is None else value)
    if e.touches_tags:
        tags = df["tags"].to_numpy(dtype=object).copy()
        for r in rows:
            tags[r] = list(e.new_tags(tags[r]))
        df["tags"] = pd.Series(tags, index=df.index, dtype=object)


#: Up to this many rows a value is set cell by cell (``iat``: ~10x faster than ``iloc`` on
#: a 100k-row column, the screening case of one paper at a time).
CELLWISE = 32


def _set(df: pd.DataFrame, rows: np.ndarray, column: int, value: Any) -> None:
    if len(rows) <= CELLWISE:
        for r in rows:
            df.iat[int(r), column] = value
    else:
        df.iloc[rows, column] = value


#: Edits that can change the lists of tags and reasons the pickers offer.
LIST_EDITS = frozenset({"add_tags", "remove_tags", "tags", "reason"})


def lists_change(edit: Mapping[str, Any], reasons: Sequence[str], tags: Sequence[str]) -> bool:
    """Whether ``edit`` can change the ``reasons`` or ``tags`` the pickers offer (a reason
    or tag already listed cannot: the store is not asked again on every decision).

    >>> lists_change({"decision": "exclude", "reason": "off topic"}, ["off topic"], [])
    False
    >>> lists_change({"add_tags": "new"}, [], ["old"]), lists_change({"remove_tags": "old"}, [], [])
    (True, True)
    """
    if not LIST_EDITS & set(edit):
        return False
    if set(edit) & {"remove_tags", "tags"}:
        return True  # a tag may have gone
    reason = edit.get("reason")
    if reason and str(reason).strip() not in reasons:
        return True
    added = edit.get("add_tags")
    names = [added] if isinstance(added, str) else list(added or [])
    return any(str(t).strip() not in tags for t in names)


def annotation_of(paper: pd.Series) -> Annotation:
    """The :class:`Annotation` in a row of the annotated papers table."""

    def text(name: str) -> str | None:
        value = paper[name]
        return None if pd.isna(value) else str(value)

    rating, decided_at = paper["rating"], paper["decided_at"]
    return Annotation(
        decision=str(paper["decision"]),
        reason=text("reason"),
        tags=tuple(paper["tags"]),
        note=text("note"),
        rating=None if pd.isna(rating) else int(rating),
        decided_by=text("decided_by"),
        decided_at=None if pd.isna(decided_at) else pd.Timestamp(decided_at).strftime(TIME_FORMAT),
    )
