"""OpenAlex works in their real shape (null sources, a preprint merged with its published
version, a preprint held twice, article vs preprint) and whole enrichments against the real
shapes: old-style ids, refused title lookups, an OpenAlex that refuses or has spent its
budget (the rest of the enrichment is kept, with a note)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pandas as pd
import pytest

from litreview.review.core import Review
from litreview.review.enrichment import EnrichReport
from litreview.web import openalex
from litreview.web.client import Client
from tests.web.real_server import (
    JSON,
    Answer,
    RealServer,
    Route,
    answer,
    arxiv_route,
    openalex_route,
    point,
    real,
    serving,
)


def enriched(
    env: pytest.MonkeyPatch, tmp_path: Path, route: Route, bib: str
) -> tuple[RealServer, EnrichReport, pd.DataFrame]:
    """``bib`` added to a new review and enriched against ``route``: the server, the report
    and the papers."""
    with serving(route) as server, Review.open(tmp_path / "r.litreview") as review:
        point(env, server)
        review.add(bib)
        return server, review.enrich(), review.papers


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
    _, report, papers = enriched(env, tmp_path, route, bib)
    papers = papers.set_index("title")
    prd = papers.loc["A Note on Boundary Terms in Two-Dimensional Gravity"]
    assert list(prd["authors"]) == ["Irene Quintero"] and prd["arxiv_id"] == "hep-th/9901001"
    assert prd["doi"] == "10.5555/lrtest.prd.59.064001"  # the paper's, not its erratum's
    assert prd["url"] == "https://arxiv.org/abs/hep-th/9901001"
    speech = papers.loc["Scaling Laws for Speech Tokenizers"]
    assert speech["arxiv_id"] == "2510.24455"
    assert list(speech["authors"]) == ["Lena Hoffmann", "Ravi Subramanian"]
    refused = papers.loc["A Refused Title"]
    assert pd.isna(refused["arxiv_id"]) and [refused["paper_id"]] == report.not_found


def test_an_openalex_that_refuses_leaves_what_arxiv_gave(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def route(path: str, q: dict[str, str]) -> Answer:
        if path.startswith("/openalex"):  # its budget for the day spent
            return answer(429, JSON, '{"error":"Rate limit exceeded"}', {"Retry-After": "40000"})
        return arxiv_route(path, q)

    bib = "@misc{v, title={An Image is Worth 16x16 Words}, eprint={2010.11929}}\n"
    _, report, papers = enriched(env, tmp_path, route, bib)
    paper = papers.iloc[0]
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
    _, report, papers = enriched(env, tmp_path, route, bib)
    papers = papers.set_index("title")
    assert papers["arxiv_id"].tolist() == ["2510.24455", "2306.05284"]
    assert any(
        "DOIs not looked up on OpenAlex" in n and "API key required" in n for n in report.notes
    )


def test_an_old_style_id_written_with_its_subject_class(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bib = "@misc{p, title={The entropy formula for the Ricci flow}, eprint={math.DG/0211159}}\n"
    server, _, papers = enriched(env, tmp_path, arxiv_route, bib)
    paper = papers.iloc[0]
    assert server.asked("/api/query")[0]["id_list"] == "math/0211159"  # as arXiv knows it
    assert list(paper["authors"]) == ["Grisha Perelman"]
    assert paper["url"] == "https://arxiv.org/abs/math/0211159"
