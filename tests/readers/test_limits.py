"""Values beyond what the paper table holds are reported, never wrapped around.

Dates are ``datetime64[us]``, read for 1000-01-01 .. 2999-12-31 (every year in
between exactly, test_dates.py) and counts ``Int64``: a value outside is left out
of its paper (NaT / NA), the paper is kept, and a ListingWarning names the file,
line, value and the range.
"""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

import litreview
from litreview import ListingError, ListingWarning, read_listing
from tests.paths import TESTS

CAPTURES = TESTS / "fixtures" / "captures"
HUGE = "1" * 20  # beyond Int64


def read_warned(text: str, **kw: object) -> tuple[pd.DataFrame, str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = read_listing(text, **kw)  # type: ignore[arg-type]
    messages = [str(w.message) for w in caught if issubclass(w.category, ListingWarning)]
    assert len(messages) == 1, messages
    return df, messages[0]


@pytest.mark.parametrize(
    ("text", "line", "shown"),
    [
        ("Title,Year\nA,3024\nB,2020\n", 2, "Year='3024'"),
        ("Title,Date\nA,3000-01-01\nB,2020-01-01\n", 2, "Date='3000-01-01'"),
        ("Title,Date\nA,0999-12-31\nB,2020-01-01\n", 2, "Date='0999-12-31'"),
        ("paper_id,title,published\na,A,3024-01-01\nb,B,2020-01-01\n", 2, "published="),
    ],
)
def test_csv_dates_out_of_range_are_reported_not_wrapped(text: str, line: int, shown: str) -> None:
    df, message = read_warned(text)
    assert df.title.tolist() == ["A", "B"]  # the paper is kept
    assert pd.isna(df.loc[0, "published"])  # not 1854-11-22 or 1677-09-21
    assert df.loc[1, "published"] == pd.Timestamp("2020-01-01")
    assert f"<text>:{line}:" in message and shown in message
    assert "kept" in message


def test_csv_counts_beyond_int64_are_reported_not_wrapped() -> None:
    df, message = read_warned(f"paper_id,title,upvotes\na,A,{HUGE}\nb,B,3\n")
    assert df.title.tolist() == ["A", "B"]
    assert pd.isna(df.loc[0, "upvotes"])  # not -9223372036854775808
    assert df.loc[1, "upvotes"] == 3
    assert "<text>:2:" in message and HUGE in message and "9,223,372,036,854,775,807" in message


def test_an_unknown_csv_column_of_huge_numbers_keeps_its_text() -> None:
    df = read_listing(f"Title,Citations\nA,{HUGE}\nB,3\n", errors="raise")
    assert df["Citations"].tolist() == [HUGE, "3"]


def _with(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def _sample() -> str:
    return litreview.SAMPLE_LISTING.read_text(encoding="utf-8")


def _capture(name: str) -> str:
    return (CAPTURES / name).read_text(encoding="utf-8")


CASES = {
    "bibtex": ("@misc{a, title={A}, year={3024}}\n\n@misc{b, title={B}, year={2020}}\n", "A"),
    "ris": ("TY  - JOUR\nTI  - A\nPY  - 3024\nER  - \n\nTY  - JOUR\nTI  - B\nER  - \n", "A"),
    "hf-json": (
        json.dumps([{"title": "A", "publishedAt": "3024-01-01"}, {"title": "B"}]) + "\n",
        "A",
    ),
    "hf-markdown": (
        _with(_capture("daily.md"), "Oct 7, 2024", "Oct 7, 3024"),
        "Sparse Mixture Routers for Long-Context Retrieval",
    ),
    "hf-linked-text": (
        _with(_capture("daily-linked.txt"), "Oct 7, 2024", "Oct 7, 3024"),
        "Sparse Mixture Routers for Long-Context Retrieval",
    ),
    "hf-text": (_with(_sample(), "Jan 25, 2025", "Jan 25, 3025"), None),
}


@pytest.mark.parametrize("fmt", list(CASES))
def test_every_reader_reports_a_date_out_of_range(fmt: str) -> None:
    text, title = CASES[fmt]
    good = read_listing(text.replace("3024", "2024").replace("3025", "2025"), format=fmt, year=2026)
    df, message = read_warned(text, format=fmt, year=2026)
    assert len(df) == len(good)  # nothing dropped
    first = df.iloc[0]
    assert title is None or first["title"] == title
    assert pd.isna(first["published"])
    assert "between 1000-01-01 and 2999-12-31" in message and "302" in message
    assert df.iloc[1:].equals(good.iloc[1:])  # the others untouched


COUNTS = {
    "hf-json": (
        json.dumps([{"title": "A", "upvotes": int(HUGE), "numComments": int(HUGE)}, {"title": "B"}])
        + "\n",
        ("upvotes", "comments"),
    ),
    "hf-markdown": (_with(_capture("daily.md"), "[74]", f"[{HUGE}]"), ("upvotes",)),
    "hf-linked-text": (_with(_capture("daily-linked.txt"), "[-] 74", f"[-] {HUGE}"), ("upvotes",)),
    "hf-text": (
        _with(
            _with(_sample(), "• 11 authors", f"• {HUGE} authors"),
            "Jan 25, 2025",
            f"Jan 25, 2025 {HUGE}",
        ),
        ("n_authors", "comments"),
    ),
}


@pytest.mark.parametrize("fmt", list(COUNTS))
def test_every_reader_reports_a_count_beyond_int64(fmt: str) -> None:
    text, columns = COUNTS[fmt]
    df, message = read_warned(text, format=fmt, year=2026)
    for column in columns:
        assert pd.isna(df.iloc[0][column]), column
    assert HUGE in message and "kept" in message
    assert df.iloc[0]["title"]  # the paper itself is kept


def test_the_plain_text_bulk_path_reports_like_the_line_parser() -> None:
    # Huge counts leave the bulk path (18 digits at most there); far dates are checked
    # on the whole column at the end, for both paths alike.
    from litreview.readers.hf_text.lines import parse_hf_text

    text = _with(_sample(), "Jan 25, 2025", f"Jan 25, 3025 {HUGE}").encode()
    fast, fast_problems = parse_hf_text([text], "s.txt", year=2026)
    slow, slow_problems = parse_hf_text([text], "s.txt", year=2026, fast=False)
    assert fast_problems == slow_problems and len(fast_problems) == 2
    assert fast["title"] == slow["title"]


def test_errors_raise_stops_at_a_value_out_of_range() -> None:
    with pytest.raises(ListingError, match=r"<text>:2: expected a year"):
        read_listing("Title,Year\nA,3024\n", errors="raise")


@pytest.mark.parametrize("value", ["99999999999999999999", "123456789012345678901", "1.2k"])
def test_another_tools_count_column_is_checked_not_crashed(value: str) -> None:
    """A CSV without our paper_id column that still names a count column (``upvotes``):
    a count beyond Int64 or no number at all is reported, its paper kept (it raised
    OverflowError from the schema's cast)."""
    text = f"title,upvotes,comments\nA paper,1,2\nB paper,{value},3\n"
    with pytest.warns(ListingWarning, match="kept without it|count up to"):
        papers = read_listing(text)
    assert papers["title"].tolist() == ["A paper", "B paper"]
    assert papers["upvotes"].tolist()[0] == 1 and papers["upvotes"].isna().tolist() == [False, True]
    assert papers["comments"].tolist() == [2, 3]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("@article{a, title={A}, year={99999}}\n@article{b, title={B}, year={2020}}\n", "99999"),
        (
            "TY  - JOUR\nTI  - A\nPY  - 99999\nER  - \nTY  - JOUR\nTI  - B\nPY  - 2020\nER  - \n",
            "99999",
        ),
        (
            '[{"paper": {"id": "2401.00001", "title": "A", "publishedAt": "yesterday"}},'
            ' {"paper": {"id": "2401.00002", "title": "B", "publishedAt": "2020-01-01"}}]\n',
            "yesterday",
        ),
    ],
    ids=["bibtex five-digit year", "ris five-digit year", "json word"],
)
def test_a_date_that_cannot_be_read_is_reported_not_cut(text: str, shown: str) -> None:
    """A date field that gives no date is reported with the paper kept (it was dropped
    silently, and a five-digit year was read as its first four digits, 9999)."""
    with pytest.warns(ListingWarning, match="expected a date like") as caught:
        papers = read_listing(text)
    assert shown in str(caught[0].message)
    assert papers["title"].tolist() == ["A", "B"]
    assert pd.isna(papers.loc[0, "published"])
    assert papers.loc[1, "published"] == pd.Timestamp("2020-01-01")


def test_a_bad_bibtex_month_keeps_the_year() -> None:
    papers = read_listing("@article{a, title={A}, year={2019}, month={13}}\n")
    assert papers.loc[0, "published"].year == 2019


def test_an_impossible_month_and_day_keep_the_year() -> None:
    papers = read_listing("TY  - JOUR\nTI  - A\nDA  - 2020/13/45\nER  - \n", errors="raise")
    assert papers.loc[0, "published"] == pd.Timestamp("2020-01-01")
    assert papers.loc[0, "date_precision"] == "year"
    assert papers.loc[0, "extra"] == {"DA": "2020/13/45"}  # written back as it was
