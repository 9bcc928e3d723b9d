"""Property tests of the table readers (CSV, TSV, .xlsx) with other tools' headers: a
row that is read alone is still read, unchanged, whatever broken rows stand before
and after it; and the only exception ``read_listing`` raises is ``ListingError``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import warnings
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litreview import ListingError, read_listing
from litreview.errors import ListingWarning

EXAMPLES = int(os.environ.get("LITREVIEW_FUZZ_EXAMPLES", "30"))
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
HEADERS = [  # the shapes of real exports: title, authors, year, DOI, a date, a kept column
    ["Title", "Authors", "Year", "DOI", "Date", "Cited by"],
    ["Document Title", "Authors", "Publication Year", "DOI", "Online Date", "Publisher"],
    ["TI", "AU", "PY", "DI", "PD", "UT"],
    ["Item Title", "Authors", "Publication Year", "Item DOI", "Date", "Content Type"],
    ["title", "authors", "year", "doi", "asreview_time", "asreview_label"],
]
_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029"),
    max_size=30,
)
GOOD_ROW = st.tuples(
    _TEXT.filter(lambda t: t.strip() != ""),
    _TEXT,
    st.integers(1700, 2200).map(str) | st.just(""),
    st.sampled_from(["", "10.1000/abc", "https://doi.org/10.1000/x;y", "doi: 10.1234/q"]),
    st.sampled_from(["", "2021-03-04", "Mar 2020", "MAR 15", "not a date", "1982--1983"]),
    _TEXT,
).map(list)
BROKEN = st.sampled_from(
    [
        '"an open quote, never closed',
        '"He said "hi", and left',
        ",,,,,,,,,,,,,,",
        ",only,a,doi,10.1000/z,,",
        '"""',
        "\t;\t;,",
        'x,"a""b"c,y',
        ",,99999999999999999999999999,,,",
        ",,,,,",
    ]
)


def _line(cells: list[str], delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerow(cells)
    return out.getvalue()


def _titles(text: str) -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ListingWarning)
        return read_listing(text, format="csv", errors="warn")["title"].dropna().tolist()


@PROPERTY
@given(
    header=st.sampled_from(HEADERS),
    delimiter=st.sampled_from([",", ";", "\t"]),
    rows=st.lists(st.one_of(GOOD_ROW, BROKEN), min_size=1, max_size=8),
)
def test_a_row_read_alone_survives_its_broken_neighbours(
    header: list[str], delimiter: str, rows: list[Any]
) -> None:
    head = _line(header, delimiter)
    lines = [r if isinstance(r, str) else _line(r, delimiter) for r in rows]
    lines = [line if line.endswith("\n") else line.replace(",", delimiter) + "\n" for line in lines]
    alone = {}
    for row, line in zip(rows, lines, strict=True):
        if isinstance(row, list) and _titles(head + line) == [row[0].strip()]:
            alone[len(alone)] = row[0].strip()
    together = _titles(head + "".join(lines))
    for title in alone.values():
        assert title in together


@PROPERTY
@given(
    header=st.sampled_from(HEADERS),
    body=st.text(
        st.characters(blacklist_categories=("Cs",)) | st.sampled_from(['"', ",", "\n", "\t"]),
        max_size=200,
    ),
)
def test_any_table_text_is_read_or_refused_with_listing_error(header: list[str], body: str) -> None:
    for errors in ("raise", "ignore"):
        try:
            df = read_listing(",".join(header) + "\n" + body, format="csv", errors=errors)
        except ListingError:
            continue
        assert df["title"].notna().sum() + df["doi"].notna().sum() >= len(df)


CELL = st.one_of(
    st.none(),
    _TEXT,
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(dt.datetime(1000, 1, 1), dt.datetime(2999, 12, 31)),
)


def _xlsx(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append([_safe(c) for c in row])
    book.save(path)
    return path


def _safe(value: Any) -> Any:
    """A cell openpyxl can write (it refuses control characters and huge integers)."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch.isprintable() or ch == " ")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
        return str(value)
    return value


@PROPERTY
@given(
    header=st.sampled_from(HEADERS),
    rows=st.lists(st.lists(CELL, min_size=0, max_size=8), min_size=1, max_size=6),
)
def test_xlsx_rows_with_a_title_are_read_whatever_the_other_cells(
    tmp_path_factory: Any, header: list[str], rows: list[list[Any]]
) -> None:
    path = _xlsx(tmp_path_factory.mktemp("x") / "t.xlsx", header, rows)
    titled = [
        _safe(r[0]).strip() for r in rows if r and isinstance(r[0], str) and _safe(r[0]).strip()
    ]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ListingWarning)
            df = read_listing(path)
    except ListingError:
        assert not titled and not rows  # refused only when it holds no record
        return
    assert set(titled) <= set(df["title"].dropna())
    assert pd.Series(df["source_line"]).is_monotonic_increasing


@PROPERTY
@given(
    cut=st.integers(0, 10_000),
    flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=4),
)
def test_a_damaged_workbook_is_read_or_refused_with_listing_error(
    tmp_path_factory: Any, cut: int, flips: list[tuple[int, int]]
) -> None:
    folder = tmp_path_factory.mktemp("d")
    good = _xlsx(folder / "good.xlsx", HEADERS[0], [["A", "X Y", 2020, "10.1000/a", "", 1]])
    data = bytearray(good.read_bytes())
    for at, value in flips:
        data[at % len(data)] = value
    damaged = folder / "damaged.xlsx"
    damaged.write_bytes(bytes(data[: max(4, len(data) - cut)]))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            read_listing(damaged)
    except ListingError:
        pass
