"""The rule that turns reviewers' decisions into the review's decision, written once
and pure (DataFrames in, DataFrame out): used by :meth:`litreview.Review.final`, the
PRISMA flow, the report and the exports.

A final (resolved) decision wins; else the decision everyone who screened the paper
agrees on; reviewers who disagree make a ``conflict``; nobody: ``unscreened``.

>>> import pandas as pd
>>> base = pd.DataFrame({"paper_id": ["a", "b", "c"], "title": ["A", "B", "C"]})
>>> ada = {"decision": pd.Series(["include", "exclude", "include"]),
...        "reason": pd.Series([None, "off topic", None])}
>>> bob = {"decision": pd.Series(["include", "include", "unscreened"]),
...        "reason": pd.Series([None, None, None])}
>>> review_decisions(base, {"ada": ada, "bob": bob})[["final_decision", "basis"]].values.tolist()
[['include', 'agreed'], ['conflict', 'conflict'], ['include', 'single']]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from litreview.review.store.annotations import FINAL, STAGES
from litreview.schema import DECISIONS

__all__ = ["CONFLICT", "STAGES", "review_decisions"]

#: The review decision of a paper its reviewers decided differently (and nobody resolved).
CONFLICT = "conflict"
FINAL_COLUMNS = ["final_decision", "final_reason", "basis", "resolved_by"]


def review_decisions(base: pd.DataFrame, columns: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """``base`` (``paper_id, title``) with :data:`FINAL_COLUMNS`, from the annotation
    columns of each reviewer (``columns[name]["decision"]``, ``["reason"]``, aligned to
    ``base``) and of :data:`~litreview.review.store.annotations.FINAL` when present.
    """
    n = len(base)
    out = base.reset_index(drop=True).copy()
    decision = np.full(n, "unscreened", dtype=object)
    reason = np.full(n, None, dtype=object)
    basis = np.full(n, "unscreened", dtype=object)
    resolved_by = np.full(n, None, dtype=object)
    people = [name for name in sorted(columns) if name != FINAL]
    said = np.array(
        [np.asarray(columns[p]["decision"], dtype=object) for p in people], dtype=object
    ).reshape(len(people), n)
    reasons = np.array([_objects(columns[p]["reason"]) for p in people], dtype=object).reshape(
        len(people), n
    )
    decided = said != "unscreened"  # (people, n), vectorised: no loop over papers
    kinds = [(d, (said == d).any(axis=0)) for d in DECISIONS if d != "unscreened"]
    n_kinds = np.sum([has for _, has in kinds], axis=0) if kinds else np.zeros(n, dtype=int)
    one = n_kinds == 1
    for d, has in kinds:
        decision[one & has] = d
    basis[one] = np.where(decided.sum(axis=0)[one] > 1, "agreed", "single")
    for row in reversed(range(len(people))):  # the first reviewer with a reason gives it
        given = one & decided[row] & np.array([r is not None for r in reasons[row]], dtype=bool)
        reason[given] = reasons[row][given]
    decision[n_kinds > 1] = CONFLICT
    basis[n_kinds > 1] = CONFLICT
    if FINAL in columns:
        final = np.asarray(columns[FINAL]["decision"], dtype=object).astype(str)
        done = final != "unscreened"
        decision[done] = final[done]
        basis[done] = "resolved"
        reason[done] = _objects(columns[FINAL]["reason"])[done]
        resolved_by[done] = _objects(columns[FINAL]["decided_by"])[done]
    out["final_decision"] = pd.array(decision, dtype="string")
    out["final_reason"] = pd.array(reason, dtype="string")
    out["basis"] = pd.array(basis, dtype="string")
    out["resolved_by"] = pd.array(resolved_by, dtype="string")
    return out


def _objects(values: Any) -> np.ndarray:
    """Values as an object array, missing ones as None."""
    array = np.asarray(pd.Series(values, dtype=object), dtype=object)
    return np.array([None if v is None or v is pd.NA else v for v in array], dtype=object)
