"""The .xlsx reader: other tools' Excel exports through the same row pipeline as CSV,
cells read as the workbook holds them, the workbook closed on every path."""

from __future__ import annotations

import datetime as dt
import gc
import warnings
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

import litreview
from litreview.errors import ListingError, ListingWarning
from litreview.readers.table_xlsx import read_xlsx

SCOPUS_HEADER = ["Authors", "Title", "Year", "Source title", "DOI", "Link", "Document Type"]


def _book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def scopus_xlsx(tmp_path: Path) -> Path:
    return _book(
        tmp_path / "scopus.xlsx",
        {
            "scopus": [
                [*SCOPUS_HEADER, "Cited by", "Score"],
                [
                    "Moreau L.; Okafor C.",
                    "Screening with active learning",
                    2021,
                    "J Rev Methods",
                    "https://doi.org/10.1000/jrm.1",
                    "https://x.org/1",
                    "Article",
                    7,
                    0.25,
                ],
                [
                    "Tanaka H.",
                    "Deduplication at scale",
                    2019.0,
                    "Proc. WES",
                    None,
                    None,
                    "Conference Paper",
                    None,
                    1.5,
                ],
            ]
        },
    )


def test_an_xlsx_export_reads_like_its_csv(scopus_xlsx: Path) -> None:
    df = litreview.read_listing(scopus_xlsx, errors="raise")
    assert df["title"].tolist() == ["Screening with active learning", "Deduplication at scale"]
    assert df.loc[0, "authors"] == ["Moreau L.", "Okafor C."]
    assert df["published"].tolist() == [pd.Timestamp(2021, 1, 1), pd.Timestamp(2019, 1, 1)]
    assert df.loc[0, "doi"] == "10.1000/jrm.1"
    assert df["entry_type"].tolist() == ["article", "inproceedings"]
    assert df["venue"].tolist() == ["J Rev Methods", "Proc. WES"]
    assert df["Cited by"].dtype == "Int64" and df.loc[0, "Cited by"] == 7  # numbers as numbers
    assert df["Score"].tolist() == [0.25, 1.5]
    assert df.loc[0, "extra"]["Cited by"] == "7"
    assert df["source_line"].tolist() == [2, 3]  # the sheet's row numbers
    assert df.loc[1, "sources"] == ["scopus.xlsx:3"]


def test_date_cells_are_days_and_a_suffix_is_not_needed(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "export",
        {
            "Sheet1": [
                ["title", "date", "asreview_time"],
                ["A", dt.datetime(2020, 5, 17), dt.datetime(2024, 1, 2, 9, 30)],
                ["B", dt.date(1999, 12, 31), None],
            ]
        },
    )
    df = litreview.read_listing(path, errors="raise")
    assert df["published"].tolist() == [pd.Timestamp(2020, 5, 17), pd.Timestamp(1999, 12, 31)]
    assert df["date_precision"].tolist() == ["day", "day"]
    assert df.loc[0, "extra"]["asreview_time"] == "2024-01-02 09:30:00"


def test_the_sheet_holding_the_records_is_read_below_a_banner(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "covidence.xlsx",
        {
            "About": [["Exported from a screening tool"], ["on 2024-05-01"]],
            "Records": [
                ["Included studies"],
                [],
                ["Title", "Authors", "Published Year", "Covidence #"],
                ["Yoga versus stretching", "Nguyen, T.", 2016, "#13"],
                [None, None, None, None],
                ["", "No title", 2017, "#14"],
                ["Walking", "Roe, R.", "twenty", "#15"],
            ],
        },
    )
    with pytest.warns(ListingWarning) as caught:
        df = litreview.read_listing(path)
    assert df["title"].tolist() == ["Yoga versus stretching", "Walking"]
    assert df.loc[0, "extra"]["Covidence #"] == "#13"
    message = str(caught[0].message)
    assert "covidence.xlsx:6: expected a title in column 'Title'" in message
    assert "covidence.xlsx:7" in message  # 'twenty' is no year: kept, reported
    assert df.loc[1, "extra"]["Published Year"] == "twenty"


def test_a_workbook_without_records_names_the_sheets_tried(tmp_path: Path) -> None:
    path = _book(tmp_path / "x.xlsx", {"One": [["a", "b"], [1, 2]], "Two": [["c"]]})
    with pytest.raises(ListingError, match=r"x\.xlsx: expected a sheet .* 'One', 'Two'"):
        litreview.read_listing(path)


def test_damaged_and_legacy_workbooks_are_one_listing_error(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(damaged, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not really")
    with pytest.raises(ListingError, match=r"damaged\.xlsx: not a readable \.xlsx workbook"):
        litreview.read_listing(damaged)
    legacy = tmp_path / "old.xls"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(ListingError, match=r"old\.xls: an \.xls workbook or a password"):
        litreview.read_listing(legacy)
    truncated = tmp_path / "cut.xlsx"
    truncated.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(ListingError, match=r"cut\.xlsx"):
        litreview.read_listing(truncated)


def test_the_workbook_is_closed_on_every_path(tmp_path: Path, scopus_xlsx: Path) -> None:
    empty = _book(tmp_path / "empty.xlsx", {"S": []})
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        read_xlsx(scopus_xlsx)
        with pytest.raises(ListingError):
            read_xlsx(empty)
        gc.collect()
    scopus_xlsx.unlink()  # nothing holds it
    assert not scopus_xlsx.exists()


def test_a_review_adds_an_xlsx(tmp_path: Path, scopus_xlsx: Path) -> None:
    with litreview.Review.open(tmp_path / "r.litreview") as review:
        summary = review.add(scopus_xlsx)
        assert summary.new == 2
        assert set(review.papers["venue"]) == {"J Rev Methods", "Proc. WES"}


def test_a_second_sheet_of_records_is_reported_not_dropped_silently(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "two.xlsx",
        {"Included": [["Title"], ["A"]], "Notes": [["free text"]], "Excluded": [["Title"], ["B"]]},
    )
    with pytest.warns(ListingWarning, match=r"sheet 'Excluded' holds records too"):
        df = litreview.read_listing(path)
    assert df["title"].tolist() == ["A"]


def test_an_open_review_is_never_opened_as_a_workbook(tmp_path: Path, monkeypatch: Any) -> None:
    opened: list[Path] = []
    real_open = Path.open

    def spy(self: Path, *args: Any, **kwargs: Any) -> Any:
        opened.append(self)
        return real_open(self, *args, **kwargs)

    with litreview.Review.open(tmp_path / "r.litreview") as review:
        monkeypatch.setattr(Path, "open", spy)
        with pytest.raises(ListingError, match="a review this process has open"):
            litreview.read_listing(review.path)
        monkeypatch.undo()
    assert review.path not in opened  # Python's open() + close() would drop SQLite's locks
