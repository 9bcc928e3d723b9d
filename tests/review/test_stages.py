"""The review's decision rule (review/stages.py), vectorised, against the plain rule per
paper: a final decision wins; else the one decision everyone who screened agrees on
(its reason from the first reviewer who gave one); reviewers who differ: a conflict."""

from __future__ import annotations

from typing import Any

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from litreview.review.stages import review_decisions
from litreview.review.store.annotations import FINAL

DECISIONS = ["unscreened", "include", "maybe", "exclude"]
REASONS = [None, "off topic", "wrong study type"]


def reference(said: list[tuple[str, str | None]], final: tuple[str, str | None] | None) -> Any:
    if final is not None and final[0] != "unscreened":
        return final[0], final[1], "resolved"
    decided = [(d, r) for d, r in said if d != "unscreened"]
    kinds = {d for d, _ in decided}
    if len(kinds) == 1:
        reason = next((r for _, r in decided if r is not None), None)
        return decided[0][0], reason, "agreed" if len(decided) > 1 else "single"
    if kinds:
        return "conflict", None, "conflict"
    return "unscreened", None, "unscreened"


cells = st.tuples(st.sampled_from(DECISIONS), st.sampled_from(REASONS))


@settings(deadline=None)  # the machine is shared: no per-example deadline
@given(
    st.integers(0, 4).flatmap(
        lambda people: st.lists(
            st.tuples(st.lists(cells, min_size=people, max_size=people), st.none() | cells),
            max_size=25,
        )
    )
)
def test_the_vectorised_rule_is_the_rule_per_paper(papers: list[Any]) -> None:
    n = len(papers)
    people = len(papers[0][0]) if papers else 0
    base = pd.DataFrame({"paper_id": [f"p{i}" for i in range(n)], "title": ["t"] * n})
    columns: dict[str, dict[str, Any]] = {
        f"r{k}": {
            "decision": pd.Series([p[0][k][0] for p in papers], dtype=object),
            "reason": pd.Series([p[0][k][1] for p in papers], dtype=object),
        }
        for k in range(people)
    }
    if any(final is not None for _, final in papers):
        finals = [final or ("unscreened", None) for _, final in papers]
        columns[FINAL] = {
            "decision": pd.Series([f[0] for f in finals], dtype=object),
            "reason": pd.Series([f[1] for f in finals], dtype=object),
            "decided_by": pd.Series(["cy"] * n, dtype=object),
        }
    got = review_decisions(base, columns)
    want = [reference(said, final) for said, final in papers]
    rows = got[["final_decision", "final_reason", "basis"]].astype(object)
    rows = rows.where(rows.notna(), None).values.tolist()
    assert [tuple(r) for r in rows] == want
