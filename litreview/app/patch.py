"""Mirror a saved annotation edit in the app's cached papers table, in place.

Re-reading 100k rows from the review file after every click is too slow, so the
app writes the edit the store just saved into its own copy of the table.

>>> import litreview
>>> from litreview.schema import conform
>>> papers = conform(litreview.read_listing(litreview.SAMPLE_LISTING), annotated=True)
>>> patch_papers(papers, [0, 1], {"decision": "include", "add_tags": "vit"}, "ada")
>>> papers["decision"].astype(str).tolist()[:3], papers["tags"].tolist()[:3]
(['include', 'include', 'unscreened'], [['vit'], ['vit'], []])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from litreview.review.store.annotations import UNSET, make_edit


def patch_papers(
    df: pd.DataFrame, positions: Sequence[int] | np.ndarray, edit: Mapping[str, Any], reviewer: str
) -> None:
    """Apply ``edit`` (``Review.annotate`` keywords) by ``reviewer`` to ``df`` at ``positions``."""
    rows = np.asarray(positions, dtype=np.intp)
    e = make_edit(**edit)

    def col(name: str) -> int:
        return int(df.columns.get_loc(name))  # type: ignore[arg-type]

    if e.decision is not UNSET:
        changed = rows[df["decision"].iloc[rows].astype(str).to_numpy() != e.decision]
        decided = e.decision != "unscreened"
        df.iloc[changed, col("decision")] = e.decision
        df.iloc[changed, col("decided_by")] = reviewer if decided else pd.NA
        now = pd.Timestamp.now(tz="UTC").tz_localize(None)
        df.iloc[changed, col("decided_at")] = now if decided else pd.NaT
    for name in ("reason", "note", "rating"):
        value = getattr(e, name)
        if value is not UNSET:
            df.iloc[rows, col(name)] = pd.NA if value is None else value
    if e.tags is not UNSET or e.add_tags or e.remove_tags:
        tags = df["tags"].to_numpy(dtype=object).copy()
        for r in rows:
            new = list(e.tags) if e.tags is not UNSET else list(tags[r])
            new += [t for t in e.add_tags if t not in new]
            tags[r] = [t for t in new if t not in e.remove_tags]
        df["tags"] = pd.Series(tags, index=df.index, dtype=object)
