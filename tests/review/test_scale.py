"""A 10,000-paper listing through the whole review: read, add, search, annotate, export.

Not a timing test (speed lives in ``benchmarks/``): it checks that nothing is lost or
renumbered at a size where bulk paths (the plain-text bulk reader, chunked SQL) run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import litreview
from litreview import Review

pytestmark = pytest.mark.slow


def test_ten_thousand_papers_survive_the_review(tmp_path: Path, listing_10k: Path) -> None:
    papers = litreview.read_listing(listing_10k, errors="raise")
    assert len(papers) == 10_000
    assert papers["paper_id"].is_unique
    with Review.open(tmp_path / "big.litreview", reviewer="ada") as review:
        summary = review.add(listing_10k)
        assert (summary.new, summary.updated, summary.unchanged) == (10_000, 0, 0)
        stored = review.papers
        assert sorted(stored["paper_id"]) == sorted(papers["paper_id"])
        hits = review.search("transformer", limit=50)
        assert 0 < len(hits) <= 50
        review.annotate(hits["paper_id"], decision="include", add_tags=["big"])
        again = review.add(listing_10k)
        assert (again.new, again.updated) == (0, 0)
        included = review.search("decision:include")
        assert set(included["paper_id"]) == set(hits["paper_id"])
        out = review.export(included, tmp_path / "included.bib")
        assert out.read_text(encoding="utf-8").count("@misc{") == len(hits)
        assert review.integrity_check() == "ok"
