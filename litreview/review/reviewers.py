"""What a review's reviewers did, side by side: decisions per reviewer, conflicts, and
their agreement (Cohen's kappa), mixed into :class:`litreview.Review`::

    >>> import tempfile, pathlib, litreview
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "team.litreview"
    >>> with litreview.Review.open(path, reviewer="ada") as review:
    ...     _ = review.add(litreview.SAMPLE_LISTING)
    ...     first = review.papers.loc[0, "paper_id"]
    ...     review.annotate(first, decision="include")
    ...     list(review.decisions().columns)
    ['paper_id', 'title', 'ada']
"""

from __future__ import annotations

import pandas as pd

from litreview.review.store.connection import Store
from litreview.review.store.history import annotation_columns, annotation_rows
from litreview.review.store.table import paper_frame
from litreview.schema import DECISION_DTYPE


class ReviewerViews:
    """Mixed into :class:`litreview.Review`; needs ``_store`` and ``reviewer``."""

    _store: Store
    reviewer: str

    def decisions(self) -> pd.DataFrame:
        """One row per paper: ``paper_id``, ``title`` and one decision column per reviewer."""
        rows = annotation_rows(self._store, None)
        reviewers = sorted({r[1] for r in rows} | {self.reviewer})
        base = paper_frame(self._store)[["paper_id", "title"]]
        for name in reviewers:
            mine = [r for r in rows if r[1] == name]
            base[name] = annotation_columns(base["paper_id"], mine)["decision"]
        return base

    def conflicts(self) -> pd.DataFrame:
        """The rows of :meth:`decisions` where reviewers who screened a paper disagree."""
        table = self.decisions()
        decisions = table.iloc[:, 2:].astype(object).where(table.iloc[:, 2:] != "unscreened")
        disagree = decisions.nunique(axis=1, dropna=True) > 1
        return table[disagree.to_numpy()].reset_index(drop=True)

    def agreement(self, reviewer_a: str | None = None, reviewer_b: str | None = None) -> float:
        """Cohen's kappa between two reviewers over the papers both screened.

        Defaults: ``reviewer_a`` is the current reviewer, ``reviewer_b`` the only other one.
        """
        from sklearn.metrics import cohen_kappa_score

        table = self.decisions()
        names = list(table.columns[2:])
        a = reviewer_a or self.reviewer
        others = [n for n in names if n != a]
        if reviewer_b is None and len(others) != 1:
            raise ValueError(f"name reviewer_b; reviewers in this review: {', '.join(names)}")
        b = reviewer_b or others[0]
        for name in (a, b):
            if name not in names:
                raise KeyError(f"no decisions by reviewer {name!r}; reviewers: {', '.join(names)}")
        both = table[(table[a] != "unscreened") & (table[b] != "unscreened")]
        if both.empty:
            raise ValueError(f"no paper was screened by both {a!r} and {b!r}")
        x, y = both[a].astype(str).tolist(), both[b].astype(str).tolist()
        if x == y:
            return 1.0
        return float(cohen_kappa_score(x, y, labels=list(DECISION_DTYPE.categories)))
