"""The filter panel's values as search keywords and a sorted selection."""

from __future__ import annotations

import pandas as pd
import pytest

import litreview
from litreview.app.selection import SORTS, search_kwargs, select
from litreview.schema import conform


@pytest.fixture(scope="module")
def papers() -> pd.DataFrame:
    return conform(litreview.read_listing(litreview.SAMPLE_LISTING), annotated=True)


def test_unset_values_are_left_out_and_the_rest_renamed() -> None:
    values = {
        "since": "  ", "until": " 2024-06 ", "min_authors": None, "max_comments": 3,
        "has_code": False, "decisions": [], "tags": ("vit",), "query": "ignored here",
    }  # fmt: skip
    assert search_kwargs(values) == {
        "until": "2024-06", "max_comments": 3, "has_code": False, "tags": ["vit"],
    }  # fmt: skip
    assert search_kwargs({"decisions": ("include", "maybe")}) == {"decision": ["include", "maybe"]}


@pytest.mark.parametrize("sort", [s for s in SORTS if s != "priority"])
def test_each_sort_is_litreview_search(papers: pd.DataFrame, sort: str) -> None:
    filters = {"has_code": True}
    got = select(papers, "transformer", filters, sort=sort)
    want = litreview.search(papers, "transformer", sort=sort, **filters)
    assert got["paper_id"].tolist() == want["paper_id"].tolist()


def test_priority_puts_unscreened_papers_first(papers: pd.DataFrame) -> None:
    screened = papers.copy()
    screened.loc[screened.index[:5], "decision"] = "include"
    got = select(screened, "", {}, sort="priority")
    assert sorted(got["paper_id"]) == sorted(screened["paper_id"])  # nothing lost
    decisions = got["decision"].astype(str).tolist()
    assert decisions[:31] == ["unscreened"] * 31 and decisions[31:] == ["include"] * 5
    assert "priority_method" not in got.columns
