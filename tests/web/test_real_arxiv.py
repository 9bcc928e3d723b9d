"""The arXiv API against feeds in its 2026 shape (as arxiv.py's recorded fixtures show it:
namespaces on the root, versioned and old-style ids, several DOIs in one element, HTTP 400
with an error feed, totalResults 0, and pages that come back empty or short)."""

from __future__ import annotations

from pathlib import Path

import pytest

from litreview.web import WebError, fetch_arxiv
from litreview.web import arxiv as arxiv_api
from litreview.web.client import Client
from litreview.web.local_server import LocalAPIs
from tests.web.real_server import (
    ATOM,
    Answer,
    answer,
    arxiv_route,
    point,
    real,
    serving,
)


def test_arxiv_ids_in_the_2026_feed(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with serving(arxiv_route) as server:
        point(env, server)
        papers = fetch_arxiv(
            ids=["2010.11929v2", "hep-th/9901001", "arXiv:math/0211159"], output=tmp_path / "a.atom"
        )
    assert server.asked("/api/query")[0]["id_list"] == "2010.11929,hep-th/9901001,math/0211159"
    assert papers["arxiv_id"].tolist() == ["2010.11929", "hep-th/9901001", "math/0211159"]
    vit, prd, ricci = (papers.iloc[i] for i in range(3))
    assert vit["title"].endswith("Image Recognition at Scale") and "\n" not in vit["title"]
    assert vit["keywords"] == ["cs.CV", "cs.AI", "cs.LG"] and vit["venue"] == "ICLR 2021"
    assert vit["url"] == "https://arxiv.org/abs/2010.11929"
    assert vit["extra"]["arxiv:primary_category"] == "cs.CV"
    assert "Google Research, Brain Team" in vit["extra"]["affiliations"]
    assert str(vit["published"])[:10] == "2020-10-22"
    # two DOIs in one <arxiv:doi> (the paper and its erratum): the paper's is the DOI
    assert prd["doi"] == "10.5555/lrtest.prd.59.064001"
    assert prd["url"] == "https://arxiv.org/abs/hep-th/9901001"
    assert ricci["entry_type"] == "preprint" and ricci["keywords"] == ["math.DG"]


def test_an_empty_arxiv_result_is_an_empty_table(env: pytest.MonkeyPatch) -> None:
    with serving(arxiv_route) as server:
        point(env, server)
        papers = fetch_arxiv('ti:"no such paper anywhere"', max_results=100)
    assert len(papers) == 0
    assert len(server.asked("/api/query")) == 1  # totalResults 0: no second page asked


def test_an_arxiv_400_error_feed_gives_arxivs_reason(env: pytest.MonkeyPatch) -> None:
    with serving(arxiv_route) as server:
        point(env, server)
        refused = pytest.raises(WebError, match="arXiv refused the query: incorrect id format")
        with Client() as client, refused:
            arxiv_api._feed(client, {"id_list": "not-an-id-1"})
    assert len(server.requests) == 1


def test_an_id_arxiv_refuses_does_not_sink_its_batch(env: pytest.MonkeyPatch) -> None:
    with serving(arxiv_route) as server:
        point(env, server)
        feed = arxiv_api.by_ids(["2010.11929", "not-an-id-7", "math/0211159"])
    assert [e["arxiv_id"] for e in arxiv_api.entries(feed)] == ["2010.11929", "math/0211159"]
    assert [q["id_list"] for q in server.asked("/api/query")] == [
        "2010.11929,not-an-id-7,math/0211159", "2010.11929,math/0211159",
    ]  # fmt: skip


def search_feed(start: int, entries: list[str], total: int) -> str:
    head = real("arxiv_empty.atom").replace(
        "<opensearch:totalResults>0", f"<opensearch:totalResults>{total}"
    )
    head = head.replace("<opensearch:startIndex>0", f"<opensearch:startIndex>{start}")
    return head.replace("</feed>", "".join(entries) + "</feed>")


def entry(n: int) -> str:
    return (
        f"<entry><id>http://arxiv.org/abs/2401.{n:05d}v1</id><title>Result {n}</title>"
        f"<published>2024-01-02T00:00:00Z</published><author><name>A. Author</name></author>"
        "</entry>"
    )


def test_an_arxiv_search_past_empty_and_short_pages(
    env: pytest.MonkeyPatch, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(arxiv_api, "PAGE", 10)
    results = [entry(n) for n in range(25)]
    asked: dict[int, int] = {}

    def route(path: str, q: dict[str, str]) -> Answer:
        start, size = int(q["start"]), int(q["max_results"])
        asked[start] = asked.get(start, 0) + 1
        if start == 7 and asked[start] == 1:  # the known arXiv quirk: an empty page at first
            return answer(200, ATOM, search_feed(start, [], 25))
        end = start + size - (3 if start == 0 else 0)  # and a short page
        return answer(200, ATOM, search_feed(start, results[start:end], 25))

    with serving(route) as server:
        point(env, server)
        feed = arxiv_api.search("all:result", max_results=25)
    ids = [e["arxiv_id"] for e in arxiv_api.entries(feed)]
    assert ids == [f"2401.{n:05d}" for n in range(25)]
    assert [q["start"] for q in server.asked("/api/query")] == ["0", "7", "7", "17"]


def test_the_stand_in_refuses_as_the_real_apis_do(apis: LocalAPIs) -> None:
    """The local stand-in (used by the other web tests, the notebook and the benchmark)
    answers a malformed id with arXiv's HTTP 400 error feed and keeps the Hub's bounds."""
    feed = arxiv_api.by_ids(["2102.13630", "bogus-id"])
    assert [e["arxiv_id"] for e in arxiv_api.entries(feed)] == ["2102.13630"]
    assert apis.count("/arxiv/api/query") == 2  # refused, then asked without the bad id
    refused = pytest.raises(WebError, match="limit must be between 1 and 100")
    with Client() as client, refused:
        client.get_json(apis.url + "/hf/api/daily_papers", {"date": "2025-06-02", "limit": 101})
