"""BibTeX files: LaTeX decoded, names turned around, broken entries reported; round trips."""

from __future__ import annotations

import warnings
from pathlib import Path

import bibtexparser
import pandas as pd
import pytest
from bibtexparser.model import Entry, Field

import litreview
from litreview import read_listing
from litreview.errors import ListingWarning
from litreview.readers.bibtex import looks_like_bibtex, person_name
from tests.paths import TESTS

CAPTURES = TESTS / "fixtures" / "captures"


@pytest.fixture(scope="module")
def papers() -> pd.DataFrame:
    with pytest.warns(ListingWarning) as caught:
        df = litreview.read_listing(CAPTURES / "refs.bib")
    message = str(caught[0].message)
    assert "refs.bib:24: expected a BibTeX entry" in message  # the unclosed brace
    assert "refs.bib:36: expected a title field" in message
    return df


def test_latex_is_decoded(papers: pd.DataFrame) -> None:
    row = papers.iloc[0]
    assert row["title"] == "Café Agents: Tool Use in the Wild"
    assert row["paper_id"] == litreview.paper_id("Café Agents: Tool Use in the Wild")
    assert row["authors"] == ["Jörg Müller", "Jane Doe", "Anna van der Berg"]
    assert row["abstract"] == (
        "Agents that call tools fail in ways benchmarks do not show. "
        "We study 40% of three hundred real sessions & more."
    )
    assert row["arxiv_id"] == "2605.08583"  # from the journal field
    assert row["published"] == pd.Timestamp("2026-05-01")  # year + month
    assert row["keywords"] == ["agents", "tool use", "evaluation"]
    assert (row["source"], row["source_line"]) == ("refs.bib", 4)


def test_eprint_date_others_code_url_and_doi(papers: pd.DataFrame) -> None:
    sparse = papers.iloc[1]
    assert sparse["arxiv_id"] == "2410.05434"  # eprint with a version
    assert sparse["published"] == pd.Timestamp("2024-10-07")
    assert sparse["authors"] == ["Jane Doe"] and pd.isna(sparse["n_authors"])  # "and others"
    assert sparse["code_urls"] == ["https://github.com/example-lab/smr"] and pd.isna(sparse["url"])
    doi = papers.iloc[2]
    assert doi["title"] == "Only a DOI: Learning from α-Divergences"
    assert doi["authors"] == ["John Smith Jr"]
    assert doi["url"] == "https://doi.org/10.18653/v1/P19-1001"
    assert pd.isna(doi["arxiv_id"]) and doi["published"] == pd.Timestamp("2019-01-01")
    assert len(papers) == 3
    litreview.validate(papers)


def test_round_trip_through_bibtexparser_writer(tmp_path: Path) -> None:
    library = bibtexparser.Library()
    library.add(
        Entry(
            "misc",
            "k1",
            [
                Field("title", "{S}tructured {P}runing of {LLM}s"),
                Field("author", "Lovelace, Ada and Turing, Alan"),
                Field("year", "2025"),
                Field("month", "3"),
                Field("eprint", "2503.00001"),
                Field("abstract", "We prune 50\\% of weights."),
            ],
        )
    )
    path = tmp_path / "written.bib"
    path.write_text(bibtexparser.write_string(library), encoding="utf-8")
    back = litreview.read_listing(path, errors="raise")
    assert back.loc[0, "title"] == "Structured Pruning of LLMs"
    assert back.loc[0, "authors"] == ["Ada Lovelace", "Alan Turing"]
    assert back.loc[0, "published"] == pd.Timestamp("2025-03-01")
    assert back.loc[0, "arxiv_id"] == "2503.00001"
    assert back.loc[0, "abstract"] == "We prune 50% of weights."


def test_round_trip_through_litreview_export(tmp_path: Path) -> None:
    papers = litreview.read_listing(CAPTURES / "daily_papers.json")
    path = tmp_path / "out.bib"
    path.write_text(litreview.to_bibtex(papers), encoding="utf-8")
    back = litreview.read_listing(path, errors="raise")
    assert back["paper_id"].tolist() == papers["paper_id"].tolist()
    assert back["title"].tolist() == papers["title"].tolist()
    assert back["authors"].tolist() == papers["authors"].tolist()
    assert back["arxiv_id"].tolist() == papers["arxiv_id"].tolist()
    assert back["abstract"].tolist() == papers["abstract"].tolist()
    assert back["keywords"].tolist() == papers["keywords"].tolist()
    # BibTeX keeps year and month only
    assert (back["published"].dt.to_period("M") == papers["published"].dt.to_period("M")).all()


def test_detection_and_names() -> None:
    assert looks_like_bibtex("% comment\n@Article{key,\n")
    assert not looks_like_bibtex("Contact me @home {soon}\n")
    assert person_name("van der Berg, Anna") == "Anna van der Berg"
    assert person_name("Jane Doe") == "Jane Doe"


def test_two_entries_with_one_key_and_different_titles_are_both_kept() -> None:
    text = (
        '@string{acl = "ACL"}\n@misc{k, title={One}}\n\n'
        '@misc{k, title="Two {X}", journal=acl}\n\n@misc{j, title={Same}}\n@misc{j, title={Same}}\n'
    )
    with pytest.warns(ListingWarning, match=r"<text>:4: expected a citation key not used before"):
        df = read_listing(text)
    assert df.title.tolist() == ["One", "Two X", "Same"]  # the identical one is read once
    assert df.source_line.tolist() == [2, 4, 6]


def test_identical_duplicates_merge_without_a_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        df = read_listing("@misc{j, title={Same}}\n\n@misc{j, title={Same}}\n")
    assert df.title.tolist() == ["Same"]
