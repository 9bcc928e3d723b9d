"""The web sources against responses in the real APIs' shapes (tests/fixtures/web/real/,
written after the formats huggingface_hub, arxiv.py's recorded 2026 feeds and OpenAlex's
work object show): Hugging Face items with hidden and user-linked authors, null and empty
fields, many pages; the 2026 arXiv feed (namespaces on the root, versioned and old-style
ids, several DOIs in one element, HTTP 400 error feeds, empty results); OpenAlex works
with null sources, merged preprints and plain preprints."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from litreview.review.core import Review
from litreview.web import WebError, fetch_arxiv, fetch_hf_daily, fetch_hf_search, hf, openalex
from litreview.web import arxiv as arxiv_api
from litreview.web.client import Client
from litreview.web.local_server import LocalAPIs
from tests.web.real_server import (
    ATOM,
    JSON,
    Answer,
    RealServer,
    answer,
    not_found,
    real,
    serving,
)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.setenv("LITREVIEW_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("LITREVIEW_RATE_LIMIT", "0")
    monkeypatch.setenv("LITREVIEW_BACKOFF", "0.01")
    monkeypatch.setenv("LITREVIEW_TIMEOUT", "2")
    monkeypatch.delenv("LITREVIEW_OFFLINE", raising=False)
    yield monkeypatch


def point(monkeypatch: pytest.MonkeyPatch, server: RealServer) -> None:
    for name, value in server.env().items():
        monkeypatch.setenv(name, value)


# Hugging Face


def test_daily_papers_in_the_real_shape(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def route(path: str, q: dict[str, str]) -> Answer:
        if path == "/api/daily_papers" and q.get("date") == "2025-10-29" and q["p"] == "0":
            return answer(200, JSON, real("hf_daily_2025-10-29.json"))
        return answer(200, JSON, "[]")

    with serving(route) as server:
        point(env, server)
        papers = fetch_hf_daily(date="2025-10-29", output=tmp_path / "day.json")
    assert server.asked("/api/daily_papers") == [{"date": "2025-10-29", "p": "0", "limit": "100"}]
    first, second, third = (papers.iloc[i] for i in range(3))
    # a hidden author (hidden from the claimer's profile) is still an author, names tidied
    assert first["authors"] == [
        "Mira Castellanos", "Tomasz Wierzbicki", "Anaïs Lévesque", "Kwame Mensah",
    ]  # fmt: skip
    assert first["title"] == "Sparse Mixture-of-Recursions for Long-Context Reasoning"
    assert first["arxiv_id"] == "2510.24701" and first["upvotes"] == 57
    assert first["comments"] == 4 and first["organization"] == "Example AI Lab"
    assert first["code_urls"] == ["https://github.com/miracast/sparse-mor"]
    assert first["project_urls"] == ["https://mor-sparse.github.io"]
    assert str(first["published"])[:10] == "2025-10-28"  # the arXiv date, not the listing's
    assert first["extra"]["submittedBy"] == "AK" and first["extra"]["githubStars"] == "412"
    # null summary, null keywords, no links: empty, not the text "None"
    assert pd.isna(second["abstract"])
    assert list(second["keywords"]) == [] and list(second["code_urls"]) == []
    assert "ai_summary" not in second["extra"]
    # no authors listed, an empty githubRepo and a null githubStars
    assert list(third["authors"]) == [] and list(third["code_urls"]) == []
    assert list(third["project_urls"]) == [] and "githubStars" not in third["extra"]


def many_items(n: int) -> list[dict]:
    template = json.loads(real("hf_daily_2025-10-29.json"))[0]
    items = []
    for i in range(n):
        item = copy.deepcopy(template)
        item["paper"]["id"] = f"2510.{20000 + i}"
        item["paper"]["title"] = item["title"] = f"Paper {i}"
        items.append(item)
    return items


def test_a_month_of_many_pages_is_read_to_its_last_page(env: pytest.MonkeyPatch) -> None:
    items = many_items(237)

    def route(path: str, q: dict[str, str]) -> Answer:
        page, size = int(q["p"]), int(q["limit"])
        if size > 100:
            return answer(400, JSON, '{"error":"limit must be at most 100"}')
        return answer(200, JSON, json.dumps(items[page * size : (page + 1) * size]))

    with serving(route) as server:
        point(env, server)
        got = hf.daily_papers(month="2025-10")
    assert [i["paper"]["id"] for i in got] == [i["paper"]["id"] for i in items]
    assert [q["p"] for q in server.asked("/api/daily_papers")] == ["0", "1", "2"]


def test_an_api_refusal_names_the_apis_reason(env: pytest.MonkeyPatch) -> None:
    def route(path: str, q: dict[str, str]) -> Answer:
        return answer(400, JSON, real("hf_error_400.json"))

    with serving(route) as server:
        point(env, server)
        with pytest.raises(WebError, match=r"HTTP 400 .*Invalid date: expected YYYY-MM-DD"):
            hf.daily_papers(date="2025-10-29")
    assert len(server.requests) == 1  # a client error is not retried


def test_search_results_in_the_real_shape(env: pytest.MonkeyPatch) -> None:
    def route(path: str, q: dict[str, str]) -> Answer:
        if path == "/api/papers/search":
            return answer(200, JSON, real("hf_search_speech.json"))
        return not_found(path, q)

    with serving(route) as server:
        point(env, server)
        papers = fetch_hf_search("speech tokenizers")
        long_query = " ".join(["scaling laws for discrete speech tokenizers"] * 12)
        hf.search_papers(long_query, limit=500)
    assert papers["arxiv_id"].tolist() == ["2510.24455", "2306.05284"]
    assert papers.iloc[1]["authors"] == ["Neil Zeghidour", "Alexandre Défossez"]
    assert papers.iloc[0]["upvotes"] == 11
    # the API takes q of at most 250 characters and limit of at most 120
    sent = server.asked("/api/papers/search")[-1]
    assert len(sent["q"]) <= 250 and long_query.startswith(sent["q"])
    assert int(sent["limit"]) == 120


def test_one_paper_and_a_paper_hugging_face_lacks(env: pytest.MonkeyPatch) -> None:
    def route(path: str, q: dict[str, str]) -> Answer:
        if path == "/api/papers/2510.24701":
            return answer(200, JSON, real("hf_paper_2510.24701.json"))
        return answer(404, JSON, real("hf_error_404.json"))

    with serving(route) as server:
        point(env, server)
        found = hf.paper("2510.24701")
        missing = hf.paper("2510.99999")
    assert found is not None and missing is None
    fields = hf.paper_fields(found)
    assert fields["authors"] == ["Mira Castellanos", "Tomasz Wierzbicki"]
    assert fields["published"] == "2025-10-28" and fields["arxiv_id"] == "2510.24701"


# arXiv


def arxiv_route(path: str, q: dict[str, str]) -> Answer:
    """The 2026 arXiv API: id lists answered from arxiv_ids.atom (the ids asked only), a
    malformed id refused with HTTP 400 and an error feed, an unknown search empty."""
    if path != "/api/query":
        return not_found(path, q)
    ids = [i for i in q.get("id_list", "").split(",") if i]
    bad = [i for i in ids if i.startswith("not-an-id")]
    if bad:
        return answer(400, ATOM, real("arxiv_error_400.atom").replace("{bad}", bad[0]))
    if ids:
        feed = real("arxiv_ids.atom")
        head, _, rest = feed.partition("<entry>")
        entries = ["<entry>" + e for e in rest.split("<entry>")]
        entries[-1] = entries[-1].replace("</feed>\n", "")
        kept = [e for e in entries if any(f"/abs/{i}v" in e for i in ids)]
        head = head.replace("<opensearch:totalResults>3", f"<opensearch:totalResults>{len(kept)}")
        return answer(200, ATOM, head + "".join(kept) + "</feed>\n")
    return answer(200, ATOM, real("arxiv_empty.atom"))


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


# OpenAlex


def openalex_route(path: str, q: dict[str, str]) -> Answer:
    if path == "/openalex/works" and q.get("filter", "").startswith("doi:"):
        wanted = {v.lower() for v in q["filter"][4:].split("|")}
        body = json.loads(real("openalex_works.json"))
        keep = []
        for work in body["results"]:
            dois = {openalex.bare_doi(work["doi"]).lower()}
            dois |= {
                "10.48550/arxiv." + a for a in openalex.arxiv_ids_of(work)
            }  # OpenAlex finds a merged work by its arXiv DOI too
            if dois & wanted:
                keep.append(work)
        body["results"], body["meta"]["count"] = keep, len(keep)
        return answer(200, JSON, json.dumps(body))
    return not_found(path, q)


def test_openalex_works_in_the_real_shape(env: pytest.MonkeyPatch) -> None:
    ids = ["2010.11929", "hep-th/9901001", "math/0211159"]
    with serving(openalex_route) as server:
        point(env, server)
        env.setenv("LITREVIEW_OPENALEX_KEY", "k-123")
        with Client() as client:
            works = openalex.works_for_arxiv(ids, client=client)
    sent = server.asked("/openalex/works")[0]
    assert sent["api_key"] == "k-123" and sent["per-page"] == "200"
    assert sorted(works) == sorted(ids)  # old-style ids found through their locations too
    vit = openalex.published_version(works["2010.11929"])
    assert vit == {
        "doi": "10.5555/lrtest.iclr.vit",
        "venue": "International Conference on Learning Representations",
        "entry_type": "inproceedings",
    }
    prd = openalex.published_version(works["hep-th/9901001"])
    assert prd["doi"] == "10.5555/lrtest.prd.59.064001" and prd["entry_type"] == "article"
    assert openalex.published_version(works["math/0211159"]) == {}  # a preprint, null source


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


def test_enriching_against_the_real_shapes(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def route(path: str, q: dict[str, str]) -> Answer:
        if path == "/api/papers/search":
            if "Refused" in q["q"]:
                return answer(
                    400, JSON, '{"error":"q: String must contain at most 250 characters"}'
                )
            if q["q"] == "Scaling Laws for Speech Tokenizers":
                return answer(200, JSON, real("hf_search_speech.json"))
            return answer(200, JSON, "[]")
        if path.startswith("/openalex"):
            return openalex_route(path, q)
        return arxiv_route(path, q)

    bib = (
        "@article{q, title={A Note on Boundary Terms in Two-Dimensional Gravity}, year={1999},"
        " eprint={hep-th/9901001}, archivePrefix={arXiv}}\n"
        "@misc{s, title={Scaling Laws for Speech Tokenizers}, year={2025}}\n"
        "@misc{r, title={A Refused Title}, year={2024}}\n"
    )
    with serving(route) as server, Review.open(tmp_path / "r.litreview") as review:
        point(env, server)
        review.add(bib)
        report = review.enrich()
        papers = review.papers.set_index("title")
    prd = papers.loc["A Note on Boundary Terms in Two-Dimensional Gravity"]
    assert list(prd["authors"]) == ["Irene Quintero"] and prd["arxiv_id"] == "hep-th/9901001"
    assert prd["doi"] == "10.5555/lrtest.prd.59.064001"  # the paper's, not its erratum's
    assert prd["url"] == "https://arxiv.org/abs/hep-th/9901001"
    speech = papers.loc["Scaling Laws for Speech Tokenizers"]
    assert speech["arxiv_id"] == "2510.24455"
    assert list(speech["authors"]) == ["Lena Hoffmann", "Ravi Subramanian"]
    refused = papers.loc["A Refused Title"]
    assert pd.isna(refused["arxiv_id"]) and [refused["paper_id"]] == report.not_found


def test_hugging_faces_429_is_waited_out_by_its_ratelimit_header(env: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def route(path: str, q: dict[str, str]) -> Answer:
        calls.append(1)
        if len(calls) == 1:  # the Hub's 429: no Retry-After, the IETF draft's headers
            policy = '"fixed window";"api";q=500;w=300'
            return answer(
                429, JSON, '{"error":"You have been rate-limited; retry later"}',
                {"RateLimit": '"api";r=0;t=0', "RateLimit-Policy": policy},
            )  # fmt: skip
        if len(calls) == 3:
            return answer(429, JSON, "{}", {"RateLimit": '"api";r=0;t=250'})
        return answer(200, JSON, real("hf_search_speech.json"))

    with serving(route) as server:
        point(env, server)
        with Client() as client:
            assert len(hf.search_papers("speech", client=client)) == 2
            assert (
                client.stats.retries == 1 and client.stats.waited_s >= 1.0
            )  # t=0: its last second
            with pytest.raises(WebError, match=r"HTTP 429 .*asks to wait 251 s; try later"):
                hf.search_papers("music", client=client)


def test_the_stand_in_refuses_as_the_real_apis_do(apis: LocalAPIs) -> None:
    """The local stand-in (used by the other web tests, the notebook and the benchmark)
    answers a malformed id with arXiv's HTTP 400 error feed and keeps the Hub's bounds."""
    feed = arxiv_api.by_ids(["2102.13630", "bogus-id"])
    assert [e["arxiv_id"] for e in arxiv_api.entries(feed)] == ["2102.13630"]
    assert apis.count("/arxiv/api/query") == 2  # refused, then asked without the bad id
    refused = pytest.raises(WebError, match="limit must be between 1 and 100")
    with Client() as client, refused:
        client.get_json(apis.url + "/hf/api/daily_papers", {"date": "2025-06-02", "limit": 101})


def test_a_preprint_openalex_holds_twice_takes_its_published_version(
    env: pytest.MonkeyPatch,
) -> None:
    body = json.loads(real("openalex_works.json"))
    merged = body["results"][0]
    preprint = copy.deepcopy(body["results"][2])  # a bare arXiv record of the same preprint
    preprint["doi"] = "https://doi.org/10.48550/arxiv.2010.11929"
    preprint["primary_location"]["landing_page_url"] = "https://arxiv.org/abs/2010.11929"
    preprint["locations"] = [preprint["primary_location"]]
    body["results"], body["meta"]["count"] = [preprint, merged], 2

    def route(path: str, q: dict[str, str]) -> Answer:
        return answer(200, JSON, json.dumps(body))

    with serving(route) as server:
        point(env, server)
        with Client() as client:
            works = openalex.works_for_arxiv(["2010.11929"], client=client)
    assert openalex.published_version(works["2010.11929"])["doi"] == "10.5555/lrtest.iclr.vit"


def test_an_openalex_that_refuses_leaves_what_arxiv_gave(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def route(path: str, q: dict[str, str]) -> Answer:
        if path.startswith("/openalex"):  # its budget for the day spent
            return answer(429, JSON, '{"error":"Rate limit exceeded"}', {"Retry-After": "40000"})
        return arxiv_route(path, q)

    with serving(route) as server, Review.open(tmp_path / "r.litreview") as review:
        point(env, server)
        review.add("@misc{v, title={An Image is Worth 16x16 Words}, eprint={2010.11929}}\n")
        report = review.enrich()
        paper = review.papers.iloc[0]
    assert list(paper["authors"]) == ["Alexey Dosovitskiy", "Lucas Beyer"]
    assert paper["venue"] == "ICLR 2021"  # arXiv's journal_ref; no published DOI
    assert len(report.notes) == 1 and "published versions not looked up" in report.notes[0]
    assert "asks to wait 40000 s" in str(report)


def test_an_openalex_refusing_dois_sends_those_papers_to_the_title_search(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def route(path: str, q: dict[str, str]) -> Answer:
        if path.startswith("/openalex"):
            assert "," not in q["filter"]  # a DOI holding a comma is never put in a filter
            return answer(403, JSON, '{"error":"API key required"}')
        if path == "/api/papers/search":
            return answer(200, JSON, real("hf_search_speech.json"))
        return arxiv_route(path, q)

    bib = (
        "@misc{s, title={Scaling Laws for Speech Tokenizers}, doi={10.5555/speech.1}}\n"
        "@misc{c, title={Simple and Controllable Music Generation}, doi={10.5555/a,b}}\n"
    )
    with serving(route) as server, Review.open(tmp_path / "r.litreview") as review:
        point(env, server)
        review.add(bib)
        report = review.enrich()
        papers = review.papers.set_index("title")
    assert papers["arxiv_id"].tolist() == ["2510.24455", "2306.05284"]
    assert any(
        "DOIs not looked up on OpenAlex" in n and "API key required" in n for n in report.notes
    )


def test_an_old_style_id_written_with_its_subject_class(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with serving(arxiv_route) as server, Review.open(tmp_path / "r.litreview") as review:
        point(env, server)
        review.add(
            "@misc{p, title={The entropy formula for the Ricci flow}, eprint={math.DG/0211159}}\n"
        )
        review.enrich()
        paper = review.papers.iloc[0]
    assert server.asked("/api/query")[0]["id_list"] == "math/0211159"  # as arXiv knows it
    assert list(paper["authors"]) == ["Grisha Perelman"]
    assert paper["url"] == "https://arxiv.org/abs/math/0211159"
