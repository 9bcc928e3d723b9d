"""What add() of a table does not import is said, never dropped silently."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import litreview
from litreview.review.core import Review


def test_columns_of_a_tables_own_are_named_not_dropped_silently(tmp_path: Path) -> None:
    table = litreview.read_listing(litreview.SAMPLE_LISTING).head(3)
    table["sample_size"] = [10, 20, 30]
    table["my_notes"] = ["a", "b", "c"]
    with Review.open(tmp_path / "r.litreview", reviewer="ada") as review:
        with pytest.warns(UserWarning, match=r"sample_size, my_notes not imported.*'extra'"):
            review.add(table)
        kept = table.drop(columns=["sample_size", "my_notes"])
        review.add(kept.assign(extra=[{"my_notes": v} for v in table["my_notes"]]))
        assert [e.get("my_notes") for e in review.papers["extra"]] == ["a", "b", "c"]


def test_a_search_result_adds_without_a_warning(tmp_path: Path) -> None:
    hits = litreview.search(litreview.read_listing(litreview.SAMPLE_LISTING), "vision")
    assert "score" in hits
    with Review.open(tmp_path / "r.litreview") as review, warnings.catch_warnings():
        warnings.simplefilter("error")
        assert review.add(hits).new == len(hits) > 0
