"""The Hugging Face papers API against responses in its real shapes (tests/fixtures/web/real/,
written after what huggingface_hub's PaperInfo reads and its production tests assert): items
with hidden and user-linked authors, null and empty fields, many pages, the API's bounds
(q <= 250 characters, limit <= 100 or 120), its JSON refusals and its 429 with a RateLimit
header instead of Retry-After."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pandas as pd
import pytest

from litreview.web import WebError, fetch_hf_daily, fetch_hf_search, hf
from litreview.web.client import Client
from tests.web.real_server import (
    JSON,
    Answer,
    answer,
    not_found,
    point,
    real,
    serving,
)


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
