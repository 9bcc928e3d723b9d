"""RIS files via rispy: tags mapped to columns, broken records reported; round trips."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import rispy

import litreview
from litreview.errors import ListingWarning
from litreview.readers.ris import looks_like_ris
from tests.paths import TESTS

CAPTURES = TESTS / "fixtures" / "captures"


@pytest.fixture(scope="module")
def papers() -> pd.DataFrame:
    with pytest.warns(ListingWarning) as caught:
        df = litreview.read_listing(CAPTURES / "refs.ris")
    message = str(caught[0].message)
    assert "refs.ris:23: expected an RIS record" in message  # a stray line
    assert "refs.ris:24: expected an RIS record" in message  # a record without a title
    return df


def test_fields(papers: pd.DataFrame) -> None:
    row = papers.iloc[0]
    assert row["title"] == "Café Agents: Tool Use in the Wild"
    assert row["authors"] == ["Jörg Müller", "Jane Doe"] and row["n_authors"] == 2
    assert row["published"] == pd.Timestamp("2026-05-08")  # DA beats PY
    assert row["abstract"] == "Agents that call tools fail in ways benchmarks do not show."
    assert row["keywords"] == ["agents", "tool use"]
    assert row["url"] == "https://arxiv.org/abs/2605.08583v1"
    assert row["arxiv_id"] == "2605.08583"
    assert row["code_urls"] == ["https://github.com/example-u/cafe"]
    assert row["project_urls"] == ["https://example-u.github.io/cafe"]
    assert row["sources"] == ["refs.ris:1"]


def test_t1_a1_y1_n2_doi_and_missing_er(papers: pd.DataFrame) -> None:
    row = papers.iloc[1]
    assert row["title"] == "Only a DOI: Learning from Divergences"
    assert row["authors"] == ["John Smith"]
    assert row["abstract"] == "An abstract given as N2."
    assert row["published"] == pd.Timestamp("2019-01-01")
    assert row["doi"] == "10.18653/v1/P19-1001" and pd.isna(row["url"])  # no made-up URL
    last = papers.iloc[2]
    assert (last["title"], last["source_line"]) == ("Last Record Without ER", 28)
    assert len(papers) == 3
    litreview.validate(papers)


def test_round_trip_through_rispy_writer(tmp_path: Path) -> None:
    entries = [
        {
            "type_of_reference": "JOUR",
            "title": "Structured Pruning of LLMs",
            "authors": ["Lovelace, Ada", "Turing, Alan"],
            "year": "2025",
            "date": "2025/03/04",
            "abstract": "We prune half of the weights.",
            "urls": ["https://huggingface.co/papers/2503.00001"],
            "keywords": ["pruning"],
        }
    ]
    path = tmp_path / "written.ris"
    path.write_text(rispy.dumps(entries), encoding="utf-8")
    back = litreview.read_listing(path, errors="raise")
    assert back.loc[0, "title"] == "Structured Pruning of LLMs"
    assert back.loc[0, "authors"] == ["Ada Lovelace", "Alan Turing"]
    assert back.loc[0, "published"] == pd.Timestamp("2025-03-04")
    assert back.loc[0, "arxiv_id"] == "2503.00001"
    assert back.loc[0, "keywords"] == ["pruning"]


def test_round_trip_through_litreview_export(tmp_path: Path) -> None:
    papers = litreview.read_listing(CAPTURES / "daily_papers.json")
    path = tmp_path / "out.ris"
    path.write_text(litreview.to_ris(papers), encoding="utf-8")
    back = litreview.read_listing(path, errors="raise")
    for column in ("paper_id", "title", "authors", "abstract", "published", "arxiv_id", "url"):
        assert back[column].tolist() == papers[column].tolist(), column
    for column in ("code_urls", "project_urls", "keywords"):
        assert back[column].tolist() == papers[column].tolist(), column


def test_detection() -> None:
    assert looks_like_ris("TY  - JOUR\nTI  - x\nER  - \n")
    assert not looks_like_ris("TY - JOUR\n")


def test_a_url_with_a_semicolon_is_read_whole() -> None:
    """rispy splits ``UR`` at ``;``: a Wiley SICI DOI link must come back in one piece,
    not cut at ``…3.0.CO`` with the ``2-P`` tail lost."""
    papers = litreview.read_listing(TESTS / "fixtures" / "links_wiley.ris", errors="raise")
    urls = [papers.loc[0, "url"], *papers.loc[0, "project_urls"]]
    assert any(u and u.endswith("3.0.CO;2-P") for u in urls), urls
    assert papers.loc[1, "url"].endswith("<1::AID-AGR1>3.0.CO;2-0")
