"""read_listings: the same papers from several captures merge into one row each."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import litreview
from litreview.ids import arxiv_variant_id
from litreview.readers.merge import merge_papers, merge_rows, read_listing_and_format
from litreview.schema import papers_from_columns
from tests.paths import TESTS

CAPTURES = TESTS / "fixtures" / "captures"
PLAIN = CAPTURES / "daily-plain.txt"
FORMS = [CAPTURES / "daily.md", CAPTURES / "daily-linked.txt", CAPTURES / "daily_papers.json"]


@pytest.fixture(scope="module")
def merged() -> tuple[pd.DataFrame, pd.DataFrame]:
    result = litreview.read_listings([*FORMS, PLAIN], year=2026, errors="raise", report=True)
    assert isinstance(result, tuple)
    return result


def test_each_format_is_detected() -> None:
    names = [read_listing_and_format(p, year=2026)[1] for p in [PLAIN, *FORMS]]
    assert names == ["hf-text", "hf-markdown", "hf-linked-text", "hf-json"]


def test_one_row_per_paper_with_the_plain_copy_ids(
    merged: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    papers, _ = merged
    plain = litreview.read_listing(PLAIN, year=2026)
    assert len(papers) == 5  # four shared papers + one only in the Markdown capture
    shared = papers.set_index("paper_id").loc[plain["paper_id"]]
    assert shared["title"].tolist() == plain["title"].tolist()
    assert shared["arxiv_id"].tolist() == ["2410.05434", "2502.20581", "2605.08583", "2403.01774"]
    assert shared["upvotes"].tolist() == [80, 0, 2, 101]  # the larger count wins
    assert shared["comments"].tolist() == [3, 2, 1, 6]
    assert shared["n_authors"].tolist() == [6, 3, 1, 9]
    assert shared.loc[plain.loc[0, "paper_id"], "authors"][:2] == ["Ada Lovelace", "Alan Turing"]
    assert shared["source"].tolist() == ["daily-plain.txt"] * 4  # the preferred row
    assert shared.loc[plain.loc[0, "paper_id"], "sources"] == [
        "daily-plain.txt:11",
        "daily-linked.txt:30",
        "daily.md:22",
        "daily_papers.json:2",
    ]
    assert shared.loc[plain.loc[0, "paper_id"], "project_urls"] == [
        "https://example-lab.github.io/smr"
    ]
    assert shared.loc[plain.loc[2, "paper_id"], "organization"] == "University of Example"
    litreview.validate(papers)


def test_report_says_what_was_merged_and_why(merged: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    _, report = merged
    assert report["rows"].tolist() == [4, 4, 4, 4]
    assert set(report["matched_on"]) == {
        "same arXiv id; rows without an id matched by normalized title"
    }
    assert report["merged_ids"].tolist() == [[], [], [], []]
    assert list(report.columns) == [
        "paper_id",
        "title",
        "rows",
        "matched_on",
        "merged_ids",
        "sources",
    ]


def test_first_row_id_and_preferred_title_even_when_titles_differ() -> None:
    # ids are given in the order rows come, as Review.add gives them (issue 14: a
    # frame's and a review's ids agree); the title is still the preferred row's
    plain = papers_from_columns(
        {"paper_id": [litreview.paper_id("Old Title")], "title": ["Old Title"], "upvotes": [None]}
    )
    api = papers_from_columns(
        {
            "paper_id": [litreview.paper_id("New Title v2")],
            "title": ["New Title v2"],
            "arxiv_id": ["2401.00001"],
            "upvotes": [5],
        }
    )
    markdown = papers_from_columns(
        {
            "paper_id": [litreview.paper_id("Old Title")],
            "title": ["Old  title!"],
            "arxiv_id": ["2401.00001v2"],
        }
    )
    out, report = merge_papers([api, markdown, plain], ["hf-json", "hf-markdown", "hf-text"])
    assert len(out) == 1
    assert (out.loc[0, "paper_id"], out.loc[0, "title"]) == (
        litreview.paper_id("New Title v2"),
        "Old Title",
    )
    assert (out.loc[0, "arxiv_id"], out.loc[0, "upvotes"]) == ("2401.00001", 5)
    assert report.loc[0, "merged_ids"] == [litreview.paper_id("Old Title")]
    first, report = merge_papers([plain, markdown, api], ["hf-text", "hf-markdown", "hf-json"])
    assert (first.loc[0, "paper_id"], first.loc[0, "title"]) == (
        litreview.paper_id("Old Title"),
        "Old Title",
    )  # the plain copy listed first keeps its id
    assert report.loc[0, "merged_ids"] == [litreview.paper_id("New Title v2")]
    # a later row never joins two papers already apart (a review cannot either)
    apart = merge_papers([plain, api, markdown], ["hf-text", "hf-json", "hf-markdown"])[0]
    assert apart["paper_id"].tolist() == [litreview.paper_id("Old Title"), api.loc[0, "paper_id"]]


def test_different_arxiv_ids_never_merge_nor_share_an_id() -> None:
    # the one "same paper" rule (litreview.ids): a row without an arXiv id joins the
    # first paper of its id or title; two arXiv ids never share a paper_id
    a = papers_from_columns({"paper_id": ["x"], "title": ["Same"], "arxiv_id": ["2401.00001"]})
    b = papers_from_columns({"paper_id": ["x"], "title": ["Same"], "arxiv_id": ["2401.00002"]})
    c = papers_from_columns({"paper_id": ["x"], "title": ["same"]})
    out, report = merge_papers([a, b, c])
    assert out["arxiv_id"].fillna("").tolist() == ["2401.00001", "2401.00002"]
    assert out["paper_id"].tolist() == ["x", arxiv_variant_id("Same", "2401.00002")]
    assert out["paper_id"].is_unique
    assert report["rows"].tolist() == [2]
    assert report["matched_on"].tolist() == [
        "same arXiv id; rows without an id matched by normalized title"
    ]


def test_title_only_matches_and_richest_abstract() -> None:
    a = papers_from_columns({"paper_id": ["1"], "title": ["Café: A Study"], "abstract": ["Short."]})
    b = papers_from_columns(
        {"paper_id": ["2"], "title": ["cafe a study"], "abstract": ["A longer abstract."]}
    )
    out, report = merge_papers([a, b])
    assert out["abstract"].tolist() == ["A longer abstract."]
    assert out["paper_id"].tolist() == ["1"]  # earlier table wins among equals
    assert report["matched_on"].tolist() == ["same normalized title"]


def test_dataframes_and_empty_input() -> None:
    plain = litreview.read_listing(PLAIN, year=2026)
    again = litreview.read_listings([plain, PLAIN], year=2026)
    assert isinstance(again, pd.DataFrame)
    assert again["paper_id"].tolist() == plain["paper_id"].tolist()
    assert again.loc[0, "sources"] == ["daily-plain.txt:11"]  # the same place once
    empty = litreview.read_listings([])
    assert isinstance(empty, pd.DataFrame) and empty.empty
    litreview.validate(empty)


def test_our_csv_export_reads_back_and_merges(tmp_path: Path) -> None:
    papers = litreview.read_listings([*FORMS, PLAIN], year=2026)
    assert isinstance(papers, pd.DataFrame)
    path = tmp_path / "merged.csv"
    path.write_text(litreview.to_csv(papers), encoding="utf-8")
    back = litreview.read_listing(path, errors="raise")
    assert back["paper_id"].tolist() == papers["paper_id"].tolist()
    assert back["upvotes"].tolist() == papers["upvotes"].tolist()
    again = litreview.read_listings([path, CAPTURES / "daily.md"])
    assert isinstance(again, pd.DataFrame)
    assert again["paper_id"].tolist() == papers["paper_id"].tolist()


def test_unknown_format_names_file_and_formats_tried(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\nnothing like a listing\n")
    with pytest.raises(litreview.ListingError, match=r"notes\.txt.*tried hf-json, bibtex, ris"):
        litreview.read_listings([PLAIN, path])


def test_merge_rows_follows_the_merge_rules_within_given_groups() -> None:
    df = papers_from_columns(
        {
            "paper_id": ["a", "b", "c"],
            "title": ["A", "B", "C"],
            "abstract": ["short", None, "the longest abstract"],
            "upvotes": [3, 9, 5],
            "keywords": [["x"], ["y"], ["z", "x"]],
            "sources": [["f:1"], ["f:2"], ["g:7"]],
        }
    )
    merged = merge_rows(df, ["p", "q", "p"])
    assert merged["paper_id"].tolist() == ["a", "b"]
    assert merged.loc[0, "abstract"] == "the longest abstract"
    assert merged.loc[0, "upvotes"] == 5
    assert merged.loc[0, "keywords"] == ["x", "z"]
    assert merged.loc[0, "sources"] == ["f:1", "g:7"]
    litreview.validate(merged)
    assert merge_rows(df.iloc[:0], []).empty
    with pytest.raises(ValueError, match="2 group labels for 3 rows"):
        merge_rows(df, [1, 2])


def test_one_listing_gives_two_arxiv_ids_of_one_title_two_ids() -> None:
    text = (
        "@misc{a, title = {Attention}, eprint = {1111.11111}, archivePrefix = {arXiv}}\n"
        "@misc{b, title = {Attention}, eprint = {2222.22222}, archivePrefix = {arXiv}}\n"
        "@misc{c, title = {Attention}, eprint = {1111.11111v2}, archivePrefix = {arXiv}}\n"
    )
    df = litreview.read_listing(text)
    assert df["paper_id"].tolist() == [
        litreview.paper_id("Attention"),
        arxiv_variant_id("Attention", "2222.22222"),
        litreview.paper_id("Attention"),  # the same paper again: the same id
    ]
    assert litreview.read_listings([text])["paper_id"].is_unique


def test_path_or_text_is_decided_in_one_place() -> None:
    from litreview.readers import is_listing_text

    assert is_listing_text("Title\n") and is_listing_text("a\rb") and is_listing_text("")
    assert not is_listing_text("daily.txt") and not is_listing_text(PLAIN)
    assert not is_listing_text(b"Title\n")


def test_merged_rows_keep_every_extra_field_and_the_finer_date() -> None:
    df = papers_from_columns(
        {
            "paper_id": ["a", "a"],
            "title": ["A", "A"],
            "published": pd.to_datetime(["1875-01-01", "1875-06-01"]),
            "date_precision": ["year", "month"],
            "extra": [{"pages": "1", "note": "x"}, {"note": "y", "isbn": "2"}],
        }
    )
    row = merge_rows(df, [0, 0]).iloc[0]
    assert row["extra"] == {"pages": "1", "note": "x", "note_2": "y", "isbn": "2"}
    assert (row["published"], row["date_precision"]) == (pd.Timestamp("1875-06-01"), "month")
