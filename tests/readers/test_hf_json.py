"""Hugging Face API JSON: daily papers list, papers search list, single paper."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import litreview
from litreview.errors import ListingWarning
from litreview.readers.hf_json import looks_like_hf_json
from tests.paths import TESTS

CAPTURES = TESTS / "fixtures" / "captures"


def test_daily_papers_list() -> None:
    papers = litreview.read_listing(CAPTURES / "daily_papers.json", errors="raise")
    row = papers.iloc[0]
    assert row["title"] == "Sparse Mixture Routers for Long-Context Retrieval"
    assert row["abstract"] == (
        "We route long documents through sparse mixtures of retrieval experts. "
        "Code is at https://github.com/example-lab/smr."
    )  # the API's line breaks are joined
    assert row["authors"] == [
        "Ada Lovelace",
        "Alan Turing",
        "Grace Hopper",
        "Edsger Dijkstra",
        "Barbara Liskov",
        "Donald Knuth",
    ]
    assert (row["n_authors"], row["upvotes"], row["comments"]) == (6, 80, 3)
    assert row["published"] == pd.Timestamp("2024-10-07")
    assert (row["arxiv_id"], row["url"]) == (
        "2410.05434",
        "https://huggingface.co/papers/2410.05434",
    )
    assert row["code_urls"] == ["https://github.com/example-lab/smr"]
    assert row["project_urls"] == ["https://example-lab.github.io/smr"]
    assert row["keywords"] == ["sparse mixture of experts", "long-context retrieval"]
    assert row["sources"] == ["daily_papers.json:2"]
    # a title with a line break gets the same id as the plain copy's one-line title
    assert papers.loc[1, "title"] == "Noisy Paths: Measuring How Models Cite Their Sources"
    assert papers.loc[1, "paper_id"] == litreview.paper_id(papers.loc[1, "title"])
    assert papers.loc[2, "organization"] == "University of Example"
    assert pd.isna(papers.loc[3, "n_authors"]) and papers.loc[3, "authors"] == []
    assert papers["source_line"].tolist() == [2, 27, 43, 55]
    assert papers["upvotes"].tolist() == [80, 0, 1, 95]
    litreview.validate(papers)


def test_search_list_and_single_paper() -> None:
    found = litreview.read_listing(CAPTURES / "search.json", errors="raise")
    assert found["title"].tolist() == [
        "WebCite: Attributed Summaries with Citations",
        "Only in Markdown: A Paper Without Comments",
    ]
    assert found.loc[1, "authors"] == ["Ida Rhodes", "Jean Sammet"]
    assert found["source_line"].tolist() == [1, 2]
    one = litreview.read_listing(CAPTURES / "paper.json", errors="raise")
    assert len(one) == 1
    assert one.loc[0, "arxiv_id"] == "2410.05434"  # version dropped
    assert (one.loc[0, "upvotes"], one.loc[0, "comments"]) == (12, 4)
    assert one.loc[0, "keywords"] == ["routing"]


def test_items_without_title_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "api.json"
    path.write_text(json.dumps([{"paper": {"id": "2401.00001"}}, {"title": "Kept"}], indent=1))
    with pytest.warns(ListingWarning, match=r"api\.json:2: expected a paper object"):
        papers = litreview.read_listing(path)
    assert papers["title"].tolist() == ["Kept"]
    assert pd.isna(papers.loc[0, "upvotes"])


def test_invalid_json_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[\n  {"title": "A"},\n  {"title": }\n]\n')
    with pytest.raises(litreview.ListingError, match=r"broken\.json:3: invalid JSON"):
        litreview.read_listing(path)


def test_detection() -> None:
    assert looks_like_hf_json('[{"paper": {}}]') and looks_like_hf_json('{"id": "x"}')
    assert looks_like_hf_json("[]")
    assert not looks_like_hf_json("[Subscribe](https://huggingface.co/login)\n")


WEB = TESTS / "fixtures" / "web"


def test_api_answers_keep_what_the_schema_has_no_column_for() -> None:
    daily = litreview.read_listing(WEB / "hf_daily_2025-06-02.json", errors="raise")
    first = daily.iloc[0]
    assert first["title"] == "Diffusion Transformers at Scale"  # the paper's, line break joined
    # a hidden author without a name is counted, never invented
    assert first["authors"] == ["Ada Lovelace", "Bo Okafor"] and first["n_authors"] == 3
    assert first["extra"] == {
        "ai_summary": "Scaling diffusion transformers improves image quality.",
        "submittedOnDailyAt": "2025-06-02T00:41:12.345Z",
        "githubStars": "1234",
        "discussionId": "683d1a2b3c4d5e6f7a8b9c99",
        "submittedBy": "AK",
        "unnamed_authors": "1",
    }
    assert first["date_precision"] == "day"
    assert first["published"] == pd.Timestamp("2025-05-30")  # the paper's date, not the listing's
    assert (first["comments"], first["upvotes"], first["organization"]) == (3, 42, "Example Lab")
    assert daily.iloc[1]["extra"]["submittedBy"] == "AK"
    litreview.validate(daily)


def test_search_and_single_paper_answers_of_the_api() -> None:
    hits = litreview.read_listing(WEB / "hf_search.json", errors="raise")
    assert hits["arxiv_id"].tolist() == ["2212.09748", "2405.05945"]
    assert hits.loc[0, "keywords"] == ["diffusion models", "transformers", "latent patches"]
    assert hits.loc[1, "comments"] == 0 and hits.loc[1, "upvotes"] == 5
    one = litreview.read_listing(WEB / "hf_paper.json", errors="raise")
    assert one.loc[0, "authors"] == ["William Peebles", "Saining Xie"]
    assert one.loc[0, "code_urls"] == ["https://github.com/facebookresearch/DiT"]
    assert one.loc[0, "extra"]["ai_summary"] == "Diffusion transformers scale with compute."
    assert one.loc[0, "paper_id"] == hits.loc[0, "paper_id"]  # the same paper, the same id


def test_the_real_shapes_read_from_files(tmp_path: Path) -> None:
    """The daily list, the search list and one paper as the Hub gives them: authors hidden
    from a profile or linked to a user are authors; null, empty and missing fields stay
    empty; a GitHub link given as owner/repo becomes a URL."""
    real = TESTS / "fixtures" / "web" / "real"
    daily = litreview.read_listing(real / "hf_daily_2025-10-29.json", errors="raise")
    assert daily["authors"].map(len).tolist() == [4, 2, 0]
    assert daily["abstract"].isna().tolist() == [False, True, False]
    assert daily["code_urls"].map(len).tolist() == [1, 0, 0]
    search = litreview.read_listing(real / "hf_search_speech.json", errors="raise")
    assert search["arxiv_id"].tolist() == ["2510.24455", "2306.05284"]
    one = litreview.read_listing(real / "hf_paper_2510.24701.json", errors="raise")
    assert one["organization"].tolist() == ["Example AI Lab"] and one["upvotes"].tolist() == [57]
    item = {"paper": {"id": "2601.00001", "title": "T", "githubRepo": "thu-ml/Causal-Forcing"}}
    path = tmp_path / "owner_repo.json"
    path.write_text(json.dumps([item]), encoding="utf-8")
    papers = litreview.read_listing(path, errors="raise")
    assert papers["code_urls"].tolist() == [["https://github.com/thu-ml/Causal-Forcing"]]
