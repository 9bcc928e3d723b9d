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


@pytest.mark.parametrize("steps", [EDITS[:1], EDITS[:2], EDITS[:3], EDITS])
def test_patched_table_equals_the_reread_table(tmp_path: Path, steps: list[dict]) -> None:
    review = litreview.Review.open(tmp_path / "r.litreview", reviewer="ada")
    review.add(litreview.SAMPLE_LISTING)
    cached = review.papers.copy()
    positions = [0, 2, 5]
    ids = cached["paper_id"].iloc[positions].tolist()
    for edit in steps:
        review.annotate(ids, **edit)
        patch_papers(cached, positions, edit, "ada")
    reread = review.papers
    pd.testing.assert_frame_equal(cached[SHOWN], reread[SHOWN], check_dtype=False)
    decided_at = cached["decided_at"].iloc[positions]
    assert decided_at.notna().all() == (steps[-1].get("decision", "exclude") != "unscreened")
