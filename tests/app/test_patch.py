"""Mirroring a saved edit in the app's cached table gives what the review file gives."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import litreview
from litreview.app.patch import patch_papers

EDITS = [
    {"decision": "exclude", "reason": "off topic", "add_tags": ["a", "b"]},
    {"note": "read §4", "rating": 4, "remove_tags": "a"},
    {"tags": ["c"], "rating": ""},
    {"decision": "unscreened", "reason": "", "note": pd.NA},
]
SHOWN = ["decision", "reason", "tags", "note", "rating", "decided_by"]


@pytest.mark.parametrize("many", [False, True])  # cell by cell, and a column at a time
@pytest.mark.parametrize("steps", [EDITS[:1], EDITS[:2], EDITS[:3], EDITS])
def test_patched_table_equals_the_reread_table(
    tmp_path: Path, steps: list[dict], many: bool
) -> None:
    review = litreview.Review.open(tmp_path / "r.litreview", reviewer="ada")
    review.add(litreview.SAMPLE_LISTING)
    cached = review.papers.copy()
    positions = [0, 2, 5] if not many else list(range(34))
    ids = cached["paper_id"].iloc[positions].tolist()
    for edit in steps:
        review.annotate(ids, **edit)
        patch_papers(cached, positions, edit, "ada")
    reread = review.papers
    pd.testing.assert_frame_equal(cached[SHOWN], reread[SHOWN], check_dtype=False)
    decided_at = cached["decided_at"].iloc[positions]
    assert decided_at.notna().all() == (steps[-1].get("decision", "exclude") != "unscreened")


def test_patch_takes_an_edit_and_the_step_time_and_keeps_standing_decisions(
    tmp_path: Path,
) -> None:
    from litreview.app.patch import annotation_of
    from litreview.review.edits import Annotation, Edit

    review = litreview.Review.open(tmp_path / "r.litreview", reviewer="ada")
    review.add(litreview.SAMPLE_LISTING)
    cached = review.papers
    first, later = "2026-01-02T03:04:05.000006", "2026-01-03T00:00:00.000000"
    patch_papers(cached, [0, 1], Edit(decision="include", tags="a"), "bob", at=first)
    patch_papers(cached, [1, 2], {"decision": "include", "rating": 5}, "ada", at=later)
    rows = [annotation_of(cached.iloc[i]) for i in range(3)]
    assert rows == [
        Annotation("include", tags=("a",), decided_by="bob", decided_at=first),
        Annotation("include", tags=("a",), rating=5, decided_by="bob", decided_at=first),
        Annotation("include", rating=5, decided_by="ada", decided_at=later),
    ]  # the second edit leaves paper 1's standing decision (and who and when) alone
    review.close()
