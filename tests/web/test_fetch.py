"""Fetching listings from the local stand-in APIs: Hugging Face daily papers (a day, a week,
a month, a range, paged), the papers search, arXiv searches (paged) and id lists; what is
written is the API's own answer and reads back with read_listing."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import litreview
from litreview.readers import read_listing_and_format
from litreview.web import WebError, fetch_arxiv, fetch_hf_daily, fetch_hf_search, hf
from litreview.web import arxiv as arxiv_api
from litreview.web.local_server import LocalAPIs


def many(n: int, day: str = "2025-06-02") -> list[dict]:
    return [
        {"arxiv_id": f"2506.{i:05d}", "title": f"Paper number {i}", "authors": [f"Author {i}"],
         "published": f"{day}T10:00:00.000Z", "summary": f"Abstract {i}."}
        for i in range(n)
    ]  # fmt: skip


@pytest.fixture
def big(apis: LocalAPIs, monkeypatch: pytest.MonkeyPatch) -> LocalAPIs:
    with LocalAPIs(many(250)) as server:
        for name, value in server.env().items():
            monkeypatch.setenv(name, value)
        yield server


def test_a_day_is_paged_until_the_last_page(big: LocalAPIs, tmp_path: Path) -> None:
    out = tmp_path / "day.json"
    papers = fetch_hf_daily(date="2025-06-02", output=out)
    assert len(papers) == 250 and papers["arxiv_id"].is_unique
    assert big.count("/hf/api/daily_papers") == 3  # 100 + 100 + 50
    assert "p=2" in big.requests[-1] and "limit=100" in big.requests[-1]
    items = json.loads(out.read_text(encoding="utf-8"))  # the API's own items
    assert items[0]["paper"]["id"] == "2506.00000" and "numComments" in items[0]
    again, fmt = read_listing_and_format(out)
    assert fmt == "hf-json" and again["title"].tolist() == papers["title"].tolist()


def test_week_month_and_range(apis: LocalAPIs) -> None:
    week = hf.daily_papers(week="2025-W23")  # 2 to 8 June 2025
    assert {i["paper"]["publishedAt"][:10] for i in week} == {"2025-06-06"}
    month = hf.daily_papers(month="2025-06")
    assert sorted(i["paper"]["publishedAt"][:10] for i in month) == [
        "2025-06-06", "2025-06-15", "2025-06-25",
    ]  # fmt: skip
    calls = apis.count("/hf/api/daily_papers")
    ranged = hf.daily_papers(since="2025-06-01", until="2025-06-07")
    assert [i["paper"]["id"] for i in ranged] == [i["paper"]["id"] for i in week]
    assert apis.count("/hf/api/daily_papers") - calls == 7  # one request per day
    with pytest.raises(ValueError, match="give one of date, week, month or since/until"):
        hf.daily_papers(date="2025-06-01", week="2025-W23")
    with pytest.raises(ValueError, match=r"until .* is before since"):
        hf.daily_papers(since="2025-06-07", until="2025-06-01")
    with pytest.raises(ValueError, match="month must look like 2025-06"):
        hf.daily_papers(month="June")


def test_search(apis: LocalAPIs, tmp_path: Path) -> None:
    hits = fetch_hf_search("Transformer in Transformer", output=tmp_path / "hits.json")
    assert hits.loc[0, "title"] == "Transformer in Transformer"
    assert hits.loc[0, "authors"] and hits.loc[0, "arxiv_id"] == "2102.13630"
    assert "q=Transformer+in+Transformer" in apis.requests[-1]
    assert len(fetch_hf_search("Transformer", limit=2)) == 2
    with pytest.raises(ValueError, match="empty"):
        fetch_hf_search("  ")


def test_arxiv_search_pages_and_writes_one_feed(big: LocalAPIs, tmp_path: Path) -> None:
    out = tmp_path / "papers.atom"
    papers = fetch_arxiv('ti:"Paper number"', max_results=230, output=out)
    assert len(papers) == 230 and papers["arxiv_id"].is_unique
    assert big.count("/arxiv/api/query") == 2  # 200 + 30
    text = out.read_text(encoding="utf-8")
    assert text.count("<entry>") == 230 and text.rstrip().endswith("</feed>")
    again, fmt = read_listing_and_format(out)
    assert fmt == "arxiv-atom" and again["arxiv_id"].tolist() == papers["arxiv_id"].tolist()
    assert again.loc[0, "authors"] == ["Author 0"]


def test_arxiv_id_lists_are_batched(big: LocalAPIs) -> None:
    ids = [f"2506.{i:05d}v2" for i in range(150)]
    papers = fetch_arxiv(ids=ids)
    assert len(papers) == 150 and papers.loc[0, "arxiv_id"] == "2506.00000"
    assert big.count("/arxiv/api/query?id_list=") == 2  # 100 ids, then 50


def test_an_arxiv_error_entry_is_an_error(apis: LocalAPIs, tmp_path: Path) -> None:
    from tests.paths import TESTS

    error_feed = (TESTS / "fixtures" / "web" / "arxiv_error.atom").read_text(encoding="utf-8")
    apis.answer = lambda path, query: (200, "application/atom+xml", error_feed)  # type: ignore[method-assign]
    out = tmp_path / "x.atom"
    with pytest.raises(
        WebError, match=r"arXiv refused the query: incorrect id format for 1234\.1234v1"
    ):
        fetch_arxiv(ids=["1234.1234v1"], output=out)
    assert not out.exists()  # nothing half-written


def test_a_failure_on_a_later_page_writes_nothing(big: LocalAPIs, tmp_path: Path) -> None:
    big.fail("status", "/hf/api/daily_papers?date=2025-06-02&p=1", times=4, status=500)
    out = tmp_path / "day.json"
    with pytest.raises(WebError, match="HTTP 500"):
        fetch_hf_daily(date="2025-06-02", output=out)
    assert not out.exists() and list(tmp_path.iterdir()) == [tmp_path / "web-cache"]


def test_malformed_atom_is_an_error_and_not_cached(apis: LocalAPIs) -> None:
    apis.fail("malformed", "/arxiv/api/query")
    with pytest.raises(WebError, match="malformed Atom feed"):
        arxiv_api.by_ids(["2102.13630"])
    assert "Transformer in Transformer" in arxiv_api.by_ids(["2102.13630"])
    assert apis.count("/arxiv/api/query") == 2


def test_the_fetched_files_add_to_a_review(apis: LocalAPIs, tmp_path: Path) -> None:
    fetch_hf_daily(month="2025-06", output=tmp_path / "june.json")
    fetch_arxiv(ids=["2506.12841", "2102.13630"], output=tmp_path / "two.atom")
    with litreview.Review.open(tmp_path / "r.litreview") as review:
        assert review.add(tmp_path / "june.json").new == 3
        summary = review.add(tmp_path / "two.atom")
        assert (summary.new, summary.unchanged + summary.updated) == (1, 1)  # one known by id
        assert len(review) == 4
        assert review.papers["published"].notna().all()
    assert (
        pd.Timestamp(litreview.read_listing(tmp_path / "two.atom").loc[1, "published"]).year == 2021
    )
