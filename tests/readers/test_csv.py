"""CSV reader: other tools' CSVs map by column name; bad rows become problems."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import litreview
from litreview.errors import ListingError, ListingWarning
from litreview.readers.table_csv import looks_like_csv, parse_csv, split_authors
from tests.paths import TESTS

FIXTURES = TESTS / "fixtures" / "export"


def test_foreign_csv_maps_common_columns_case_insensitively(tmp_path: Path) -> None:
    path = tmp_path / "zotero.csv"
    path.write_bytes((FIXTURES / "zotero-like.csv").read_bytes())  # with a BOM, as Zotero writes
    df = litreview.read_listing(path, errors="raise")
    assert list(df["title"]) == ["Attention Is All You Need", "Second Paper"]
    assert df.loc[0, "authors"] == ["Vaswani, Ashish", "Shazeer, Noam"]
    assert df.loc[1, "authors"] == ["Ashish Vaswani", "Jane Doe"]
    assert df.loc[0, "n_authors"] == 2
    assert df.loc[0, "published"] == pd.Timestamp("2017-01-01")
    assert df.loc[0, "arxiv_id"] == "1706.03762"
    assert pd.isna(df.loc[1, "arxiv_id"])
    assert df.loc[0, "abstract"] == "We propose, a model."
    assert df.loc[0, "tags"] == ["nlp", "attention"]
    assert df.loc[0, "doi"] == "10.48550/arXiv.1706.03762"
    assert df.loc[0, "paper_id"] == litreview.paper_id("Attention Is All You Need")
    assert list(df["source_line"]) == [2, 3]
    assert df.loc[1, "sources"] == ["zotero.csv:3"]
    # columns with no match are kept, numbers as numbers
    assert df["Key"].tolist() == ["ABC", "DEF"]
    assert df["Extra"].dtype == "Int64"


def test_dates_and_semicolon_delimiter() -> None:
    text = "title;date;URL\nA;Jan 25, 2025;https://x.org/a\nB;2024-02-03T10:00:00Z;\n"
    df = litreview.read_listing(text, errors="raise")
    assert list(df["published"]) == [pd.Timestamp("2025-01-25"), pd.Timestamp("2024-02-03 10:00")]
    assert df.loc[0, "url"] == "https://x.org/a"


def test_unreadable_rows_are_reported_not_dropped_silently() -> None:
    text = (
        "Title,Date,Extra\nGood,2020-01-01,x\n,2020-01-02,no title\nBad date,Jam 3,x\n"
        'Too,many,fields,here\n"Open quote,2020,x\n'
    )
    cols, problems = parse_csv(text, "t.csv")
    assert cols["title"] == ["Good"]
    lines = [(p.line, p.expected) for p in problems]
    assert lines[0] == (3, "a title in column 'Title'")
    assert lines[1][0] == 4 and "date" in lines[1][1]
    assert lines[2][0] == 5 and "3 fields" in lines[2][1]
    assert lines[3][0] == 6
    with pytest.warns(ListingWarning, match="4 block"):
        df = litreview.read_listing(text)
    assert len(df) == 1
    with pytest.raises(ListingError, match="<text>:3"):
        litreview.read_listing(text, errors="raise")


def test_detection_needs_a_title_column() -> None:
    assert looks_like_csv("Title,Authors\nx,y\n")
    assert looks_like_csv("\n  \npaper title\tyear\n")
    assert not looks_like_csv("name,value\n")
    assert not looks_like_csv("@misc{x,\n title={y}}\n")
    assert not looks_like_csv("| Title | Year |\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        df = litreview.read_listing("Title,Abstract\nOnly,One\n", format="csv")
    assert df.loc[0, "abstract"] == "One"


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("A. Smith; B. Jones", ["A. Smith", "B. Jones"]),
        ("Smith, A. and Jones, B.", ["Smith, A.", "Jones, B."]),
        ("Ann Smith, Bo Jones", ["Ann Smith", "Bo Jones"]),
        ("Smith, Ann", ["Smith, Ann"]),
        ("", []),
    ],
)
def test_split_authors(cell: str, names: list[str]) -> None:
    assert split_authors(cell) == names


@pytest.mark.timeout(30)
def test_a_csv_with_twenty_thousand_columns_reads_in_linear_time() -> None:
    # Adding the columns one by one to the DataFrame was quadratic (10k took 13.6 s).
    n = 20_000
    header = "Title," + ",".join(f"c{i}" for i in range(n))
    rows = [f"{title}," + ",".join(str(i * k) for i in range(n)) for k, title in enumerate("AB")]
    df = litreview.read_listing("\n".join([header, *rows]) + "\n", errors="raise")
    assert df.title.tolist() == ["A", "B"]
    assert df["c19999"].tolist() == [0, 19999]
    assert df.shape[1] == len(litreview.schema.PAPER_COLUMNS) + n


def test_a_stray_quote_costs_only_its_own_row() -> None:
    text = 'Title,Abstract\nP1,"one\nP2,two\nP3,"three, x"\n'
    with pytest.warns(ListingWarning, match=r"<text>:2: expected a CSV row with matching quotes"):
        df = litreview.read_listing(text)
    assert df.title.tolist() == ["P2", "P3"]
    assert df.abstract.tolist() == ["two", "three, x"]


def test_a_carriage_return_inside_a_quoted_cell_is_kept(tmp_path: Path) -> None:
    # the csv module sees the lines as written (newline=""), not universal newlines
    text = 'Title,Abstract\r\nA,"x\ry"\r\nB,z\r\n'
    path = tmp_path / "cr.csv"
    path.write_bytes(("\ufeff" + text).encode("utf-8"))
    for source in (path, text):
        df = litreview.read_listing(source, errors="raise")
        assert df.abstract.tolist() == ["x\ry", "z"]
        assert df.title.tolist() == ["A", "B"]
